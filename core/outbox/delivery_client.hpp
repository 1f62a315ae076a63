// DeliveryClient: sends balikan records to the registry office's data-balikan web service,
// as its public clients do (PKS Purbalingga juknis: "data balikan melalui web service"):
//
//   POST <url>
//   Authorization: Bearer <token>
//   Content-Type: application/json   (Content-Encoding: gzip when compressing)
//   [{"id_lembaga": "...", "nama_lembaga": "...", "data": [{"NIK": "...", "param": [{...}]}]}]
//
// Answers: 2xx {"message": "Success"} = stored; HTTP 400 {"message": "Data sudah pernah
// dikirim"} = already held, which counts as delivered (it is what makes re-sending after a
// crash safe); 401/403 = the token is wrong (retry later, the operator must fix the config);
// 408, 429, 5xx and transport failures = transient; any other 4xx = the service refused the
// data itself.
//
// Gzip: "on" always compresses; "off" never; "auto" (the default) compresses and, when the
// service answers 415 Unsupported Media Type, re-sends that batch uncompressed and stays
// uncompressed for the client's lifetime. So a service that accepts gzip gets it without any
// configuration, and one that does not costs one extra round trip per process.
//
// The token is a secret: it is never logged or put in an error. TLS is verified as the
// registry portal client does (VERIFY_STRICT against ca_file, TLS 1.2 or newer).
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace gerbang::outbox {

enum class GzipMode { kOff, kOn, kAuto };

struct DeliveryConfig {
  std::string url;     // "http(s)://host:port/path"; loopback or the registry office's host
  std::string token;   // bearer token (secret)
  std::string caFile;  // PEM CA for https
  std::string idLembaga;
  std::string namaLembaga;
  GzipMode gzip = GzipMode::kAuto;
  int batchSize = 100;  // records per request, 1..1000
  int connectTimeoutMs = 5000;
  int readTimeoutMs = 30000;

  // Reads agreement.<id>.balikan.<key>, falling back to balikan.<key>, for the keys url,
  // token, ca_file, id_lembaga, nama_lembaga (default: `defaultName`), gzip (on|off|auto),
  // batch_size, connect_timeout_ms, read_timeout_ms. Throws std::invalid_argument naming
  // the key (never the token's value) when url or token is missing or a value is malformed.
  static DeliveryConfig fromConfig(const Poco::Util::AbstractConfiguration& conf,
                                   const std::string& agreement, const std::string& defaultName);
};

struct SendOutcome {
  enum class Kind { kDelivered, kDuplicate, kRejected, kUnauthorized, kTransient };
  Kind kind = Kind::kTransient;
  int httpStatus = 0;        // 0 when no answer arrived
  std::string message;       // the service's message or the transport error; no NIK
  std::size_t bytesSent = 0;  // request body bytes on the wire (after gzip)
  bool gzipped = false;
};
const char* outcomeName(SendOutcome::Kind k);

class DeliveryClient {
 public:
  // Throws std::invalid_argument for a URL that is not http(s) or a CA file that cannot be
  // used (startup).
  explicit DeliveryClient(DeliveryConfig config);
  ~DeliveryClient();
  DeliveryClient(const DeliveryClient&) = delete;
  DeliveryClient& operator=(const DeliveryClient&) = delete;

  const DeliveryConfig& config() const { return config_; }

  // The request body for `records` (each one payload: {"NIK": ..., "param": [...]}).
  std::string body(const std::vector<std::string>& records) const;

  // Sends one batch and classifies the answer. Never throws. Not thread-safe: one client
  // per delivering thread (it keeps its connection alive between batches).
  SendOutcome send(const std::vector<std::string>& records);

  // False once "auto" fell back to plain bodies.
  bool compressing() const;

 private:
  SendOutcome post(const std::string& json, bool gzip);
  struct Impl;
  DeliveryConfig config_;
  std::unique_ptr<Impl> impl_;
};

// Replaces runs of 12 or more digits by "[angka]" (a NIK in a service's message must not
// reach the store or a log).
std::string redactDigits(const std::string& s);

// `s` as a JSON string literal (quotes included).
std::string jsonString(const std::string& s);

}  // namespace gerbang::outbox
