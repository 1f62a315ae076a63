// gerbang-portal-sim: the registry Web Portal stand-in (CALL_NIK), loopback only.
// Options are documented in docs/portal.md and by --help.
#include "sim/population/population.hpp"
#include "sim/portal/portal_server.hpp"
#include "sim/portal/users.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <pthread.h>
#include <sstream>

namespace {

using namespace gerbang;
using namespace gerbang::sim;

const char* kUsage =
    "usage: gerbang-portal-sim [options]\n"
    "  --port N              listen on 127.0.0.1:N (0 = ephemeral; default 18080)\n"
    "  --host H              127.0.0.1 (default) or ::1; nothing else\n"
    "  --tls-cert F --tls-key F   serve HTTPS with this PEM certificate and key\n"
    "  --population N        residents (default 100000; 10000000 for benchmarks)\n"
    "  --seed S              population seed (default 20261123)\n"
    "  --config FILE         users (JSON, see docs/portal.md); default: the demo users\n"
    "  --today YYYY-MM-DD    the quota day (default: the system clock in Asia/Jakarta)\n"
    "  --access-log FILE     access log (sequence and outcome only); '-' = stderr (default),\n"
    "                        'none' = off\n"
    "  --fault JSON          a standing fault, e.g. '{\"kind\":\"latency\",\"latency_ms\":50,\"count\":-1}'\n"
    "  --balikan-token T     also serve the data-balikan stand-in at /balikan (bearer token T;\n"
    "                        see sim/portal/balikan_receiver.hpp)\n"
    "  --balikan-no-gzip     the balikan stand-in answers gzip bodies with 415\n"
    "  --print-sample N --kind found|deceased|duplicate|inactive|absent   print N NIKs, exit\n"
    "  --print-users         print the configured users as JSON, exit\n"
    "The first line on stdout is 'listening http(s)://HOST:PORT'.\n";

[[noreturn]] void usage(const std::string& msg) {
  std::fprintf(stderr, "gerbang-portal-sim: %s\n%s", msg.c_str(), kUsage);
  std::exit(2);
}

long long number(const std::string& opt, const std::string& v) {
  try {
    size_t used = 0;
    long long n = std::stoll(v, &used);
    if (used != v.size() || n < 0) throw std::invalid_argument("");
    return n;
  } catch (...) {
    usage(opt + " expects a non-negative integer, got '" + v + "'");
  }
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

int main(int argc, char** argv) {
  portal::ServerOptions server;
  server.port = 18080;  // config/gerbang.properties: portal.url = http://127.0.0.1:18080
  size_t populationSize = Population::kDefaultSize;
  uint64_t seed = Population::kDefaultSeed;
  std::string config, today, accessLog = "-", sampleKind;
  long long sampleN = -1;
  bool printUsers = false;
  std::vector<portal::Fault> faults;
  std::string balikanToken;
  bool balikanGzip = true;
  try {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) usage(a + " needs a value");
        return argv[++i];
      };
      if (a == "--help" || a == "-h") {
        std::fputs(kUsage, stdout);
        return 0;
      } else if (a == "--port") {
        long long p = number(a, value());
        if (p > 65535) usage("--port must be 0..65535");
        server.port = int(p);
      } else if (a == "--host") {
        server.host = value();
      } else if (a == "--tls-cert") {
        server.tlsCert = value();
      } else if (a == "--tls-key") {
        server.tlsKey = value();
      } else if (a == "--population") {
        populationSize = size_t(number(a, value()));
      } else if (a == "--seed") {
        seed = uint64_t(number(a, value()));
      } else if (a == "--config") {
        config = value();
      } else if (a == "--today") {
        today = value();
      } else if (a == "--access-log") {
        accessLog = value();
      } else if (a == "--balikan-token") {
        balikanToken = value();
      } else if (a == "--balikan-no-gzip") {
        balikanGzip = false;
      } else if (a == "--fault") {
        faults.push_back(portal::parseFault(value()));
      } else if (a == "--print-sample") {
        sampleN = number(a, value());
      } else if (a == "--kind") {
        sampleKind = value();
      } else if (a == "--print-users") {
        printUsers = true;
      } else {
        usage("unknown option '" + a + "'");
      }
    }
    std::vector<portal::SimUser> users =
        config.empty() ? portal::defaultUsers() : portal::parseUsers(readFile(config));
    if (printUsers) {
      std::cout << portal::usersToJson(users) << std::endl;
      return 0;
    }
    std::optional<Date> day;
    if (!today.empty() && !(day = Date::parseIso(today)))
      usage("--today expects YYYY-MM-DD, got '" + today + "'");

    Wilayah wilayah = Wilayah::loadDefault();
    Population population(wilayah, seed, populationSize);

    if (sampleN >= 0 || !sampleKind.empty()) {
      if (sampleN < 0) usage("--kind goes with --print-sample N");
      std::vector<std::string> niks;
      if (sampleKind == "absent") {
        niks = population.absent(size_t(sampleN));
      } else if (auto k = parseKind(sampleKind)) {
        niks = population.sample(*k, size_t(sampleN));
      } else {
        usage("--kind expects found, deceased, duplicate, inactive or absent");
      }
      for (const auto& n : niks) std::cout << n << '\n';
      std::cout << std::flush;
      return 0;
    }

    std::ofstream logFile;
    std::ostream* log = &std::cerr;
    if (accessLog == "none") {
      log = nullptr;
    } else if (accessLog != "-") {
      logFile.open(accessLog, std::ios::app);
      if (!logFile) throw std::runtime_error("cannot open access log " + accessLog);
      log = &logFile;
    }

    // Block the stop signals in every thread; the main thread waits for them.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    SystemClock clock;
    portal::PortalSim sim(population, users, clock, log);
    for (const auto& f : faults) sim.addFault(f);
    std::unique_ptr<portal::BalikanReceiver> balikan;
    if (!balikanToken.empty()) {
      balikan = std::make_unique<portal::BalikanReceiver>(balikanToken, balikanGzip);
      sim.setBalikanReceiver(balikan.get());
    }
    if (day) sim.setToday(*day);
    int port = sim.start(server);
    const bool tls = !server.tlsCert.empty();
    std::string host = server.host == "::1" ? "[::1]" : "127.0.0.1";
    std::cout << "listening " << (tls ? "https" : "http") << "://" << host << ":" << port
              << std::endl;
    int sig = 0;
    sigwait(&set, &sig);
    sim.stop();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gerbang-portal-sim: %s\n", e.what());
    return 1;
  }
}
