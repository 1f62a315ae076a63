// The registry Web Portal stand-in: CALL_NIK over HTTP(S) on loopback, backed by the
// synthetic population, with users, quotas, spelling variants, fault injection and stats.
#pragma once

#include "core/common/clock.hpp"
#include "sim/population/population.hpp"
#include "sim/portal/balikan_receiver.hpp"
#include "sim/portal/users.hpp"

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace gerbang::sim::portal {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback only: "127.0.0.1" or "::1"
  int port = 0;                    // 0 = ephemeral
  std::string tlsCert, tlsKey;     // both set = HTTPS
  int maxThreads = 160;
};

class PortalSim {
 public:
  // `clock` is used when no "today" was set (start() never changes it). `accessLog` may be
  // null (no access log); it receives one line per request: sequence number and outcome.
  PortalSim(const Population& population, std::vector<SimUser> users, const Clock& clock,
            std::ostream* accessLog);
  ~PortalSim();

  // Binds and starts serving; throws std::runtime_error on a non-loopback host, a bad
  // certificate/key, or a port in use. Returns the bound port.
  int start(const ServerOptions& options);
  // Stops accepting, releases held (timeout-fault) connections, waits for handlers.
  void stop();

  // Sets "today" (quota day) to 09:00 WIB of `day`; until then the clock passed in is used.
  void setToday(const Date& day);
  void addFault(const Fault& f);
  void clearFaults();
  std::string statsJson() const;
  void resetStats();
  // Serves the data-balikan stand-in (/balikan, /sim/balikan/...) on this server too.
  // `receiver` (not owned) must outlive the server; set before start().
  void setBalikanReceiver(BalikanReceiver* receiver) { balikan_ = receiver; }

  // Handles one HTTP exchange (public for the Poco handler adapter).
  void handle(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp);

 private:
  struct UserState {
    Date day;
    int used = 0;
  };
  struct Stats {
    long requests = 0;
    long hits = 0;
    std::map<std::string, long> outcomes;
    std::map<std::string, long> faults;
  };

  void callNik(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp);
  void admin(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp);
  std::optional<Fault> takeFault(const std::string& userId);
  void record(const std::string& userKey, const std::string& outcome, bool hit,
              const std::string& fault);
  Date today() const;

  const Population& population_;
  std::vector<SimUser> users_;
  const Clock& clock_;
  std::ostream* accessLog_;

  mutable std::mutex mu_;
  std::condition_variable stopping_;
  bool stopped_ = false;
  std::optional<Date> today_;
  std::map<std::string, UserState> quota_;
  std::vector<Fault> faults_;
  std::map<std::string, Stats> stats_;
  long sequence_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  BalikanReceiver* balikan_ = nullptr;
};

}  // namespace gerbang::sim::portal
