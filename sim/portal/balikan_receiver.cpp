#include "sim/portal/balikan_receiver.hpp"

#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <cctype>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace gerbang::sim::portal {
namespace {

constexpr std::size_t kMaxBody = 64u << 20;

using Status = Poco::Net::HTTPResponse::HTTPStatus;

void send(Poco::Net::HTTPServerResponse& resp, const std::string& body,
          Status status = Poco::Net::HTTPResponse::HTTP_OK) {
  resp.setStatus(status);
  resp.setContentType("application/json");
  resp.setContentLength64(Poco::Int64(body.size()));
  std::ostream& out = resp.send();
  out << body;
  out.flush();
}

void message(Poco::Net::HTTPServerResponse& resp, const std::string& text, Status status) {
  Poco::JSON::Object o;
  o.set("message", text);
  std::ostringstream s;
  o.stringify(s);
  send(resp, s.str(), status);
}

void dropConnection(Poco::Net::HTTPServerRequest& req, bool reset) {
  auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(req);
  Poco::Net::StreamSocket s = impl.detachSocket();
  try {
    if (reset) s.setLinger(true, 0);
    else s.shutdownSend();
    s.close();
  } catch (const Poco::Exception&) {
    // The peer may be gone already; no answer either way.
  }
}

bool isNik(const std::string& s) {
  if (s.size() != 16) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// A parsed, schema-checked request: per record, its agency and key.
struct Incoming {
  std::vector<std::pair<std::string, std::string>> records;  // (id_lembaga, key)
};

// Throws std::invalid_argument naming the member (never a value).
Incoming check(const std::string& body) {
  Poco::JSON::Parser p;
  Poco::Dynamic::Var v;
  try {
    v = p.parse(body);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("badan permintaan bukan JSON");
  }
  auto top = v.extract<Poco::JSON::Array::Ptr>();
  if (!top) throw std::invalid_argument("badan permintaan harus larik JSON");
  if (top->size() == 0) throw std::invalid_argument("larik kosong");
  Incoming in;
  for (unsigned i = 0; i < top->size(); ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    auto lem = top->getObject(i);
    if (!lem) throw std::invalid_argument(at + " bukan objek");
    if (!lem->has("id_lembaga") || !lem->get("id_lembaga").isString() ||
        lem->getValue<std::string>("id_lembaga").empty())
      throw std::invalid_argument(at + ".id_lembaga wajib diisi (teks)");
    const std::string agency = lem->getValue<std::string>("id_lembaga");
    auto data = lem->getArray("data");
    if (!data) throw std::invalid_argument(at + ".data harus larik");
    for (unsigned k = 0; k < data->size(); ++k) {
      const std::string dat = at + ".data[" + std::to_string(k) + "]";
      auto rec = data->getObject(k);
      if (!rec) throw std::invalid_argument(dat + " bukan objek");
      if (!rec->has("NIK") || !rec->get("NIK").isString() ||
          !isNik(rec->getValue<std::string>("NIK")))
        throw std::invalid_argument(dat + ".NIK harus 16 angka (teks)");
      auto param = rec->getArray("param");
      if (!param) throw std::invalid_argument(dat + ".param harus larik");
      for (unsigned j = 0; j < param->size(); ++j)
        if (!param->getObject(j))
          throw std::invalid_argument(dat + ".param[" + std::to_string(j) + "] bukan objek");
      // Parsed objects keep their members sorted, so this is canonical.
      std::ostringstream canon;
      Poco::JSON::Stringifier::stringify(param, canon);
      Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
      sha.update(agency);
      sha.update(std::string(1, '\0'));
      sha.update(rec->getValue<std::string>("NIK"));
      sha.update(std::string(1, '\0'));
      sha.update(canon.str());
      in.records.emplace_back(agency, Poco::DigestEngine::digestToHex(sha.digest()));
    }
  }
  return in;
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(BalikanReceiver& r) : r_(r) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& resp) override {
    const std::string path = Poco::URI(req.getURI()).getPath();
    if (BalikanReceiver::handles(path)) return r_.handle(req, resp);
    send(resp, "{\"message\":\"Not found\"}", Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
  }

 private:
  BalikanReceiver& r_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(BalikanReceiver& r) : r_(r) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(r_);
  }

 private:
  BalikanReceiver& r_;
};

}  // namespace

