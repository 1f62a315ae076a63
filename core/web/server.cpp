#include "core/web/server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>

namespace gerbang::web {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

void send(Poco::Net::HTTPServerResponse& out, Response& res, bool secure) {
  applySecurityHeaders(res, secure);
  out.setStatus(Poco::Net::HTTPResponse::HTTPStatus(res.status));
  out.setReason(Poco::Net::HTTPResponse::getReasonForStatus(out.getStatus()));
  out.setContentType(res.contentType);
  for (const auto& [n, v] : res.headers) out.set(n, v);
  for (const auto& c : res.cookies) out.add("Set-Cookie", c);
  out.setContentLength64(Poco::Int64(res.body.size()));
  out.sendBuffer(res.body.data(), res.body.size());
}

// "Host: 127.0.0.1:8080" → "127.0.0.1"; "[::1]:8080" → "[::1]".
std::string hostWithoutPort(const std::string& host) {
  std::string h = lower(host);
  if (!h.empty() && h.front() == '[') {
    size_t close = h.find(']');
    return close == std::string::npos ? h : h.substr(0, close + 1);
  }
  size_t colon = h.find(':');
  return colon == std::string::npos ? h : h.substr(0, colon);
}

class Handler final : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(const Server::Dispatch& dispatch, size_t maxBody,
          const std::vector<std::string>& allowedHosts, const ServerConfig::BodyLimit& bodyLimit)
      : dispatch_(dispatch), maxBody_(maxBody), allowedHosts_(allowedHosts), bodyLimit_(bodyLimit) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    Response res;
    const bool secure = in.secure();
    Request req;
    req.secure = secure;
    req.method = in.getMethod();
    req.clientAddress = in.clientAddress().toString();
    try {
      Poco::URI uri(in.getURI());
      req.path = uri.getPath();
      for (auto& [k, v] : uri.getQueryParameters()) req.query[k] = v;
    } catch (const Poco::Exception&) {
      res.error(400, "bad_request", "Alamat (URI) permintaan tidak sah.");
      send(out, res, secure);
      return;
    }
    for (const auto& [name, value] : in) {
      std::string key = lower(name);
      auto it = req.headers.find(key);
      if (it == req.headers.end())
        req.headers.emplace(key, value);
      else
        it->second += (key == "cookie" ? "; " : ", ") + value;
    }
    if (!allowedHosts_.empty() &&
        std::find(allowedHosts_.begin(), allowedHosts_.end(),
                  hostWithoutPort(req.header("Host"))) == allowedHosts_.end()) {
      res.error(400, "bad_host", "Nama host pada permintaan tidak dikenal oleh server ini.");
      out.setKeepAlive(false);
      send(out, res, secure);
      return;
    }
    // A route may allow larger bodies (uploads); decided from method and path alone, before
    // any authentication, so it can only name routes that need it.
    if (bodyLimit_)
      if (size_t l = bodyLimit_(req.method, req.path); l > 0) maxBody_ = l;
    if (in.hasContentLength() && in.getContentLength64() > Poco::Int64(maxBody_)) {
      tooLarge(out, res, secure);
      return;
    }
    // Read at most one byte past the limit: a chunked body does not announce its size.
    std::istream& body = in.stream();
    std::string buf(maxBody_ + 1, '\0');
    body.read(buf.data(), std::streamsize(buf.size()));
    buf.resize(size_t(body.gcount()));
    if (buf.size() > maxBody_) {
      tooLarge(out, res, secure);
      return;
    }
    req.body = std::move(buf);
    try {
      dispatch_(req, res);
    } catch (const std::exception& e) {
      // Exceptions on the request path never carry personal data (docs/developing.md),
      // so the message may be logged; the caller gets a generic answer.
      spdlog::error("web: {} {} failed: {}", req.method, req.path, e.what());
      res = Response{};
      res.error(500, "internal_error",
                "Terjadi kesalahan di server. Coba lagi atau hubungi admin.");
    }
    send(out, res, secure);
  }

 private:
  void tooLarge(Poco::Net::HTTPServerResponse& out, Response& res, bool secure) {
    res.error(413, "body_too_large",
              "Isi permintaan terlalu besar (maksimal " + std::to_string(maxBody_) + " bita).");
    out.setKeepAlive(false);
    send(out, res, secure);
  }

  const Server::Dispatch& dispatch_;
  size_t maxBody_;
  const std::vector<std::string>& allowedHosts_;
  const ServerConfig::BodyLimit& bodyLimit_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const Server::Dispatch& dispatch, size_t maxBody,
          const std::vector<std::string>& allowedHosts, const ServerConfig::BodyLimit& bodyLimit)
      : dispatch_(dispatch), maxBody_(maxBody), allowedHosts_(allowedHosts), bodyLimit_(bodyLimit) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(dispatch_, maxBody_, allowedHosts_, bodyLimit_);
  }

 private:
  const Server::Dispatch& dispatch_;
  size_t maxBody_;
  const std::vector<std::string>& allowedHosts_;
  const ServerConfig::BodyLimit& bodyLimit_;
};

void mustBeReadable(const std::string& file, const char* what) {
  std::ifstream in(file);
  if (file.empty() || !in)
    throw std::runtime_error(std::string("web: cannot read the TLS ") + what + " file '" + file +
                             "'");
}

