// The HTTP(S) server of `gerbang serve`: Poco's HTTPServer with its own thread pool, TLS
// 1.2+ with strong ciphers when a certificate is configured, and plain HTTP only on a
// loopback address. It turns each Poco request into a web::Request, calls the dispatch
// function (WebApp::handle), and sends the web::Response with the security headers every
// response carries.
#pragma once

#include "core/web/http.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gerbang::web {

struct TlsConfig {
  std::string certificateFile;  // PEM; may hold the chain after the leaf
  std::string privateKeyFile;   // PEM; must not be readable by others (not checked here)
};

struct ServerConfig {
  // An IP address literal. Without `tls` it must be loopback (127.0.0.0/8 or ::1): the
  // agreements allow only closed networks, and a LAN listener without TLS would carry
  // passwords and population data in clear text.
  std::string bindAddress = "127.0.0.1";
  uint16_t port = 8080;  // 0 = any free port (see Server::port())
  std::optional<TlsConfig> tls;
  int threads = 8;                // request threads
  int maxQueued = 64;             // connections waiting for a thread
  size_t maxBodyBytes = 1 << 20;  // larger request bodies get 413
  // Optional per-request limit from method and path (e.g. 8 MiB for a balikan upload);
  // returning 0 keeps maxBodyBytes.
  using BodyLimit = std::function<size_t(const std::string& method, const std::string& path)>;
  BodyLimit bodyLimit;
  std::chrono::seconds timeout{30};
  // Host header values accepted (without the port, lower case, IPv6 in brackets). Empty:
  // on a loopback address only loopback names ("127.0.0.1", "localhost", "[::1]" and the
  // bind address) are accepted, which stops DNS-rebinding pages from reaching a local
  // server under their own name; on other addresses any Host is accepted.
  std::vector<std::string> allowedHosts;
};

// The default TLS 1.2 cipher list (TLS 1.3 suites are OpenSSL's defaults, all strong):
// forward secrecy and AEAD only.
inline constexpr const char* kTlsCipherList =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

// Adds the headers every response carries: a Content-Security-Policy without inline
// script, X-Content-Type-Options, X-Frame-Options DENY, Referrer-Policy no-referrer,
// Cache-Control no-store unless the response set its own, and HSTS when `secure`.
void applySecurityHeaders(Response& res, bool secure);

class Server {
 public:
  using Dispatch = std::function<void(Request&, Response&)>;

  // Checks the configuration and binds the socket (so port() is known), without serving
  // yet. Throws std::runtime_error with one clear line when the address is not an IP
  // literal, plain HTTP is asked for on a non-loopback address, the certificate or key
  // cannot be loaded, or the port cannot be bound.
  Server(ServerConfig config, Dispatch dispatch);
  // Stops the server if running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts accepting connections on the pool's threads.
  void start();
  // Stops accepting, closes open connections and waits for the request threads.
  // Idempotent.
  void stop();

  uint16_t port() const;
  bool secure() const;
  // "http://127.0.0.1:8080" / "https://[::1]:8443"
  std::string baseUrl() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gerbang::web
