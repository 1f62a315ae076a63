// Balikan delivery: records/s from a durable SQLite outbox (WAL, synchronous=FULL) to the
// stand-in receiver on loopback, per batch size, gzip off/on; and bytes of request body per
// record. Each iteration queues kRecords fresh records (untimed), then times one
// Deliverer::deliverDue() that claims, sends and records receipts for all of them.
//
//   build/<dir>/bench/outbox/outbox_bench --benchmark_counters_tabular=true
#include "core/outbox/deliverer.hpp"
#include "core/outbox/delivery_client.hpp"
#include "core/outbox/outbox_repository.hpp"
#include "sim/portal/balikan_receiver.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

using namespace gerbang;
constexpr int kRecords = 1000;
constexpr const char* kToken = "bench-token";

std::string nik(long n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04ld", n % 10000);
  return std::string("331301") + std::to_string(100000 + (n / 10000) % 900000) + buf;
}

// A Karanganyar-shaped record: NIK + register number, card number, business kind and class.
std::string payload(long n) {
  return "{\"NIK\":\"" + nik(n) +
         "\",\"param\":[{\"nomor_id_kartu_pencari_kerja\":\"3313-2025-" +
         std::to_string(100000 + n % 900000) + "\",\"nomor_register\":\"AK1-3313-202501-" +
         std::to_string(100000 + n % 900000) +
         "\",\"jenis_usaha\":\"Warung makan\",\"class_usaha\":\"mikro\"}]}";
}

std::string key(long n) {
  std::string k = std::to_string(n);
  return std::string(64 - k.size(), 'd') + k;
}

void BM_Deliver(benchmark::State& state) {
  const int batch = int(state.range(0));
  const bool gzip = state.range(1) != 0;
  char tmpl[] = "/tmp/outbox-bench-XXXXXX";
  std::filesystem::path dir = mkdtemp(tmpl);
  store::DatabaseConfig dc;
  dc.sqlitePath = (dir / "bench.db").string();
  store::Database db(dc);
  outbox::OutboxRepository repo(db);
  sim::portal::BalikanReceiver receiver(kToken);
  const int port = receiver.start();
  outbox::DeliveryConfig c;
  c.url = "http://127.0.0.1:" + std::to_string(port) + "/balikan";
  c.token = kToken;
  c.idLembaga = "LMB-3313-AK1";
  c.namaLembaga = "Dinas Tenaga Kerja Kabupaten Karanganyar";
  c.gzip = gzip ? outbox::GzipMode::kOn : outbox::GzipMode::kOff;
  c.batchSize = batch;
  outbox::DeliveryClient client(c);
  SystemClock clock;
  outbox::Deliverer deliverer(
      repo, clock, [&](const std::string&) -> outbox::DeliveryClient& { return client; },
      outbox::systemRandom());
  long next = 0;
  std::uint64_t bytes = 0, records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (int i = 0; i < kRecords; ++i, ++next)
      (void)repo.enqueue("karanganyar-ak1", key(next), payload(next), clock.now());
    state.ResumeTiming();
    auto r = deliverer.deliverDue("karanganyar-ak1");
    if (!r.ok() || r->delivered != std::uint64_t(kRecords)) {
      state.SkipWithError("not every record was delivered");
      break;
    }
    bytes += r->bytesSent;
    records += r->delivered;
  }
  state.SetItemsProcessed(std::int64_t(records));
  state.counters["bytes_per_record"] = records ? double(bytes) / double(records) : 0;
  // Seconds for 100 000 records on a 512 Kbit/s link, request bodies only (HTTP headers add
  // about 250 bytes per request).
  state.counters["s_100k_at_512kbps"] =
      records ? (double(bytes) / double(records) * 100000 + 250.0 * 100000 / batch) * 8 / 512000
              : 0;
  receiver.stop();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Deliver)
    ->ArgsProduct({{1, 10, 100, 500}, {0, 1}})
    ->ArgNames({"batch", "gzip"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
