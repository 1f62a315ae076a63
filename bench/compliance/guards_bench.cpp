// Cost of the pure guards on the lookup path (issue 4 items 3, 4, 5, 7).
//   ninja -C build/<dir> compliance_guards_bench &&
//   build/<dir>/bench/compliance/compliance_guards_bench
#include "core/compliance/minimiser.hpp"
#include "core/compliance/nik_format.hpp"
#include "core/compliance/pattern_guard.hpp"
#include "core/compliance/purpose_guard.hpp"

#include <benchmark/benchmark.h>

#include <random>

namespace gerbang::compliance {
namespace {

using namespace std::chrono_literals;

const Date kToday(2026, 11, 23);

// Made-up NIK-shaped strings (synthetic).
std::vector<std::string> niks(size_t n) {
  std::mt19937_64 rng(42);
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%02d%02d%02d%02d%02d%02d%04d", 33, int(1 + rng() % 30),
                  int(1 + rng() % 20), int(1 + rng() % 28 + (rng() % 2) * 40), int(1 + rng() % 12),
                  int(rng() % 100), int(1 + rng() % 9999));
    out.emplace_back(buf);
  }
  return out;
}

void BM_NikFormatValidate(benchmark::State& state) {
  const auto list = niks(1024);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(NikFormat::validate(list[i++ & 1023], kToday));
  }
}
BENCHMARK(BM_NikFormatValidate);

void BM_NikFormatCheckRefusal(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(NikFormat::check("3303013102909901", kToday));
}
BENCHMARK(BM_NikFormatCheckRefusal);

// check + record with full windows (the default 50), one operator of many, one agreement.
void BM_PatternGuardCheckRecord(benchmark::State& state) {
  const auto list = niks(4096);
  PatternGuard guard;
  TimePoint t = kToday.jakartaStart() + 8h;
  const std::string ops[] = {"op0", "op1", "op2", "op3"};
  size_t i = 0;
  for (auto _ : state) {
    const std::string& nik = list[i & 4095];
    Attempt a{"jabar-disnakertrans", ops[i & 3], nik, nik, t};
    benchmark::DoNotOptimize(guard.check(a));
    guard.record(a);
    t += 4s;  // each operator every 16 s: allowed, so the windows stay full
    ++i;
  }
}
BENCHMARK(BM_PatternGuardCheckRecord);

void BM_PurposeGuardCheck(benchmark::State& state) {
  PurposeGuard g({"Nomor Register Pemohon Kartu AK I", "^AK1-3313-[0-9]{6}-[0-9]{6}$",
                  "AK1-3313-202611-000457"});
  for (auto _ : state) benchmark::DoNotOptimize(g.check("AK1-3313-202611-000457"));
}
BENCHMARK(BM_PurposeGuardCheck);

void BM_MinimiserProject(benchmark::State& state) {
  Minimiser m(
      {"NIK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "STATUS_KAWIN", "JENIS_PKRJN",
       "ALAMAT"},
      {"ALAMAT", "PROP_NAME", "KAB_NAME", "NO_KEC", "KEC_NAME", "KEL_NAME", "NO_RT", "NO_RW"});
  RegistryRecord r;
  for (auto e : plugin::kElements) r[std::string(e)] = "nilai contoh " + std::string(e);
  for (auto p : plugin::kAddressParts) r[std::string(p)] = "nilai contoh " + std::string(p);
  for (const char* x : {"AGAMA", "NAMA_LGKP_IBU", "GOL_DARAH", "PDDK_AKH", "STAT_HBKEL"})
    r[x] = "nilai contoh";
  for (auto _ : state) benchmark::DoNotOptimize(m.project(r));
}
BENCHMARK(BM_MinimiserProject);

}  // namespace
}  // namespace gerbang::compliance
