// Load driver: the CALL_NIK client (gerbang::portal::Client) against gerbang-portal-sim on
// loopback, at 1, 8 and 64 concurrent callers, with the same load sent by a plain Poco HTTP
// client (one keep-alive session per caller, no JSON parsing, no classification, no shared
// pool) as the baseline in the same run. Prints lookups/s and p50/p99 latency, medians of
// several rounds, and the client/baseline ratios. Figures: docs/benchmarks.md.
#include "core/portal/client.hpp"
#include "sim/population/population.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string sim = GERBANG_PORTAL_SIM_EXE;
  size_t population = 10'000'000;
  std::vector<int> callers = {1, 8, 64};
  int requests = 6000;  // per run, spread over the callers
  int rounds = 5;
};

struct RunResult {
  double perSecond = 0, p50Us = 0, p99Us = 0;
  double cpuUsPerLookup = 0;  // this process's user+system CPU per lookup (the caller's cost)
  int failures = 0;
};

class SimProcess {
 public:
  SimProcess(const Options& o, const std::string& config) {
    std::vector<std::string> args = {o.sim, "--port", "0", "--population",
                                     std::to_string(o.population), "--config", config,
                                     "--access-log", "none"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    size_t colon = line.rfind(':');
    if (line.rfind("listening http://", 0) != 0 || colon == std::string::npos)
      throw std::runtime_error("stand-in did not start: '" + line + "'");
    port_ = std::stoi(line.substr(colon + 1));
  }
  ~SimProcess() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, size_t(p * double(v.size())));
  std::nth_element(v.begin(), v.begin() + long(k), v.end());
  return v[k];
}

template <class Call>
RunResult run(int callers, int requests, Call&& makeCaller) {
  std::vector<std::vector<double>> lat(static_cast<size_t>(callers));
  std::atomic<int> failures{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  const int each = requests / callers;
  for (int t = 0; t < callers; ++t)
    threads.emplace_back([&, t] {
      auto call = makeCaller(t);
      lat[size_t(t)].reserve(size_t(each));
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < each; ++i) {
        auto t0 = Clock::now();
        if (!call(i)) ++failures;
        lat[size_t(t)].push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      }
    });
  auto cpuNow = [] {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  };
  const double cpu0 = cpuNow();
  auto start = Clock::now();
  go = true;
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = cpuNow() - cpu0;
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  RunResult r;
  r.perSecond = double(all.size()) / secs;
  r.p50Us = percentile(all, 0.50);
  r.p99Us = percentile(all, 0.99);
  r.failures = failures;
  r.cpuUsPerLookup = cpu / double(all.size());
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--sim") o.sim = next();
    else if (a == "--population") o.population = std::stoul(next());
    else if (a == "--requests") o.requests = std::stoi(next());
    else if (a == "--rounds") o.rounds = std::stoi(next());
    else if (a == "--callers") {
      o.callers.clear();
      std::string s = next();
      for (size_t p = 0; p < s.size();) {
        size_t q = s.find(',', p);
        if (q == std::string::npos) q = s.size();
        o.callers.push_back(std::stoi(s.substr(p, q - p)));
        p = q + 1;
      }
    } else {
      std::fprintf(stderr,
                   "usage: portal_load [--sim PATH] [--population N] [--callers 1,8,64] "
                   "[--requests N] [--rounds N]\n");
      return 2;
    }
  }
  auto dir = std::filesystem::temp_directory_path() / ("portal-load-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string config = (dir / "users.json").string();
  std::ofstream(config) << R"({"users":[{"user_id":"bench-01","password":"bench-pw",)"
                           R"("lembaga":"BENCH","daily_quota":-1}]})";

  std::fprintf(stderr, "building population of %zu and starting the stand-in...\n", o.population);
  gerbang::sim::Wilayah wilayah = gerbang::sim::Wilayah::loadDefault();
  gerbang::sim::Population population(wilayah, gerbang::sim::Population::kDefaultSeed,
                                      o.population);
  const std::vector<std::string> niks = population.sample(gerbang::sim::Resident::Kind::kFound, 5000);
  SimProcess sim(o, config);

  gerbang::portal::ClientConfig base;
  base.baseUrl = "http://127.0.0.1:" + std::to_string(sim.port());
  base.userId = "bench-01";
  base.password = "bench-pw";
  base.clientIp = "127.0.0.1";
  base.dialect.lembaga = "BENCH";

  std::printf("| callers | client lookups/s | client p50 µs | client p99 µs | client CPU µs/lookup "
              "| baseline lookups/s | baseline p50 µs | baseline p99 µs | baseline CPU µs/lookup "
              "| throughput ratio | p50 ratio |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (int callers : o.callers) {
    gerbang::portal::ClientConfig cfg = base;
    cfg.maxConnections = size_t(callers);
    gerbang::portal::Client client(cfg);
    const std::string path = client.requestPath();
    std::vector<double> cRate, cP50, cP99, cCpu, bRate, bP50, bP99, bCpu;
    int failures = 0;
    for (int round = 0; round < o.rounds + 1; ++round) {  // round 0 warms up, not counted
      // Alternate which goes first, so neither always runs on a warmer (or busier) machine.
      RunResult c, b;
      auto runClient = [&] { c = run(callers, o.requests, [&](int t) {
        return [&, t](int i) {
          auto r = client.callNik(niks[size_t(t * 7919 + i) % niks.size()]);
          return std::holds_alternative<gerbang::portal::Found>(r);
        };
      }); };
      auto runBaseline = [&] { b = run(callers, o.requests, [&](int t) {
        auto session = std::make_shared<Poco::Net::HTTPClientSession>("127.0.0.1",
                                                                      Poco::UInt16(sim.port()));
        session->setKeepAlive(true);
        return [&, t, session](int i) {
          const std::string body = client.requestBody(niks[size_t(t * 7919 + i) % niks.size()]);
          Poco::Net::HTTPRequest req("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
          req.setContentType("application/json");
          req.setContentLength64(Poco::Int64(body.size()));
          req.setKeepAlive(true);
          session->sendRequest(req) << body;
          Poco::Net::HTTPResponse resp;
          std::string answer;
          Poco::StreamCopier::copyToString(session->receiveResponse(resp), answer);
          return resp.getStatus() == Poco::Net::HTTPResponse::HTTP_OK && !answer.empty();
        };
      }); };
      if (round % 2 == 0) {
        runClient();
        runBaseline();
      } else {
        runBaseline();
        runClient();
      }
      if (round == 0) continue;
      failures += c.failures + b.failures;
      cRate.push_back(c.perSecond);
      cP50.push_back(c.p50Us);
      cP99.push_back(c.p99Us);
      cCpu.push_back(c.cpuUsPerLookup);
      bCpu.push_back(b.cpuUsPerLookup);
      bRate.push_back(b.perSecond);
      bP50.push_back(b.p50Us);
      bP99.push_back(b.p99Us);
    }
    std::printf("| %d | %.0f | %.0f | %.0f | %.1f | %.0f | %.0f | %.0f | %.1f | %.2f | %.2f |\n",
                callers, median(cRate), median(cP50), median(cP99), median(cCpu), median(bRate),
                median(bP50), median(bP99), median(bCpu), median(cRate) / median(bRate),
                median(cP50) / median(bP50));
    std::fflush(stdout);
    if (failures) std::fprintf(stderr, "callers %d: %d failed lookups\n", callers, failures);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