BalikanFault parseBalikanFault(const std::string& json) {
  Poco::JSON::Object::Ptr o;
  try {
    Poco::JSON::Parser p;
    o = p.parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    throw std::invalid_argument("balikan fault: not a JSON object");
  }
  if (!o) throw std::invalid_argument("balikan fault: not a JSON object");
  BalikanFault f;
  const std::string kind = o->optValue<std::string>("kind", "");
  if (kind == "latency") f.kind = BalikanFault::Kind::kLatency;
  else if (kind == "http500") f.kind = BalikanFault::Kind::kHttp500;
  else if (kind == "http503") f.kind = BalikanFault::Kind::kHttp503;
  else if (kind == "reset") f.kind = BalikanFault::Kind::kReset;
  else if (kind == "drop") f.kind = BalikanFault::Kind::kDrop;
  else
    throw std::invalid_argument("balikan fault: kind must be latency, http500, http503, reset "
                                "or drop");
  f.count = o->optValue<int>("count", 1);
  if (f.count == 0 || f.count < -1)
    throw std::invalid_argument("balikan fault: count must be positive or -1");
  f.latencyMs = o->optValue<int>("latency_ms", 0);
  if (f.latencyMs < 0 || f.latencyMs > 600000)
    throw std::invalid_argument("balikan fault: latency_ms must be 0..600000");
  return f;
}

BalikanReceiver::BalikanReceiver(std::string token, bool acceptGzip)
    : token_(std::move(token)), acceptGzip_(acceptGzip) {
  if (token_.empty()) throw std::invalid_argument("balikan receiver: empty token");
}

BalikanReceiver::~BalikanReceiver() { stop(); }

bool BalikanReceiver::handles(const std::string& path) {
  return path == "/balikan" || path.rfind("/sim/balikan/", 0) == 0;
}

int BalikanReceiver::start(const std::string& host, int port) {
  if (host != "127.0.0.1" && host != "::1")
    throw std::runtime_error("balikan receiver: host must be 127.0.0.1 or ::1");
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(host, Poco::UInt16(port)), 64);
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(32);
  params->setKeepAlive(true);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
  server_->start();
  return int(socket.address().port());
}

void BalikanReceiver::stop() {
  if (server_) {
    server_->stopAll(true);
    server_.reset();
  }
}

void BalikanReceiver::addFault(const BalikanFault& f) {
  std::lock_guard lock(mu_);
  faults_.push_back(f);
}

void BalikanReceiver::clearFaults() {
  std::lock_guard lock(mu_);
  faults_.clear();
}

void BalikanReceiver::setAcceptGzip(bool accept) {
  std::lock_guard lock(mu_);
  acceptGzip_ = accept;
}

BalikanCounts BalikanReceiver::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

std::string BalikanReceiver::countsJson() const {
  BalikanCounts c = counts();
  Poco::JSON::Object o;
  o.set("records", c.records);
  Poco::JSON::Object per;
  for (const auto& [agency, n] : c.perAgency) per.set(agency, n);
  o.set("per_agency", per);
  o.set("duplicates", c.duplicates);
  o.set("requests", c.requests);
  o.set("gzip_requests", c.gzipRequests);
  o.set("faults", c.faults);
  std::ostringstream s;
  o.stringify(s);
  return s.str();
}

void BalikanReceiver::reset() {
  std::lock_guard lock(mu_);
  held_.clear();
  counts_ = {};
}

std::optional<BalikanFault> BalikanReceiver::takeFault() {
  std::lock_guard lock(mu_);
  if (faults_.empty()) return std::nullopt;
  BalikanFault f = faults_.front();
  if (faults_.front().count > 0 && --faults_.front().count == 0) faults_.erase(faults_.begin());
  ++counts_.faults;
  return f;
}

