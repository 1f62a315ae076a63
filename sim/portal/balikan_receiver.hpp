// The stand-in for the registry office's data-balikan web service (issue 6 item 7), as its
// public clients see it:
//
//   POST /balikan   Authorization: Bearer <token>, JSON (optionally Content-Encoding: gzip)
//        [{"id_lembaga": "...", "nama_lembaga": "...", "data": [{"NIK": "...", "param": [{..}]}]}]
//   200 {"message":"Success"}                      every record stored
//   400 {"message":"Data sudah pernah dikirim"}    at least one record was already held (the
//                                                  new ones of the request are stored too)
//   400 {"message":"Format data tidak valid: ..."} schema error (nothing stored); names the
//                                                  member, never a value
//   401 {"message":"Unauthorized"}                 wrong or missing token
//   415 {"message":"Content-Encoding tidak didukung"}  gzip body while gzip is off
//
// A record is "already held" when the same agency sent the same NIK with the same param
// content before (key: SHA-256 of id_lembaga, NIK and the canonical param JSON), so
// re-sending after a crash is idempotent. Records are held in memory only (as keys: the
// stand-in keeps no NIK), and survive only as long as the process: tests keep it running
// across the host's restarts.
//
// Admin (loopback peers only):
//   GET    /sim/balikan/count   {"records": n, "per_agency": {...}, "duplicates": n,
//                                "requests": n, "gzip_requests": n, "faults": n}
//   POST   /sim/balikan/faults  {"kind": "latency|http500|http503|reset|drop", "count": n,
//                                "latency_ms": n}; drop = store the records, then close the
//                                connection without an answer
//   DELETE /sim/balikan/faults
//   POST   /sim/balikan/reset   forget every record and counter
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace gerbang::sim::portal {

struct BalikanFault {
  enum class Kind { kLatency, kHttp500, kHttp503, kReset, kDrop };
  Kind kind = Kind::kHttp500;
  int count = 1;  // requests it hits; -1 = all
  int latencyMs = 0;
};
// Parses {"kind": ..., "count": n, "latency_ms": n}; throws std::invalid_argument naming
// the member that is wrong.
BalikanFault parseBalikanFault(const std::string& json);

struct BalikanCounts {
  long records = 0;  // distinct records held
  std::map<std::string, long> perAgency;
  long duplicates = 0;  // records received again
  long requests = 0;    // POST /balikan requests (faulted ones included)
  long gzipRequests = 0;
  long faults = 0;
};

class BalikanReceiver {
 public:
  // `token`: the bearer token callers must present (non-empty). `acceptGzip` false answers
  // gzip bodies with 415.
  explicit BalikanReceiver(std::string token, bool acceptGzip = true);
  ~BalikanReceiver();

  // True for the paths this receiver serves (/balikan and /sim/balikan/...).
  static bool handles(const std::string& path);
  // Handles one exchange on such a path. Never throws.
  void handle(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp);

  // Serves on its own (without the portal stand-in) on 127.0.0.1 or ::1; port 0 = ephemeral.
  // Returns the bound port. Throws std::runtime_error on a non-loopback host.
  int start(const std::string& host = "127.0.0.1", int port = 0);
  void stop();

  void addFault(const BalikanFault& f);
  void clearFaults();
  void setAcceptGzip(bool accept);
  BalikanCounts counts() const;
  std::string countsJson() const;
  void reset();

 private:
  void receive(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp);
  void admin(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp);
  std::optional<BalikanFault> takeFault();

  const std::string token_;
  mutable std::mutex mu_;
  bool acceptGzip_;
  std::vector<BalikanFault> faults_;
  std::set<std::string> held_;  // record keys (digests), never the records themselves
  BalikanCounts counts_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace gerbang::sim::portal
