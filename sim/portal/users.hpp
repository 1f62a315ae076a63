// The stand-in's configured registry users (one per agency User ID) and injected faults.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gerbang::sim::portal {

// A fault the stand-in injects instead of (or on top of) a normal answer.
struct Fault {
  enum class Kind {
    kLatency,    // answer normally after latencyMs
    kTimeout,    // no answer: hold the connection latencyMs (default 60 s), then drop it
    kReset,      // close the connection with a TCP reset, no answer
    kHttp500,    // HTTP 500, no processing
    kHttp503,    // HTTP 503, no processing
    kMalformed,  // HTTP 200 with a body that is not JSON (the hit is counted)
    kTruncated,  // HTTP 200, Content-Length of the full answer, half of it sent (hit counted)
    kClose,      // answer normally, then close the kept-alive connection (an idle timeout)
    kFormatRefused,  // code 15 "NIK tidak sesuai format Dukcapil" for any NIK (the registry's
                     // own format rules refusing one that Gerbang's local check accepted)
  };
  Kind kind = Kind::kLatency;
  std::string userId;  // empty: any user
  int count = 1;       // how many requests it hits; -1 = every request
  int latencyMs = 0;
};
// "latency", "timeout", "reset", "http500", "http503", "malformed", "truncated", "close".
const char* faultName(Fault::Kind k);
std::optional<Fault::Kind> parseFaultKind(const std::string& s);

// One registry account, with the deployment's spelling variants so that the client's
// tolerance is tested for real.
struct SimUser {
  std::string userId;
  std::string password;
  std::string lembaga;            // informational: the institution name for the URL
  std::string clientIp = "127.0.0.1";  // the IP_USER value the request must carry; "*" = any
  bool institutionActive = true;
  bool userActive = true;
  int dailyQuota = 1000;          // hits per Jakarta day; -1 = unlimited
  std::vector<std::string> fields;  // the record fields returned; empty = every field
  // Spelling variants of the answer.
  std::string responKey = "RESPON";  // or "RESPONSE"
  bool sendCode = true;              // RESPONSE_CODE with confirmations and quota refusals
  std::string textCase = "as_is";    // "as_is", "upper", "lower"
  bool doubleSpaces = false;         // "Data  Ditemukan,  Meninggal  Dunia"
  std::string loginText = "Login Gagal";  // or "Gagal Login"
  bool numbers = false;              // NIK, NO_KK, NO_RT/RW, region codes as JSON numbers
  std::vector<std::pair<std::string, std::string>> extraFields;  // added to each record
  std::vector<Fault> faults;         // standing faults for this user
};

// Every field the stand-in knows, in the registry's order (the default field set).
const std::vector<std::string>& allFields();

// Parses {"users":[{...}]} (keys as in docs/portal.md). Throws std::runtime_error naming the
// user index and key on anything malformed or unknown.
std::vector<SimUser> parseUsers(const std::string& json);
// The embedded default: one user per agreement of the demo (synthetic credentials).
std::vector<SimUser> defaultUsers();
// The users as JSON ({"users":[...]}, passwords included: they are synthetic).
std::string usersToJson(const std::vector<SimUser>& users);
// Parses one fault object {"kind":..., "user_id":..., "count":..., "latency_ms":...}.
Fault parseFault(const std::string& json);

}  // namespace gerbang::sim::portal
