// Load driver for the lookup pipeline (issue 4 item 12). In one run, against one
// gerbang-portal-sim on 127.0.0.1, with the same "found" NIKs:
//   plain    a plain Poco HTTPClientSession per caller (same request bytes, body read, no
//            parsing): the floor
//   client   gerbang::portal::Client::callNik (pool, parse, classify)
//   pipeline gerbang::lookup::LookupService::lookup: agreement, operator, purpose, NIK format,
//            pattern guard, durable quota reserve, the client, minimise, durable audit append
//            (hash chain) with the balikan obligation in the same transaction; SQLite in WAL:
//            "durable" = synchronous=FULL (every quota reservation and audit record flushed
//            to disk before the lookup goes on; concurrent lookups share a flush: group
//            commit), "buffered" = store.durable_commits=false (synchronous=NORMAL: survives
//            a crash of the process, not of the OS)
// Prints lookups/s, p50/p99 latency and this process's CPU µs per lookup (and its user-space
// part; the rest is the kernel: sockets, WAL writes, fsync) for each, and the pipeline's
// added cost over the client.
//
// The agreement is Purbalingga with a PoC Adendum (unlimited quota, as its juknis allows),
// the stand-in's account unlimited too, and the pattern guard's rules switched off for the
// benchmark operator (a real operator could not do 6,000 lookups a minute).
#include "core/agreement/adendum_repository.hpp"
#include "core/agreement/agreement_service.hpp"
#include "core/lookup/lookup_host.hpp"
#include "core/portal/client.hpp"
#include "sim/population/population.hpp"
#include "sim/population/wilayah.hpp"
#include "tests/portal/sim_process.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Util/MapConfiguration.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using namespace gerbang;
using SteadyClock = std::chrono::steady_clock;

// This process's CPU time (user + kernel) and its user part, in seconds.
std::pair<double, double> cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const double user = double(u.ru_utime.tv_sec) + double(u.ru_utime.tv_usec) / 1e6;
  const double sys = double(u.ru_stime.tv_sec) + double(u.ru_stime.tv_usec) / 1e6;
  return {user + sys, user};
}

struct LoadResult {
  double perSecond = 0, p50 = 0, p99 = 0, cpuUs = 0, userUs = 0;
  int failures = 0;
};

template <class F>
LoadResult runLoad(int callers, int requests, const std::vector<std::string>& niks, F call) {
  std::vector<std::vector<double>> lat(static_cast<size_t>(callers));
  std::atomic<int> next{0}, failures{0};
  const auto cpu0 = cpuSeconds();
  const auto t0 = SteadyClock::now();
  std::vector<std::thread> ts;
  for (int c = 0; c < callers; ++c)
    ts.emplace_back([&, c] {
      for (int i; (i = next.fetch_add(1)) < requests;) {
        const auto s = SteadyClock::now();
        if (!call(c, niks[size_t(i) % niks.size()])) failures.fetch_add(1);
        lat[size_t(c)].push_back(
            std::chrono::duration<double, std::micro>(SteadyClock::now() - s).count());
      }
    });
  for (auto& t : ts) t.join();
  const double wall = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  LoadResult r;
  r.perSecond = requests / wall;
  r.p50 = all[all.size() / 2];
  r.p99 = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  const auto cpu1 = cpuSeconds();
  r.cpuUs = (cpu1.first - cpu0.first) * 1e6 / requests;
  r.userUs = (cpu1.second - cpu0.second) * 1e6 / requests;
  r.failures = failures.load();
  return r;
}

plugin::Manifest manifest(const std::string& id) {
  std::ifstream in(fs::path(GERBANG_SOURCE_DIR_FOR_BENCH) / "plugins" / id / "manifest.json");
  std::stringstream s;
  s << in.rdbuf();
  auto m = plugin::parseManifest(s.str());
  if (!m.ok()) throw std::runtime_error(m.error().detail);
  return m.value();
}

// One lookup pipeline on its own SQLite store: the Purbalingga agreement with a PoC
// Adendum, one operator with NDA and SPTJM, the pattern guard's rules off.
struct Rig {
  store::Database db;
  agreement::AdendumRepository adenda;
  agreement::AgreementService agreements;
  lookup::LookupHost host;

  static store::DatabaseConfig storeConfig(const fs::path& file, bool durable) {
    store::DatabaseConfig dc;
    dc.sqlitePath = file.string();
    dc.durableCommits = durable;
    return dc;
  }