void BalikanReceiver::handle(Poco::Net::HTTPServerRequest& req,
                             Poco::Net::HTTPServerResponse& resp) {
  try {
    const std::string path = Poco::URI(req.getURI()).getPath();
    if (path.rfind("/sim/balikan/", 0) == 0) return admin(req, resp);
    if (req.getMethod() != Poco::Net::HTTPRequest::HTTP_POST)
      return message(resp, "Method not allowed", Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
    receive(req, resp);
  } catch (const std::exception&) {
    // Never echo the request: it holds NIKs and a token.
    if (!resp.sent())
      message(resp, "Internal error", Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
  }
}

void BalikanReceiver::receive(Poco::Net::HTTPServerRequest& req,
                              Poco::Net::HTTPServerResponse& resp) {
  {
    std::lock_guard lock(mu_);
    ++counts_.requests;
  }
  std::optional<BalikanFault> fault = takeFault();
  if (fault) {
    switch (fault->kind) {
      case BalikanFault::Kind::kLatency:
        std::this_thread::sleep_for(std::chrono::milliseconds(fault->latencyMs));
        break;
      case BalikanFault::Kind::kHttp500:
        return message(resp, "Internal Server Error",
                       Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
      case BalikanFault::Kind::kHttp503:
        return message(resp, "Service Unavailable",
                       Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
      case BalikanFault::Kind::kReset:
        return dropConnection(req, true);
      case BalikanFault::Kind::kDrop:
        break;  // handled after storing
    }
  }
  // The whole body is read before any answer, so a kept-alive connection stays in step.
  std::string raw;
  {
    char buf[8192];
    std::istream& in = req.stream();
    while (in) {
      in.read(buf, sizeof buf);
      raw.append(buf, size_t(in.gcount()));
      if (raw.size() > kMaxBody) {
        resp.setKeepAlive(false);
        return message(resp, "Badan permintaan terlalu besar",
                       Poco::Net::HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE);
      }
    }
  }
  const std::string auth = req.get("Authorization", "");
  if (auth != "Bearer " + token_)
    return message(resp, "Unauthorized", Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
  const std::string encoding = req.get("Content-Encoding", "");
  const bool gzip = Poco::icompare(encoding, "gzip") == 0;
  if (!encoding.empty() && !gzip)
    return message(resp, "Content-Encoding tidak didukung",
                   Poco::Net::HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE);
  std::string body;
  if (gzip) {
    {
      std::lock_guard lock(mu_);
      if (!acceptGzip_)
        return message(resp, "Content-Encoding tidak didukung",
                       Poco::Net::HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE);
      ++counts_.gzipRequests;
    }
    try {
      std::istringstream zin(raw);
      Poco::InflatingInputStream in(zin, Poco::InflatingStreamBuf::STREAM_GZIP);
      char buf[8192];
      while (in) {
        in.read(buf, sizeof buf);
        body.append(buf, size_t(in.gcount()));
        if (body.size() > kMaxBody)
          return message(resp, "Badan permintaan terlalu besar",
                         Poco::Net::HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE);
      }
    } catch (const Poco::Exception&) {
      return message(resp, "Format data tidak valid: gzip rusak",
                     Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
    }
  } else {
    body = std::move(raw);
  }
  Incoming in;
  try {
    in = check(body);
  } catch (const std::invalid_argument& e) {
    return message(resp, std::string("Format data tidak valid: ") + e.what(),
                   Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
  }
  bool duplicate = false;
  {
    std::lock_guard lock(mu_);
    for (const auto& [agency, key] : in.records) {
      if (held_.insert(key).second) {
        ++counts_.records;
        ++counts_.perAgency[agency];
      } else {
        ++counts_.duplicates;
        duplicate = true;
      }
    }
  }
  if (fault && fault->kind == BalikanFault::Kind::kDrop) return dropConnection(req, true);
  if (duplicate)
    return message(resp, "Data sudah pernah dikirim", Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
  message(resp, "Success", Poco::Net::HTTPResponse::HTTP_OK);
}

void BalikanReceiver::admin(Poco::Net::HTTPServerRequest& req,
                            Poco::Net::HTTPServerResponse& resp) {
  if (!req.clientAddress().host().isLoopback())
    return send(resp, "{\"error\":\"loopback only\"}", Poco::Net::HTTPResponse::HTTP_FORBIDDEN);
  const std::string path = Poco::URI(req.getURI()).getPath();
  const std::string& m = req.getMethod();
  std::string body;
  Poco::StreamCopier::copyToString(req.stream(), body, 65536);
  try {
    if (path == "/sim/balikan/count" && m == "GET") return send(resp, countsJson());
    if (path == "/sim/balikan/faults" && m == "POST") {
      addFault(parseBalikanFault(body));
      return send(resp, "{\"ok\":true}");
    }
    if (path == "/sim/balikan/faults" && m == "DELETE") {
      clearFaults();
      return send(resp, "{\"ok\":true}");
    }
    if (path == "/sim/balikan/reset" && m == "POST") {
      reset();
      return send(resp, "{\"ok\":true}");
    }
  } catch (const std::invalid_argument& e) {
    Poco::JSON::Object o;
    o.set("error", std::string(e.what()));
    std::ostringstream s;
    o.stringify(s);
    return send(resp, s.str(), Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
  }
  send(resp, "{\"error\":\"no such endpoint\"}", Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
}

}  // namespace gerbang::sim::portal
