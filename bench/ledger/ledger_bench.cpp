// Ledger benchmarks (Google Benchmark): the per-lookup costs of the durable units.
//   NikHash          NikHasher::hash (cached keyed context) vs. a fresh HKDF + HMAC per call
//   AuditAppend      AuditLog::append with group commit, durable (SQLite synchronous=FULL in
//                    WAL; PostgreSQL synchronous_commit=on), at 1..32 concurrent appenders
//   QuotaReserve     QuotaLedger::reserve on one hot row (one User ID, as the agreements have)
// Each store benchmark reports per-append latency p50/p99 (µs, averaged over threads) and
// items_per_second (all threads). PostgreSQL runs when GERBANG_TEST_PG_DSN is set (a fresh
// schema, dropped afterwards). Figures and the command: docs/benchmarks.md, "Ledger".
#include "core/audit/audit_log.hpp"
#include "core/audit/crypto.hpp"
#include "core/audit/nik_hmac.hpp"
#include "core/quota/quota_ledger.hpp"

#include <Poco/Data/Session.h>
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace gerbang;
using Poco::Data::Keywords::now;
using Steady = std::chrono::steady_clock;

constexpr std::string_view kNik = "3273014506990001";  // synthetic

struct Backend {
  std::string name;
  store::DatabaseConfig config;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<quota::QuotaLedger> quota;
};

std::vector<Backend>& backends() {
  static std::vector<Backend> b;
  return b;
}

audit::NikHasher& hasher() {
  static audit::NikHasher h(std::string(32, '\x5a'));
  return h;
}

void reportLatency(benchmark::State& state, std::vector<double>& us) {
  if (us.empty()) return;
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = benchmark::Counter(us[us.size() / 2], benchmark::Counter::kAvgThreads);
  state.counters["p99_us"] = benchmark::Counter(us[std::min(us.size() - 1, us.size() * 99 / 100)],
                                                benchmark::Counter::kAvgThreads);
}

struct CpuUs {
  double user = 0, sys = 0;
};

CpuUs processCpuUs() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return {double(ru.ru_utime.tv_sec) * 1e6 + double(ru.ru_utime.tv_usec),
          double(ru.ru_stime.tv_sec) * 1e6 + double(ru.ru_stime.tv_usec)};
}

// CPU of the whole process (callers and the writer thread; not the PostgreSQL server) per
// operation, user and kernel apart (the kernel part is mostly the fsync path), measured by
// thread 0 across the run. Threads start and stop together, so this is close to the truth.
class ProcessCpu {
 public:
  explicit ProcessCpu(benchmark::State& state) : state_(state) {
    if (state.thread_index() == 0) start_ = processCpuUs();
  }
  ~ProcessCpu() {
    if (state_.thread_index() != 0 || state_.iterations() == 0) return;
    double ops = double(state_.iterations()) * double(state_.threads());
    CpuUs end = processCpuUs();
    state_.counters["user_cpu_us_op"] = (end.user - start_.user) / ops;
    state_.counters["sys_cpu_us_op"] = (end.sys - start_.sys) / ops;
  }

 private:
  benchmark::State& state_;
  CpuUs start_;
};

void BM_NikHash(benchmark::State& state) {
  const std::string agreement = "jabar-disnakertrans";
  for (auto _ : state) benchmark::DoNotOptimize(hasher().hash(agreement, kNik));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NikHash)->Threads(1)->Threads(2)->UseRealTime();

// Baseline: what a naive implementation pays per call (derive the key, then one-shot HMAC).
void BM_NikHashNoReuse(benchmark::State& state) {
  const std::string master(32, '\x5a');
  for (auto _ : state) {
    audit::Digest key = audit::hkdfSha256(master, "gerbang/v1", "nik-hmac:jabar-disnakertrans");
    benchmark::DoNotOptimize(audit::toHex(audit::hmacSha256(
        std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), kNik)));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NikHashNoReuse);

