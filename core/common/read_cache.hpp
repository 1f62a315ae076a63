// ReadCache: a small thread-safe cache of store reads on the lookup path, so every lookup
// does not re-read rows that change a few times a year (adenda, operators, NDAs, SPTJMs).
//
// Freshness: every entry carries the write generation it was read under (the owner takes it
// from store::Database::generation(topic) BEFORE reading, and every write to the topic calls
// Database::touch(topic) AFTER its commit). A write through any repository on the same
// Database therefore makes older entries invisible at once. A write by another process (the
// CLI beside `gerbang serve`, another host on the same PostgreSQL) is seen at the latest
// `ttl` later; a ttl of 0 turns the cache off. The ttl runs on the steady clock: it bounds
// staleness, it is not a domain time (which always comes from a gerbang::Clock).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>
#include <utility>

namespace gerbang {

template <class Key, class Value>
class ReadCache {
 public:
  using Duration = std::chrono::steady_clock::duration;

  explicit ReadCache(Duration ttl = std::chrono::seconds{2}) : ttl_(ttl) {}

  // The cached value for `key` read under `generation`, or nullopt when absent, read under
  // another generation, or older than the ttl.
  std::optional<Value> get(const Key& key, uint64_t generation) const {
    std::lock_guard lock(mu_);
    if (ttl_ <= Duration::zero()) return std::nullopt;
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    const auto& [at, gen, value] = it->second;
    if (gen != generation || std::chrono::steady_clock::now() - at >= ttl_) {
      entries_.erase(it);
      return std::nullopt;
    }
    return value;
  }

  // Remembers `value`, read under `generation` (taken before the read began).
  void put(const Key& key, Value value, uint64_t generation) const {
    std::lock_guard lock(mu_);
    if (ttl_ <= Duration::zero()) return;
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_.insert_or_assign(
        key, std::make_tuple(std::chrono::steady_clock::now(), generation, std::move(value)));
  }

  void setTtl(Duration ttl) {
    std::lock_guard lock(mu_);
    ttl_ = ttl;
    entries_.clear();
  }

 private:
  static constexpr size_t kMaxEntries = 4096;
  mutable std::mutex mu_;
  Duration ttl_;
  mutable std::map<Key, std::tuple<std::chrono::steady_clock::time_point, uint64_t, Value>>
      entries_;
};

}  // namespace gerbang
