#include "sim/portal/portal_server.hpp"

#include "sim/portal/json_out.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>

namespace gerbang::sim::portal {
namespace {

const char* kDeceased = "Data Ditemukan, Meninggal Dunia";
const char* kDuplicate = "Data Ditemukan, Data Ganda";
const char* kNotFound = "Data Tidak Ditemukan, NIK tidak terdapat di database Kependudukan";
const char* kInactive = "Data Ditemukan, Status Non Aktif silahkan hubungi Dinas Dukcapil";
const char* kBadFormat = "Data Tidak Ditemukan, NIK tidak sesuai format Dukcapil";
const char* kQuota = "Kuota Akses Hari ini telah Habis";
const char* kAgencyInactive = "Instansi tidak aktif";
const char* kUserInactive = "User ID non aktif, silahkan menghubungi Admin";
const char* kIpMismatch = "IP Address Tidak Sesuai";

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string styled(const SimUser& u, std::string text) {
  if (u.textCase == "upper")
    for (char& c : text) c = char(std::toupper(static_cast<unsigned char>(c)));
  if (u.textCase == "lower") text = lower(text);
  if (u.doubleSpaces) {
    std::string out;
    for (char c : text) out += c == ' ' ? std::string("  ") : std::string(1, c);
    text = out;
  }
  return text;
}

std::string envelope(const std::string& record, std::optional<int> quotaLeft) {
  std::string out = "{\"content\":[" + record +
                    "],\"lastPage\":true,\"numberOfElements\":1,\"sort\":null,"
                    "\"totalElements\":1,\"firstPage\":true,\"number\":0,\"size\":1";
  if (quotaLeft) out += ",\"quotaLimiter\":" + std::to_string(*quotaLeft);
  return out + "}";
}

// A 16-digit NIK with a possible birth day (1-31, women 41-71) and month: the registry's
// "format Dukcapil" check. The district code is not checked (NIKs keep old codes).
bool wellFormedNik(const std::string& nik) {
  if (nik.size() != 16) return false;
  for (char c : nik)
    if (c < '0' || c > '9') return false;
  int dd = std::stoi(nik.substr(6, 2)), mm = std::stoi(nik.substr(8, 2));
  bool day = (dd >= 1 && dd <= 31) || (dd >= 41 && dd <= 71);
  return day && mm >= 1 && mm <= 12 && nik.substr(12, 4) != "0000";
}

// Reads a request value by any of its deployment spellings; JSON numbers become digits.
std::optional<std::string> field(const Poco::JSON::Object::Ptr& o,
                                 std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (!o->has(n)) continue;
    Poco::Dynamic::Var v = o->get(n);
    if (v.isEmpty()) return std::string();
    if (v.isString()) return v.toString();
    if (v.isInteger()) return v.toString();
    if (v.isNumeric()) {
      double d = v.convert<double>();
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.0f", d);
      return std::string(buf);
    }
    return v.toString();
  }
  return std::nullopt;
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(PortalSim& sim) : sim_(sim) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& resp) override {
    sim_.handle(req, resp);
  }

 private:
  PortalSim& sim_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(PortalSim& sim) : sim_(sim) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(sim_);
  }

 private:
  PortalSim& sim_;
};

void sendJson(Poco::Net::HTTPServerResponse& resp, const std::string& body,
              Poco::Net::HTTPResponse::HTTPStatus status = Poco::Net::HTTPResponse::HTTP_OK) {
  resp.setStatus(status);
  resp.setContentType("application/json");
  resp.setContentLength64(Poco::Int64(body.size()));
  std::ostream& out = resp.send();
  out << body;
  out.flush();  // on the wire now, even if the connection is dropped right after
}

// Drops the connection: with a TCP reset (linger 0) or an orderly close.
void dropConnection(Poco::Net::HTTPServerRequest& req, bool reset) {
  auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(req);
  Poco::Net::StreamSocket s = impl.detachSocket();
  try {
    if (reset) s.setLinger(true, 0);
    else s.shutdownSend();
    s.close();
  } catch (const Poco::Exception&) {
    // The peer may already be gone; the effect (no answer) is the same.
  }
}

}  // namespace

PortalSim::PortalSim(const Population& population, std::vector<SimUser> users,
                     const Clock& clock, std::ostream* accessLog)
    : population_(population), users_(std::move(users)), clock_(clock), accessLog_(accessLog) {
  for (const auto& u : users_)
    for (const auto& f : u.faults) faults_.push_back(f);
}

