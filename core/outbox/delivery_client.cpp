#include "core/outbox/delivery_client.hpp"

#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <cctype>
#include <sstream>
#include <stdexcept>

namespace gerbang::outbox {
namespace {

constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

std::string setting(const Poco::Util::AbstractConfiguration& conf, const std::string& agreement,
                    const std::string& key, const std::string& fallback) {
  const std::string specific = "agreement." + agreement + ".balikan." + key;
  if (conf.hasProperty(specific)) return conf.getString(specific);
  return conf.getString("balikan." + key, fallback);
}

int intSetting(const Poco::Util::AbstractConfiguration& conf, const std::string& agreement,
               const std::string& key, int fallback, int lo, int hi) {
  std::string v = setting(conf, agreement, key, std::to_string(fallback));
  int n = 0;
  try {
    size_t used = 0;
    n = std::stoi(v, &used);
    if (used != v.size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    throw std::invalid_argument("balikan." + key + " (agreement " + agreement +
                                "): not a whole number: '" + v + "'");
  }
  if (n < lo || n > hi)
    throw std::invalid_argument("balikan." + key + " (agreement " + agreement + "): " + v +
                                " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
  return n;
}

}  // namespace

const char* outcomeName(SendOutcome::Kind k) {
  switch (k) {
    case SendOutcome::Kind::kDelivered:
      return "delivered";
    case SendOutcome::Kind::kDuplicate:
      return "duplicate";
    case SendOutcome::Kind::kRejected:
      return "rejected";
    case SendOutcome::Kind::kUnauthorized:
      return "unauthorized";
    case SendOutcome::Kind::kTransient:
      return "transient";
  }
  return "transient";
}

std::string redactDigits(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j - i >= 12) {
      out += "[angka]";
      i = j;
    } else if (j > i) {
      out.append(s, i, j - i);
      i = j;
    } else {
      out += s[i++];
    }
  }
  return out;
}

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += char(c);
        }
    }
  }
  out += '"';
  return out;
}

DeliveryConfig DeliveryConfig::fromConfig(const Poco::Util::AbstractConfiguration& conf,
                                          const std::string& agreement,
                                          const std::string& defaultName) {
  DeliveryConfig c;
  c.url = setting(conf, agreement, "url", "");
  if (c.url.empty())
    throw std::invalid_argument("agreement." + agreement +
                                ".balikan.url (or balikan.url) is not set: the address of the "
                                "registry office's data-balikan web service");
  c.token = setting(conf, agreement, "token", "");
  if (c.token.empty())
    throw std::invalid_argument("agreement." + agreement +
                                ".balikan.token (or balikan.token) is not set");
  c.caFile = setting(conf, agreement, "ca_file", "");
  c.idLembaga = setting(conf, agreement, "id_lembaga", agreement);
  c.namaLembaga = setting(conf, agreement, "nama_lembaga", defaultName);
  std::string gz = Poco::toLower(setting(conf, agreement, "gzip", "auto"));
  if (gz == "on" || gz == "true") c.gzip = GzipMode::kOn;
  else if (gz == "off" || gz == "false") c.gzip = GzipMode::kOff;
  else if (gz == "auto") c.gzip = GzipMode::kAuto;
  else
    throw std::invalid_argument("balikan.gzip (agreement " + agreement + "): '" + gz +
                                "' is not on, off or auto");
  c.batchSize = intSetting(conf, agreement, "batch_size", 100, 1, 1000);
  c.connectTimeoutMs = intSetting(conf, agreement, "connect_timeout_ms", 5000, 1, 600000);
  c.readTimeoutMs = intSetting(conf, agreement, "read_timeout_ms", 30000, 1, 600000);
  return c;
}

struct DeliveryClient::Impl {
  Poco::URI uri;
  bool https = false;
  Poco::Net::Context::Ptr tls;
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  bool gzipOff = false;  // "auto" fell back to plain bodies

  Poco::Net::HTTPClientSession& connect(const DeliveryConfig& c) {
    if (!session) {
      if (https)
        session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                   tls);
      else
        session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
      session->setKeepAlive(true);
      session->setTimeout(Poco::Timespan(Poco::Timespan::TimeDiff(c.connectTimeoutMs) * 1000),
                          Poco::Timespan(Poco::Timespan::TimeDiff(c.readTimeoutMs) * 1000),
                          Poco::Timespan(Poco::Timespan::TimeDiff(c.readTimeoutMs) * 1000));
    }
    return *session;
  }
};