audit::AuditRecord sampleRecord(int i) {
  audit::AuditRecord r;
  r.at = TimePoint{std::chrono::microseconds{1'795'000'000'000'000LL + i}};
  r.agreement = "jabar-disnakertrans";
  r.operatorId = "op-bench";
  r.purposeRef = "AK1-2026-000123";
  r.nikHmac = *hasher().hash(r.agreement, kNik);
  r.outcome = "found";
  r.elements = {"NO_KK",       "NIK",          "NAMA_LGKP",   "TMPT_LHR", "TGL_LHR",
                "JENIS_KLMIN", "STATUS_KAWIN", "JENIS_PKRJN", "ALAMAT"};
  r.quotaRemaining = 42;
  return r;
}

void BM_AuditAppend(benchmark::State& state, size_t backend) {
  audit::AuditLog& log = *backends()[backend].audit;
  audit::AuditRecord r = sampleRecord(int(state.thread_index()));
  std::vector<double> us;
  us.reserve(4096);
  ProcessCpu cpu(state);
  for (auto _ : state) {
    auto t0 = Steady::now();
    auto seq = log.append(r);
    us.push_back(std::chrono::duration<double, std::micro>(Steady::now() - t0).count());
    if (!seq.ok()) {
      state.SkipWithError(seq.error().detail.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  reportLatency(state, us);
}

void BM_QuotaReserve(benchmark::State& state, size_t backend) {
  quota::QuotaLedger& ledger = *backends()[backend].quota;
  const Date day(2026, 11, 23);
  std::vector<double> us;
  us.reserve(4096);
  ProcessCpu cpu(state);
  for (auto _ : state) {
    auto t0 = Steady::now();
    // One hot row: every thread spends the same User ID's quota (unlimited, so never refused).
    auto r = ledger.reserve("jabar-disnakertrans", "disnaker-jabar-01", day, std::nullopt);
    us.push_back(std::chrono::duration<double, std::micro>(Steady::now() - t0).count());
    if (!r.ok()) {
      state.SkipWithError(r.error().detail.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  reportLatency(state, us);
}

std::string pgSchema;

void addBackends(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  Backend lite;
  lite.name = "SQLite";
  lite.config.backend = store::Backend::kSqlite;
  lite.config.sqlitePath = (dir / ("ledger-bench-" + std::to_string(::getpid()) + ".db")).string();
  lite.config.poolMax = 64;
  backends().push_back(std::move(lite));
  if (const char* dsn = std::getenv("GERBANG_TEST_PG_DSN"); dsn != nullptr && *dsn != '\0') {
    pgSchema = "bench_" + std::to_string(::getpid());
    store::Database admin(store::DatabaseConfig{store::Backend::kPostgres, "", dsn, 1});
    auto s = admin.session();
    s << "CREATE SCHEMA " + pgSchema, now;
    Backend pg;
    pg.name = "PostgreSQL";
    pg.config =
        store::DatabaseConfig{store::Backend::kPostgres, "",
                              std::string(dsn) + " options='-csearch_path=" + pgSchema + "'", 64};
    backends().push_back(std::move(pg));
  }
  for (size_t i = 0; i < backends().size(); ++i) {
    Backend& b = backends()[i];
    b.db = std::make_unique<store::Database>(b.config);
    b.audit = std::make_unique<audit::AuditLog>(*b.db);
    b.quota = std::make_unique<quota::QuotaLedger>(*b.db);
    for (int threads : {1, 8, 32})
      benchmark::RegisterBenchmark(("BM_AuditAppend/" + b.name).c_str(), BM_AuditAppend, i)
          ->Threads(threads)
          ->UseRealTime();
    for (int threads : {1, 8})
      benchmark::RegisterBenchmark(("BM_QuotaReserve/" + b.name).c_str(), BM_QuotaReserve, i)
          ->Threads(threads)
          ->UseRealTime();
  }
}

void cleanup() {
  for (auto& b : backends()) {
    b.audit.reset();
    b.quota.reset();
    b.db.reset();
    if (b.config.backend == store::Backend::kSqlite) {
      std::error_code ec;
      for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(b.config.sqlitePath + suffix, ec);
    }
  }
  if (!pgSchema.empty()) {
    store::Database admin(store::DatabaseConfig{store::Backend::kPostgres, "",
                                                std::getenv("GERBANG_TEST_PG_DSN"), 1});
    auto s = admin.session();
    s << "DROP SCHEMA " + pgSchema + " CASCADE", now;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // The SQLite file goes beside the binary's build tree unless GERBANG_BENCH_DIR says where
  // (put it on the disk the host will use: fsync cost is the figure that matters).
  const char* dir = std::getenv("GERBANG_BENCH_DIR");
  addBackends(dir != nullptr ? std::filesystem::path(dir)
                             : std::filesystem::current_path() / "bench-tmp");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  cleanup();
  return 0;
}