Poco::Net::Context::Ptr makeTlsContext(const TlsConfig& tls) {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
  mustBeReadable(tls.certificateFile, "certificate");
  mustBeReadable(tls.privateKeyFile, "private key");
  Poco::Net::Context::Params p;
  p.certificateFile = tls.certificateFile;
  p.privateKeyFile = tls.privateKeyFile;
  p.verificationMode = Poco::Net::Context::VERIFY_NONE;  // no client certificates
  p.loadDefaultCAs = false;
  p.cipherList = kTlsCipherList;
  p.dhUse2048Bits = true;
  try {
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, p);
    // TLS 1.0 and 1.1 are broken (RFC 8996); the closed network is no excuse to keep them.
    ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // Poco loads the key and the certificate but does not check that they belong together.
    if (SSL_CTX_check_private_key(ctx->sslContext()) != 1)
      throw std::runtime_error("web: the TLS private key '" + tls.privateKeyFile +
                               "' does not match the certificate '" + tls.certificateFile + "'");
    ctx->preferServerCiphers();
    ctx->disableStatelessSessionResumption();
    return ctx;
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("web: cannot load the TLS certificate '" + tls.certificateFile +
                             "' and key '" + tls.privateKeyFile + "': " + e.displayText());
  }
}

}  // namespace

void applySecurityHeaders(Response& res, bool secure) {
  // No inline script or style anywhere in web/: the policy can forbid both.
  res.setHeader("Content-Security-Policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
                "frame-ancestors 'none'");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (res.header("Cache-Control").empty()) res.setHeader("Cache-Control", "no-store");
  if (secure) res.setHeader("Strict-Transport-Security", "max-age=31536000");
}

struct Server::Impl {
  ServerConfig config;
  Dispatch dispatch;
  Poco::ThreadPool pool;
  Poco::Net::ServerSocket socket;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  bool running = false;
  std::mutex mutex;

  Impl(ServerConfig c, Dispatch d)
      : config(std::move(c)), dispatch(std::move(d)), pool(2, std::max(2, config.threads), 60) {}
};

Server::Server(ServerConfig config, Dispatch dispatch)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(dispatch))) {
  const ServerConfig& c = impl_->config;
  Poco::Net::IPAddress ip;
  // Poco's tryParse() reports the wildcard addresses ("::") as failures; inet_pton does not.
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, c.bindAddress.c_str(), &v4) == 1)
    ip = Poco::Net::IPAddress(&v4, sizeof v4);
  else if (inet_pton(AF_INET6, c.bindAddress.c_str(), &v6) == 1)
    ip = Poco::Net::IPAddress(&v6, sizeof v6);
  else
    throw std::runtime_error("web: bind address '" + c.bindAddress +
                             "' is not an IP address (write e.g. 127.0.0.1 or 10.0.0.5)");
  if (!c.tls && !ip.isLoopback())
    throw std::runtime_error(
        "web: refusing plain HTTP on '" + c.bindAddress +
        "': without TLS the server may only listen on a loopback address (127.0.0.0/8 or "
        "::1); set a TLS certificate and key to serve the LAN");
  if (c.threads < 1 || c.maxQueued < 1 || c.maxBodyBytes == 0)
    throw std::runtime_error("web: threads, queue and body limit must be positive");
  if (impl_->config.allowedHosts.empty() && ip.isLoopback()) {
    std::string bound =
        ip.family() == Poco::Net::IPAddress::IPv6 ? "[" + ip.toString() + "]" : ip.toString();
    impl_->config.allowedHosts = {"127.0.0.1", "localhost", "[::1]", bound};
  }
  for (auto& h : impl_->config.allowedHosts) h = lower(h);
  Poco::Net::SocketAddress addr(ip, c.port);
  try {
    if (c.tls) {
      Poco::Net::SecureServerSocket s(makeTlsContext(*c.tls));
      s.bind(addr, true, false);
      s.listen(64);
      impl_->socket = s;
    } else {
      Poco::Net::ServerSocket s;
      s.bind(addr, true, false);
      s.listen(64);
      impl_->socket = s;
    }
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("web: cannot listen on " + addr.toString() + ": " + e.displayText());
  }
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(c.threads);
  params->setMaxQueued(c.maxQueued);
  params->setTimeout(Poco::Timespan(long(c.timeout.count()), 0));
  params->setKeepAlive(true);
  params->setSoftwareVersion("");  // do not advertise the server software
  impl_->server = std::make_unique<Poco::Net::HTTPServer>(
      new Factory(impl_->dispatch, c.maxBodyBytes, impl_->config.allowedHosts,
                  impl_->config.bodyLimit),
      impl_->pool,
      impl_->socket, params);
}

Server::~Server() { stop(); }

void Server::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->running) return;
  impl_->server->start();
  impl_->running = true;
}

void Server::stop() {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->running) return;
  impl_->server->stopAll(true);
  impl_->pool.joinAll();
  impl_->running = false;
}

uint16_t Server::port() const { return impl_->socket.address().port(); }
bool Server::secure() const { return impl_->config.tls.has_value(); }

std::string Server::baseUrl() const {
  std::string host = impl_->config.bindAddress;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(secure() ? "https://" : "http://") + host + ":" + std::to_string(port());
}

}  // namespace gerbang::web