  Rig(const fs::path& file, bool durable, Poco::Util::AbstractConfiguration& conf,
      const Clock& clock)
      : db(storeConfig(file, durable)),
        adenda(db),
        agreements({manifest("purbalingga-dinnaker")}, adenda, clock),
        host(conf, db, agreements, clock) {
    agreement::Adendum poc;
    poc.agencyId = "purbalingga-dinnaker";
    poc.number = "BENCH/POC";
    poc.date = clock.today();
    poc.pocPassed = true;
    poc.recordedBy = "bench";
    if (!agreements.addAdendum(poc).ok()) throw std::runtime_error("PoC adendum refused");
    op::Operator o;
    o.userId = "bench-op";
    o.fullName = "Operator Bench";
    o.agreements = {"purbalingga-dinnaker"};
    o.nda = op::Nda{"NDA/BENCH", clock.today()};
    host.operators().add(o);
    host.operators().recordSptjm({"purbalingga-dinnaker", "SPTJM/BENCH", clock.today(),
                                  "Kepala", "Kepala"});
    plugin::PatternGuardPolicy off;
    off.window = 0;
    off.minIntervalSeconds = 0;
    off.burstPerMinute = 0;
    off.repeatSamePersonPerDay = 0;
    off.operatorsSamePersonPerDay = 0;
    host.service().patternGuard().setPolicy("purbalingga-dinnaker", off);
  }

  bool lookup(const std::string& nik) {
    lookup::LookupRequest r{"purbalingga-dinnaker", "bench-op", nik, "PLT-3303-2026-00017",
                            lookup::Channel::kRest};
    return host.service().lookup(r).outcome == "found";
  }
};

}  // namespace