DeliveryClient::DeliveryClient(DeliveryConfig config)
    : config_(std::move(config)), impl_(std::make_unique<Impl>()) {
  try {
    impl_->uri = Poco::URI(config_.url);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("balikan.url is not a URL: " + e.displayText());
  }
  const std::string scheme = impl_->uri.getScheme();
  if (scheme != "http" && scheme != "https")
    throw std::invalid_argument("balikan.url must start with http:// or https://");
  impl_->https = scheme == "https";
  if (impl_->https) {
    if (config_.caFile.empty())
      throw std::invalid_argument("balikan.ca_file is required for an https balikan.url");
    try {
      // As the registry portal client: the service must present a certificate chaining to
      // ca_file; the system trust store is not loaded (closed network, own CA).
      impl_->tls = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, config_.caFile,
                                          Poco::Net::Context::VERIFY_STRICT, 9, false,
                                          "HIGH:!aNULL:!eNULL:!MD5:!RC4");
      impl_->tls->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    } catch (const Poco::Exception& e) {
      throw std::invalid_argument("balikan.ca_file '" + config_.caFile +
                                  "' is not a usable PEM CA: " + e.displayText());
    }
  }
}

DeliveryClient::~DeliveryClient() = default;

bool DeliveryClient::compressing() const {
  return config_.gzip == GzipMode::kOn || (config_.gzip == GzipMode::kAuto && !impl_->gzipOff);
}

std::string DeliveryClient::body(const std::vector<std::string>& records) const {
  std::string b = "[{\"id_lembaga\":" + jsonString(config_.idLembaga) +
                  ",\"nama_lembaga\":" + jsonString(config_.namaLembaga) + ",\"data\":[";
  for (size_t i = 0; i < records.size(); ++i) {
    if (i) b += ',';
    b += records[i];
  }
  b += "]}]";
  return b;
}

SendOutcome DeliveryClient::send(const std::vector<std::string>& records) {
  const std::string json = body(records);
  SendOutcome o = post(json, compressing());
  if (o.gzipped && o.httpStatus == 415 && config_.gzip == GzipMode::kAuto) {
    impl_->gzipOff = true;
    std::size_t first = o.bytesSent;
    o = post(json, false);
    o.bytesSent += first;
  }
  return o;
}

SendOutcome DeliveryClient::post(const std::string& json, bool gzip) {
  SendOutcome o;
  o.gzipped = gzip;
  std::string wire;
  if (gzip) {
    std::ostringstream z;
    Poco::DeflatingOutputStream d(z, Poco::DeflatingStreamBuf::STREAM_GZIP, 6);
    d.write(json.data(), std::streamsize(json.size()));
    d.close();
    wire = std::move(z).str();
  }
  const std::string& sent = gzip ? wire : json;
  o.bytesSent = sent.size();
  try {
    Poco::Net::HTTPClientSession& s = impl_->connect(config_);
    std::string path = impl_->uri.getPathEtc();
    if (path.empty()) path = "/";
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, path,
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.setContentLength64(Poco::Int64(sent.size()));
    req.set("Authorization", "Bearer " + config_.token);
    req.set("Accept", "application/json");
    if (gzip) req.set("Content-Encoding", "gzip");
    req.setKeepAlive(true);
    std::ostream& out = s.sendRequest(req);
    out.write(sent.data(), std::streamsize(sent.size()));
    Poco::Net::HTTPResponse resp;
    std::istream& in = s.receiveResponse(resp);
    std::string answer;
    char buf[4096];
    while (in && answer.size() < kMaxAnswerBytes) {
      in.read(buf, sizeof buf);
      answer.append(buf, size_t(in.gcount()));
    }
    o.httpStatus = int(resp.getStatus());
    std::string message;
    try {
      Poco::JSON::Parser p;
      auto obj = p.parse(answer).extract<Poco::JSON::Object::Ptr>();
      if (obj && obj->has("message")) message = obj->getValue<std::string>("message");
    } catch (const Poco::Exception&) {
      message.clear();
    } catch (const std::exception&) {
      message.clear();
    }
    if (message.empty()) message = "HTTP " + std::to_string(o.httpStatus) + " " + resp.getReason();
    o.message = redactDigits(message.substr(0, 400));
    const int st = o.httpStatus;
    const std::string lower = Poco::toLower(message);
    if (st >= 200 && st < 300) o.kind = SendOutcome::Kind::kDelivered;
    else if (st == 400 && lower.find("sudah pernah dikirim") != std::string::npos)
      o.kind = SendOutcome::Kind::kDuplicate;
    else if (st == 401 || st == 403) o.kind = SendOutcome::Kind::kUnauthorized;
    else if (st == 408 || st == 429 || st >= 500) o.kind = SendOutcome::Kind::kTransient;
    else if (st == 415 && gzip) o.kind = SendOutcome::Kind::kTransient;
    else o.kind = SendOutcome::Kind::kRejected;
    if (!resp.getKeepAlive()) impl_->session.reset();
  } catch (const Poco::Exception& e) {
    // Reset, timeout, refused: the batch may or may not have been stored; it is sent again
    // later and the duplicate answer settles it.
    impl_->session.reset();
    o.kind = SendOutcome::Kind::kTransient;
    o.httpStatus = 0;
    o.message = redactDigits(e.displayText().substr(0, 400));
  } catch (const std::exception& e) {
    impl_->session.reset();
    o.kind = SendOutcome::Kind::kTransient;
    o.httpStatus = 0;
    o.message = redactDigits(std::string(e.what()).substr(0, 400));
  }
  return o;
}

}  // namespace gerbang::outbox