PortalSim::~PortalSim() { stop(); }

int PortalSim::start(const ServerOptions& o) {
  if (o.host != "127.0.0.1" && o.host != "::1" && o.host != "localhost")
    throw std::runtime_error("portal-sim: --host must be a loopback address (127.0.0.1 or ::1)");
  Poco::Net::SocketAddress addr(o.host == "localhost" ? "127.0.0.1" : o.host,
                                Poco::UInt16(o.port));
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(o.maxThreads);
  params->setMaxQueued(512);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);  // unlimited
  params->setKeepAliveTimeout(Poco::Timespan(30, 0));
  static Poco::ThreadPool pool(4, 256);
  try {
    if (!o.tlsCert.empty() || !o.tlsKey.empty()) {
      if (o.tlsCert.empty() || o.tlsKey.empty())
        throw std::runtime_error("portal-sim: --tls-cert and --tls-key go together");
      Poco::Net::Context::Ptr ctx = new Poco::Net::Context(
          Poco::Net::Context::TLS_SERVER_USE, o.tlsKey, o.tlsCert, "",
          Poco::Net::Context::VERIFY_NONE, 9, false, "HIGH:!aNULL:!eNULL:!MD5:!RC4");
      Poco::Net::SecureServerSocket socket(addr, 128, ctx);
      server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), pool, socket, params);
    } else {
      Poco::Net::ServerSocket socket(addr, 128);
      server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), pool, socket, params);
    }
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("portal-sim: cannot listen on " + o.host + ":" +
                             std::to_string(o.port) + ": " + e.displayText());
  }
  server_->start();
  return server_->port();
}

void PortalSim::stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  stopping_.notify_all();
  if (server_) {
    server_->stopAll(true);
    server_.reset();
  }
}

void PortalSim::setToday(const Date& day) {
  std::lock_guard lock(mu_);
  today_ = day;
}

Date PortalSim::today() const {
  std::lock_guard lock(mu_);
  return today_ ? *today_ : clock_.today();
}

void PortalSim::addFault(const Fault& f) {
  std::lock_guard lock(mu_);
  faults_.push_back(f);
}

void PortalSim::clearFaults() {
  std::lock_guard lock(mu_);
  faults_.clear();
}

std::optional<Fault> PortalSim::takeFault(const std::string& userId) {
  std::lock_guard lock(mu_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->userId.empty() && it->userId != userId) continue;
    Fault f = *it;
    if (it->count > 0 && --it->count == 0) faults_.erase(it);
    return f;
  }
  return std::nullopt;
}

void PortalSim::record(const std::string& userKey, const std::string& outcome, bool hit,
                       const std::string& fault) {
  long seq;
  {
    std::lock_guard lock(mu_);
    Stats& s = stats_[userKey];
    ++s.requests;
    if (hit) ++s.hits;
    if (!outcome.empty()) ++s.outcomes[outcome];
    if (!fault.empty()) ++s.faults[fault];
    seq = ++sequence_;
  }
  // Access log: sequence and outcome only. No NIK, no user ID, no password (the agency's
  // User ID and password are secret under every juknis).
  if (accessLog_) {
    std::string line = "portal-sim: request " + std::to_string(seq) + " outcome=" +
                        (outcome.empty() ? "none" : outcome) +
                        (fault.empty() ? "" : " fault=" + fault) + "\n";
    static std::mutex logMu;
    std::lock_guard lock(logMu);
    *accessLog_ << line << std::flush;
  }
}

std::string PortalSim::statsJson() const {
  std::lock_guard lock(mu_);
  long total = 0;
  std::string users;
  for (const auto& [id, s] : stats_) {
    total += s.requests;
    if (!users.empty()) users += ",";
    users += jsonQuote(id) + ":{\"requests\":" + std::to_string(s.requests) +
             ",\"hits\":" + std::to_string(s.hits) + ",\"outcomes\":{";
    bool first = true;
    for (const auto& [k, v] : s.outcomes) {
      users.append(first ? "" : ",").append(jsonQuote(k)).append(":").append(std::to_string(v));
      first = false;
    }
    users += "},\"faults\":{";
    first = true;
    for (const auto& [k, v] : s.faults) {
      users.append(first ? "" : ",").append(jsonQuote(k)).append(":").append(std::to_string(v));
      first = false;
    }
    users += "}}";
  }
  return "{\"requests\":" + std::to_string(total) + ",\"users\":{" + users + "}}";
}