int main(int argc, char** argv) {
  int requests = 3000, rounds = 3;
  // Where the two SQLite stores go (default: the temporary directory). E.g. /dev/shm to see
  // the cost without the disk's flush.
  std::string storeDir;
  std::vector<int> callerSets = {1, 2};
  // --only MODE (plain, client, durable, buffered): run that mode alone, no table, for a
  // profiler (perf record -g) to see one mode's work only.
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--requests") requests = std::stoi(argv[i + 1]);
    else if (a == "--rounds") rounds = std::stoi(argv[i + 1]);
    else if (a == "--store-dir") storeDir = argv[i + 1];
    else if (a == "--only") only = argv[i + 1];
    else if (a == "--callers") {
      callerSets.clear();
      std::stringstream s(argv[i + 1]);
      for (std::string x; std::getline(s, x, ',');) callerSets.push_back(std::stoi(x));
    } else {
      std::fprintf(stderr, "usage: lookup_load [--requests N] [--rounds N] [--callers 1,2] [--store-dir DIR] [--only plain|client|durable|buffered]\n");
      return 2;
    }
  }
  spdlog::set_level(spdlog::level::warn);
  const fs::path dir = fs::temp_directory_path() / ("lookup_load_" + std::to_string(getpid()));
  fs::create_directories(dir);
  {
    std::ofstream u(dir / "users.json");
    u << R"({"users":[{"user_id":"bench-pbg","password":"bench-pw","daily_quota":-1}]})";
    std::ofstream k(dir / "key");
    k << std::string(64, 'b') << "\n";
  }
  fs::permissions(dir / "key", fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  gerbang::testing::PortalSimProcess sim(
      {"--config", (dir / "users.json").string(), "--access-log", "none"}, dir / "sim.err");

  const sim::Wilayah w = sim::Wilayah::loadDefault();
  const sim::Population pop(w, sim::Population::kDefaultSeed, sim::Population::kDefaultSize);
  const auto niks = pop.sample(sim::Resident::Kind::kFound, 5000);

  SystemClock clock;
  Poco::AutoPtr<Poco::Util::MapConfiguration> conf(new Poco::Util::MapConfiguration);
  conf->setString("audit.key_file", (dir / "key").string());
  conf->setString("portal.url", sim.baseUrl());
  conf->setString("portal.client_ip", "127.0.0.1");
  conf->setString("portal.max_connections", "16");
  conf->setString("agreement.purbalingga-dinnaker.portal.user_id", "bench-pbg");
  conf->setString("agreement.purbalingga-dinnaker.portal.password", "bench-pw");
  conf->setString("agreement.purbalingga-dinnaker.portal.dialect.lembaga", "PBG");
  // Two pipelines on their own stores: audit and quota commits flushed to disk
  // (store.durable_commits=true, the default) and crash-safe but not power-safe (false).
  const fs::path stores = storeDir.empty() ? dir : fs::path(storeDir) / dir.filename();
  fs::create_directories(stores);
  Rig durable(stores / "durable.db", true, *conf, clock);
  Rig buffered(stores / "buffered.db", false, *conf, clock);

  portal::Client client(lookup::PortalGateway::configFor(*conf, "purbalingga-dinnaker"));
  const std::string path = client.requestPath();
  const int port = sim.port();

  std::printf("lookup_load: %d requests x %d rounds (median), population %zu, stores in %s\n",
              requests, rounds, pop.size(), stores.c_str());
  std::printf(
      "| callers | mode | lookups/s | p50 µs | p99 µs | CPU µs/lookup | of which user µs | "
      "failures |\n");
  std::printf("|---:|---|---:|---:|---:|---:|---:|---:|\n");
  for (int callers : callerSets) {
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> sessions;
    for (int c = 0; c < callers; ++c)
      sessions.push_back(std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port));
    auto plain = [&](int c, const std::string& nik) {
      Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
      std::string body = client.requestBody(nik);
      req.setContentType("application/json");
      req.setContentLength(std::streamsize(body.size()));
      req.setKeepAlive(true);
      sessions[size_t(c)]->sendRequest(req) << body;
      Poco::Net::HTTPResponse resp;
      std::string out;
      Poco::StreamCopier::copyToString(sessions[size_t(c)]->receiveResponse(resp), out);
      return resp.getStatus() == Poco::Net::HTTPResponse::HTTP_OK;
    };
    auto viaClient = [&](int, const std::string& nik) {
      return std::holds_alternative<portal::Found>(client.callNik(nik));
    };
    auto pipeline = [&](int, const std::string& nik) { return durable.lookup(nik); };
    auto pipelineBuffered = [&](int, const std::string& nik) { return buffered.lookup(nik); };
    if (!only.empty()) {
      const std::map<std::string, std::function<bool(int, const std::string&)>> modes = {
          {"plain", plain}, {"client", viaClient}, {"durable", pipeline},
          {"buffered", pipelineBuffered}};
      const auto m = modes.find(only);
      if (m == modes.end()) {
        std::fprintf(stderr, "lookup_load: --only takes plain, client, durable or buffered\n");
        return 2;
      }
      runLoad(callers, 300, niks, m->second);
      const LoadResult r = runLoad(callers, requests * rounds, niks, m->second);
      std::printf("| %d | %s (alone) | %.0f | %.0f | %.0f | %.1f | %.1f | %d |\n", callers,
                  only.c_str(), r.perSecond, r.p50, r.p99, r.cpuUs, r.userUs, r.failures);
      continue;
    }
    std::vector<LoadResult> rp, rc, rl, rb;
    runLoad(callers, 300, niks, pipeline);  // warm-up (connections, store pages)
    runLoad(callers, 300, niks, pipelineBuffered);
    for (int round = 0; round < rounds; ++round) {
      rp.push_back(runLoad(callers, requests, niks, plain));
      rc.push_back(runLoad(callers, requests, niks, viaClient));
      rl.push_back(runLoad(callers, requests, niks, pipeline));
      rb.push_back(runLoad(callers, requests, niks, pipelineBuffered));
    }
    auto median = [](std::vector<LoadResult> v) {
      auto pick = [&](auto field) {
        std::vector<double> x;
        for (auto& r : v) x.push_back(r.*field);
        std::sort(x.begin(), x.end());
        return x[x.size() / 2];
      };
      LoadResult m;
      m.perSecond = pick(&LoadResult::perSecond);
      m.p50 = pick(&LoadResult::p50);
      m.p99 = pick(&LoadResult::p99);
      m.cpuUs = pick(&LoadResult::cpuUs);
      m.userUs = pick(&LoadResult::userUs);
      for (auto& r : v) m.failures += r.failures;
      return m;
    };
    LoadResult p = median(rp), c = median(rc), l = median(rl), b = median(rb);
    for (auto [name, r] : {std::pair{"plain", p}, std::pair{"client", c},
                           std::pair{"pipeline (durable)", l}, std::pair{"pipeline (buffered)", b}})
      std::printf("| %d | %s | %.0f | %.0f | %.0f | %.1f | %.1f | %d |\n", callers, name,
                  r.perSecond, r.p50, r.p99, r.cpuUs, r.userUs, r.failures);
    for (auto [name, r] : {std::pair{"durable", l}, std::pair{"buffered", b}})
      std::printf("| %d | pipeline (%s) - client | | %+.0f | %+.0f | %+.1f | %+.1f | |\n",
                  callers, name, r.p50 - c.p50, r.p99 - c.p99, r.cpuUs - c.cpuUs,
                  r.userUs - c.userUs);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::remove_all(stores, ec);
  return 0;
}
