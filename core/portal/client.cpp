#include "core/portal/client.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/URI.h>

#include "core/portal/response_parser.hpp"

#include <istream>
#include <ostream>
#include <stdexcept>

namespace gerbang::portal {
namespace {

constexpr size_t kMaxBody = 1 << 20;

Poco::Timespan span(std::chrono::milliseconds ms) {
  return Poco::Timespan(Poco::Timespan::TimeDiff(ms.count()) * 1000);
}

std::string jsonString(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

bool plainDigits(std::string_view s) {
  if (s.empty() || s.size() > 18 || s[0] == '0') return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Phases of one exchange: an error before the request is complete means the registry cannot
// have processed (nor counted) it.
enum class Phase { kConnect, kSend, kReceive };

const char* phaseName(Phase p) {
  return p == Phase::kConnect ? "connecting" : p == Phase::kSend ? "sending the request"
                                                                  : "reading the answer";
}

TransportFailure failure(TransportKind kind, Phase phase, const std::string& detail) {
  return TransportFailure{kind, phase == Phase::kReceive, 0,
                          std::string(phaseName(phase)) + ": " + detail};
}

}  // namespace

// A session that can be opened explicitly, so connect (and the TLS handshake) is a phase of
// its own.
class Client::Session {
 public:
  Session(const std::string& host, unsigned short port, Poco::Net::Context::Ptr tls) {
    if (tls) {
      http_ = std::make_unique<Opener<Poco::Net::HTTPSClientSession>>(host, port, tls);
    } else {
      http_ = std::make_unique<Opener<Poco::Net::HTTPClientSession>>(host, port);
    }
    tls_ = !tls.isNull();
  }
  Poco::Net::HTTPClientSession& http() { return *http_; }
  void open() {
    if (tls_) static_cast<Opener<Poco::Net::HTTPSClientSession>&>(*http_).open(true);
    else static_cast<Opener<Poco::Net::HTTPClientSession>&>(*http_).open(false);
  }

 private:
  template <class Base>
  struct Opener : Base {
    using Base::Base;
    void open(bool handshake) {
      if (this->connected()) {
        // A kept-alive connection that the portal closed while it sat in the pool (its idle
        // timeout) is readable (FIN) before anything is sent: reconnect now, instead of
        // sending a lookup that would end as "reset, may have reached the registry".
        if (!this->socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ |
                                                        Poco::Net::Socket::SELECT_ERROR))
          return;
        this->close();
      }
      this->reconnect();
      if (handshake) {
        Poco::Net::SecureStreamSocket s(this->socket());
        s.completeHandshake();
      }
    }
  };
  std::unique_ptr<Poco::Net::HTTPClientSession> http_;
  bool tls_ = false;
};

Client::Client(ClientConfig config) : config_(std::move(config)) {
  config_.validate();
  Poco::URI uri(config_.baseUrl);
  host_ = uri.getHost();
  port_ = uri.getPort();
  https_ = uri.getScheme() == "https";
  path_ = config_.dialect.urlTemplate;
  for (auto [name, value] : {std::pair<std::string, std::string>{"{lembaga}", config_.dialect.lembaga},
                             {"{kode_wilayah}", config_.dialect.kodeWilayah},
                             {"{group}", config_.dialect.group}}) {
    std::string escaped;
    Poco::URI::encode(value, "/?#", escaped);
    for (size_t p = path_.find(name); p != std::string::npos; p = path_.find(name, p + escaped.size()))
      path_.replace(p, name.size(), escaped);
  }
  if (https_) {
    try {
      // VERIFY_STRICT: the portal must present a certificate chaining to caFile; the system
      // trust store is not loaded (the portal sits on a closed network with its own CA).
      Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
          Poco::Net::Context::TLS_CLIENT_USE, config_.caFile, Poco::Net::Context::VERIFY_STRICT,
          9, false, "HIGH:!aNULL:!eNULL:!MD5:!RC4");
      ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
      tls_ = std::shared_ptr<void>(new Poco::Net::Context::Ptr(ctx), [](void* p) {
        delete static_cast<Poco::Net::Context::Ptr*>(p);
      });
    } catch (const Poco::Exception& e) {
      throw std::runtime_error("portal config: ca_file '" + config_.caFile +
                               "' is not a usable PEM CA: " + e.displayText());
    }
  }
}

Client::~Client() = default;

std::string Client::requestPath() const { return path_; }

std::string Client::requestBody(std::string_view nik) const {
  const Dialect& d = config_.dialect;
  // Built with append(): gcc 12's -Wrestrict misfires on long operator+ chains at -O3.
  std::string body;
  body.reserve(160);
  body.append("{").append(jsonString(d.nikKey)).append(":");
  body.append(d.nikAsNumber && plainDigits(nik) ? std::string(nik) : jsonString(nik));
  body.append(",").append(jsonString(d.userKey)).append(":").append(jsonString(config_.userId));
  body.append(",").append(jsonString(d.passwordKey)).append(":");
  body.append(jsonString(config_.password));
  body.append(",").append(jsonString(d.ipKey)).append(":").append(jsonString(config_.clientIp));
  body.append("}");
  return body;
}

std::unique_ptr<Client::Session> Client::acquire() {
  std::unique_lock lock(mu_);
  if (!freed_.wait_for(lock, config_.connectTimeout,
                       [&] { return active_ < config_.maxConnections; }))
    return nullptr;
  ++active_;
  if (!idle_.empty()) {
    auto s = std::move(idle_.back());
    idle_.pop_back();
    return s;
  }
  lock.unlock();
  try {
    Poco::Net::Context::Ptr ctx;
    if (tls_) ctx = *static_cast<Poco::Net::Context::Ptr*>(tls_.get());
    return std::make_unique<Session>(host_, port_, ctx);
  } catch (...) {
    release(nullptr, false);  // give the slot back
    throw;
  }
}

void Client::release(std::unique_ptr<Session> s, bool reusable) {
  {
    std::lock_guard lock(mu_);
    --active_;
    if (reusable && s) idle_.push_back(std::move(s));
  }
  freed_.notify_one();
  // A session that is not reusable is destroyed here, outside the lock (closes its socket).
}

CallNikResult Client::callNik(std::string_view nik) {
  std::unique_ptr<Session> session;
  try {
    session = acquire();
  } catch (const std::exception& e) {
    return TransportFailure{TransportKind::kRefused, false, 0,
                            std::string("cannot create a portal session: ") + e.what()};
  }
  if (!session)
    return TransportFailure{TransportKind::kTimeout, false, 0,
                            "no free connection to the portal within " +
                                std::to_string(config_.connectTimeout.count()) + " ms (" +
                                std::to_string(config_.maxConnections) + " in use)"};
  Phase phase = Phase::kConnect;
  bool reusable = false;
  CallNikResult result = TransportFailure{TransportKind::kReset, true, 0, ""};
  const std::string where = host_ + ":" + std::to_string(port_);
  try {
    Poco::Net::HTTPClientSession& http = session->http();
    http.setTimeout(span(config_.connectTimeout), span(config_.readTimeout),
                    span(config_.readTimeout));
    http.setKeepAlive(true);
    session->open();

    phase = Phase::kSend;
    const std::string body = requestBody(nik);
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, path_,
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.set("Accept", "application/json");
    req.setContentLength64(Poco::Int64(body.size()));
    req.setKeepAlive(true);
    std::ostream& os = http.sendRequest(req);
    os.write(body.data(), std::streamsize(body.size()));
    os.flush();
    if (!os.good()) throw Poco::Net::ConnectionResetException("request stream failed");

    phase = Phase::kReceive;
    Poco::Net::HTTPResponse resp;
    std::istream& is = http.receiveResponse(resp);
    std::string answer;
    char buf[8192];
    while (answer.size() <= kMaxBody && is.read(buf, sizeof buf).gcount() > 0)
      answer.append(buf, size_t(is.gcount()));
    if (is.bad()) throw Poco::Net::ConnectionResetException("answer stream failed");
    const int status = int(resp.getStatus());
    if (status != 200) {
      result = TransportFailure{TransportKind::kHttpStatus, true, status,
                                "portal " + where + " answered HTTP " + std::to_string(status) +
                                    " " + resp.getReason()};
    } else if (resp.hasContentLength() && Poco::Int64(answer.size()) < resp.getContentLength64()) {
      result = TransportFailure{TransportKind::kBadBody, true, status,
                                "truncated answer from " + where + ": " +
                                    std::to_string(answer.size()) + " of " +
                                    std::to_string(resp.getContentLength64()) + " bytes"};
    } else {
      result = parseCallNikResponse(answer);
      reusable = resp.getKeepAlive() && answer.size() <= kMaxBody;
    }
  } catch (const Poco::TimeoutException& e) {
    result = failure(TransportKind::kTimeout, phase, where + " timed out");
  } catch (const Poco::Net::ConnectionRefusedException& e) {
    result = failure(TransportKind::kRefused, phase, where + " refused the connection");
  } catch (const Poco::Net::HostNotFoundException& e) {
    result = failure(TransportKind::kRefused, phase, e.displayText());
  } catch (const Poco::Net::NoAddressFoundException& e) {
    result = failure(TransportKind::kRefused, phase, e.displayText());
  } catch (const Poco::Net::SSLConnectionUnexpectedlyClosedException& e) {
    result = failure(phase == Phase::kConnect ? TransportKind::kTls : TransportKind::kReset, phase,
                     where + ": TLS connection closed unexpectedly");
  } catch (const Poco::Net::SSLException& e) {
    result = failure(TransportKind::kTls, phase,
                     where + ": TLS failed (verified against ca_file '" + config_.caFile +
                         "'): " + e.displayText());
  } catch (const Poco::Net::NoMessageException& e) {
    result = failure(TransportKind::kReset, phase, where + " closed the connection without an answer");
  } catch (const Poco::Net::MessageException& e) {
    result = failure(TransportKind::kBadBody, phase, where + " sent a malformed HTTP answer: " +
                                                         e.displayText());
  } catch (const Poco::Exception& e) {
    result = failure(TransportKind::kReset, phase, where + ": " + e.displayText());
  } catch (const std::exception& e) {
    result = failure(TransportKind::kReset, phase, where + ": " + e.what());
  }
  release(std::move(session), reusable);
  return result;
}

}  // namespace gerbang::portal