void PortalSim::resetStats() {
  std::lock_guard lock(mu_);
  stats_.clear();
}

void PortalSim::handle(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) {
  try {
    const std::string path = Poco::URI(req.getURI()).getPath();
    if (balikan_ != nullptr && BalikanReceiver::handles(path)) return balikan_->handle(req, resp);
    if (path.rfind("/sim/", 0) == 0) return admin(req, resp);
    // Dialects: /dukcapil/get_json/<LEMBAGA>/CALL_NIK and
    // /dukcapil/get_json/<kode-wilayah>/<group>/call_nik (any case in the last segment).
    std::vector<std::string> seg;
    for (size_t p = 1; p <= path.size();) {
      size_t q = path.find('/', p);
      if (q == std::string::npos) q = path.size();
      seg.push_back(path.substr(p, q - p));
      p = q + 1;
    }
    bool callNikPath = (seg.size() == 4 || seg.size() == 5) && seg[0] == "dukcapil" &&
                       seg[1] == "get_json" && lower(seg.back()) == "call_nik";
    for (size_t k = 2; callNikPath && k + 1 < seg.size(); ++k) callNikPath = !seg[k].empty();
    if (!callNikPath) {
      record("(none)", "not_found_path", false, "");
      return sendJson(resp, "{\"error\":\"no such endpoint\"}",
                      Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
    }
    if (req.getMethod() != Poco::Net::HTTPRequest::HTTP_POST) {
      record("(none)", "bad_method", false, "");
      return sendJson(resp, "{\"error\":\"CALL_NIK takes POST\"}",
                      Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
    }
    callNik(req, resp);
  } catch (const std::exception& e) {
    // Never echo the request: it holds a NIK and a password.
    if (!resp.sent()) sendJson(resp, "{\"error\":\"internal\"}",
                               Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
  }
}

void PortalSim::callNik(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) {
  std::string body;
  Poco::StreamCopier::copyToString(req.stream(), body, 8192);
  Poco::JSON::Object::Ptr in;
  try {
    Poco::JSON::Parser p;
    in = p.parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (...) {
    in = nullptr;
  }
  if (!in) {
    record("(none)", "bad_request", false, "");
    return sendJson(resp, "{\"error\":\"body is not a JSON object\"}",
                    Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
  }
  const std::string nik = field(in, {"NIK", "nik", "Nik"}).value_or("");
  const std::string userId = field(in, {"user_id", "USER_ID", "userId", "UserId"}).value_or("");
  const std::string password = field(in, {"password", "PASSWORD", "Password"}).value_or("");
  const std::optional<std::string> ip =
      field(in, {"IP_USER", "ip_user", "ip_address", "IP_ADDRESS", "ipUser"});

  const SimUser* user = nullptr;
  for (const auto& u : users_)
    if (u.userId == userId) user = &u;
  const std::string statsKey = user ? user->userId : "(unknown)";

  std::string faultName;
  std::optional<Fault> fault = takeFault(user ? user->userId : "");
  if (fault) {
    faultName = portal::faultName(fault->kind);
    switch (fault->kind) {
      case Fault::Kind::kLatency:
        std::this_thread::sleep_for(std::chrono::milliseconds(fault->latencyMs));
        break;
      case Fault::Kind::kTimeout: {
        record(statsKey, "", false, faultName);  // counted now: the request did arrive
        std::unique_lock lock(mu_);
        stopping_.wait_for(lock, std::chrono::milliseconds(fault->latencyMs),
                           [&] { return stopped_; });
        lock.unlock();
        return dropConnection(req, false);
      }
      case Fault::Kind::kReset:
        record(statsKey, "", false, faultName);
        return dropConnection(req, true);
      case Fault::Kind::kHttp500:
      case Fault::Kind::kHttp503: {
        record(statsKey, "", false, faultName);
        resp.setStatus(fault->kind == Fault::Kind::kHttp500
                           ? Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR
                           : Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
        std::string b = "<html><body>Service error</body></html>";
        resp.setContentType("text/html");
        resp.setContentLength64(Poco::Int64(b.size()));
        resp.send() << b;
        return;
      }
      default:
        break;  // malformed / truncated: process, then spoil the answer
    }
  }

  auto refuse = [&](const char* outcome, const char* text, const char* code) {
    record(statsKey, outcome, false, faultName);
    const SimUser& style = user ? *user : users_.front();
    std::string rec = "{" + jsonQuote(style.responKey) + ":" + jsonQuote(styled(style, text));
    if (code && style.sendCode) rec += ",\"RESPONSE_CODE\":" + jsonQuote(code);
    sendJson(resp, envelope(rec + "}", std::nullopt));
  };
  if (!user || user->password != password) {
    record(statsKey, "login_failed", false, faultName);
    const SimUser& style = user ? *user : users_.front();
    std::string rec = "{" + jsonQuote(style.responKey) + ":" + jsonQuote(style.loginText) + "}";
    return sendJson(resp, envelope(rec, std::nullopt));
  }
  if (!user->institutionActive) return refuse("agency_inactive", kAgencyInactive, nullptr);
  if (!user->userActive) return refuse("user_inactive", kUserInactive, nullptr);
  if (user->clientIp != "*" && ip.value_or("") != user->clientIp)
    return refuse("ip_mismatch", kIpMismatch, nullptr);

  // Quota: every lookup that passes the parameter checks is a hit, per User ID per
  // Asia/Jakarta day (juknis: "kuota ... per hari").
  int left = -1;
  {
    Date day = today();
    std::lock_guard lock(mu_);
    UserState& q = quota_[user->userId];
    if (q.day != day) q = UserState{day, 0};
    if (user->dailyQuota >= 0 && q.used >= user->dailyQuota) {
      left = -2;
    } else {
      ++q.used;
      left = user->dailyQuota >= 0 ? user->dailyQuota - q.used : 999999;
    }
  }
  if (left == -2) {
    record(statsKey, "quota_exhausted", false, faultName);
    std::string rec = "{" + jsonQuote(user->responKey) + ":" + jsonQuote(styled(*user, kQuota));
    if (user->sendCode) rec += ",\"RESPONSE_CODE\":\"05\"";
    return sendJson(resp, envelope(rec + "}", 0));
  }

  std::string outcome, answer;
  auto confirmation = [&](const char* name, const char* text, const char* code) {
    outcome = name;
    std::string rec = "{" + jsonQuote(user->responKey) + ":" + jsonQuote(styled(*user, text));
    if (user->sendCode) rec += ",\"RESPONSE_CODE\":" + jsonQuote(code);
    answer = envelope(rec + "}", left);
  };
  std::optional<Resident> r;
  if (!wellFormedNik(nik) || (fault && fault->kind == Fault::Kind::kFormatRefused)) {
    confirmation("invalid_format", kBadFormat, "15");
  } else if (!(r = population_.find(nik))) {
    confirmation("not_found", kNotFound, "13");
  } else if (r->kind == Resident::Kind::kDeceased) {
    confirmation("deceased", kDeceased, "11");
  } else if (r->kind == Resident::Kind::kDuplicate) {
    confirmation("duplicate", kDuplicate, "12");
  } else if (r->kind == Resident::Kind::kInactive) {
    confirmation("inactive", kInactive, "14");
  } else {
    outcome = "found";
    auto num = [&](const std::string& digits) {
      // As a JSON number the registry drops leading zeros (NO_RT 003 -> 3).
      if (!user->numbers) return jsonQuote(digits);
      size_t nz = digits.find_first_not_of('0');
      return nz == std::string::npos ? std::string("0") : digits.substr(nz);
    };
    std::map<std::string, std::string> v = {
        {"NO_KK", num(r->noKk)}, {"NIK", num(r->nik)}, {"NAMA_LGKP", jsonQuote(r->nama)},
        {"TMPT_LHR", jsonQuote(r->tempatLahir)}, {"TGL_LHR", jsonQuote(r->tanggalLahir.dmy())},
        {"JENIS_KLMIN", jsonQuote(r->jenisKelamin)}, {"STATUS_KAWIN", jsonQuote(r->statusKawin)},
        {"JENIS_PKRJN", jsonQuote(r->pekerjaan)}, {"ALAMAT", jsonQuote(r->alamat)},
        {"NO_RT", num(r->noRt)}, {"NO_RW", num(r->noRw)}, {"NO_PROP", num(r->noProp)},
        {"PROP_NAME", jsonQuote(r->propName)}, {"NO_KAB", num(r->noKab)},
        {"KAB_NAME", jsonQuote(r->kabName)}, {"NO_KEC", num(r->noKec)},
        {"KEC_NAME", jsonQuote(r->kecName)}, {"NO_KEL", num(r->noKel)},
        {"KEL_NAME", jsonQuote(r->kelName)}, {"KODE_POS", num(r->kodePos)},
        {"AGAMA", jsonQuote(r->agama)}, {"NAMA_LGKP_IBU", jsonQuote(r->namaIbu)},
        {"GOL_DARAH", jsonQuote(r->golDarah)}, {"PDDK_AKH", jsonQuote(r->pendidikan)},
        {"STAT_HBKEL", jsonQuote(r->statHbkel)}, {"EKTP_STATUS", jsonQuote(r->ektpStatus)},
        {"NO_AKTA_LHR", jsonQuote(r->noAktaLhr)}};
    std::string rec = "{";
    const auto& fields = user->fields.empty() ? allFields() : user->fields;
    for (const auto& f : fields)
      rec.append(rec.size() > 1 ? "," : "").append(jsonQuote(f)).append(":").append(v[f]);
    for (const auto& [k, x] : user->extraFields)
      rec.append(rec.size() > 1 ? "," : "").append(jsonQuote(k)).append(":").append(jsonQuote(x));
    answer = envelope(rec + "}", left);
  }
  if (fault && fault->kind == Fault::Kind::kClose) {
    sendJson(resp, answer);
    dropConnection(req, false);
    // Recorded only after the close, so a test that sees it in /sim/stats knows the FIN is
    // already on its way.
    return record(statsKey, outcome, true, faultName);
  }
  record(statsKey, outcome, true, faultName);

  if (fault && fault->kind == Fault::Kind::kMalformed) {
    // Cut inside the record and break the syntax: what a crashing upstream proxy sends.
    std::string broken = answer.substr(0, std::min<size_t>(answer.size(), 40)) + "\"<html>";
    return sendJson(resp, broken);
  }
  if (fault && fault->kind == Fault::Kind::kTruncated) {
    resp.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    resp.setContentType("application/json");
    resp.setContentLength64(Poco::Int64(answer.size()));
    std::ostream& out = resp.send();
    out << answer.substr(0, answer.size() / 2);
    out.flush();
    return dropConnection(req, false);
  }
  sendJson(resp, answer);
}

void PortalSim::admin(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) {
  // Admin endpoints answer loopback peers only (the whole server is loopback by default; this
  // holds even if someone binds it elsewhere).
  if (!req.clientAddress().host().isLoopback())
    return sendJson(resp, "{\"error\":\"loopback only\"}", Poco::Net::HTTPResponse::HTTP_FORBIDDEN);
  const std::string path = Poco::URI(req.getURI()).getPath();
  const std::string& m = req.getMethod();
  std::string body;
  Poco::StreamCopier::copyToString(req.stream(), body, 65536);
  try {
    if (path == "/sim/health" && m == "GET") return sendJson(resp, "{\"ok\":true}");
    if (path == "/sim/stats" && m == "GET") return sendJson(resp, statsJson());
    if (path == "/sim/stats/reset" && m == "POST") {
      resetStats();
      return sendJson(resp, "{\"ok\":true}");
    }
    if (path == "/sim/faults" && m == "POST") {
      addFault(parseFault(body));
      return sendJson(resp, "{\"ok\":true}");
    }
    if (path == "/sim/faults" && m == "DELETE") {
      clearFaults();
      return sendJson(resp, "{\"ok\":true}");
    }
    if (path == "/sim/clock" && m == "POST") {
      Poco::JSON::Parser p;
      auto o = p.parse(body).extract<Poco::JSON::Object::Ptr>();
      auto day = o ? Date::parseIso(o->optValue<std::string>("today", "")) : std::nullopt;
      if (!day)
        return sendJson(resp, "{\"error\":\"expected {\\\"today\\\":\\\"YYYY-MM-DD\\\"}\"}",
                        Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
      setToday(*day);
      return sendJson(resp, "{\"ok\":true,\"today\":\"" + day->iso() + "\"}");
    }
  } catch (const std::exception& e) {
    return sendJson(resp, "{\"error\":" + jsonQuote(e.what()) + "}",
                    Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
  }
  sendJson(resp, "{\"error\":\"no such admin endpoint\"}", Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
}

}  // namespace gerbang::sim::portal
