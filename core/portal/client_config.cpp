#include "core/portal/client_config.hpp"

#include <Poco/URI.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace gerbang::portal {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("portal config: " + what);
}

}  // namespace

ClientConfig ClientConfig::fromProperties(const Poco::Util::AbstractConfiguration& conf,
                                          const std::string& prefix) {
  ClientConfig c;
  Dialect d;
  auto str = [&](const std::string& key, const std::string& def) {
    return conf.getString(prefix + key, def);
  };
  auto ms = [&](const std::string& key, std::chrono::milliseconds def) {
    try {
      return std::chrono::milliseconds(conf.getInt64(prefix + key, def.count()));
    } catch (const Poco::Exception&) {
      throw std::invalid_argument("portal config: " + prefix + key + " is not an integer");
    }
  };
  c.baseUrl = str("url", "");
  c.caFile = str("ca_file", "");
  c.connectTimeout = ms("connect_timeout_ms", c.connectTimeout);
  c.readTimeout = ms("read_timeout_ms", c.readTimeout);
  try {
    c.maxConnections = size_t(conf.getInt(prefix + "max_connections", int(c.maxConnections)));
    d.nikAsNumber = conf.getBool(prefix + "dialect.nik_as_number", false);
  } catch (const Poco::Exception&) {
    throw std::invalid_argument("portal config: " + prefix +
                                "max_connections or dialect.nik_as_number is malformed");
  }
  c.userId = str("user_id", "");
  c.password = str("password", "");
  c.clientIp = str("client_ip", "");
  d.urlTemplate = str("dialect.url_template", d.urlTemplate);
  d.lembaga = str("dialect.lembaga", "");
  d.kodeWilayah = str("dialect.kode_wilayah", "");
  d.group = str("dialect.group", "");
  d.nikKey = str("dialect.nik_key", d.nikKey);
  d.userKey = str("dialect.user_key", d.userKey);
  d.passwordKey = str("dialect.password_key", d.passwordKey);
  d.ipKey = str("dialect.ip_key", d.ipKey);
  c.dialect = d;
  c.validate();
  return c;
}

void ClientConfig::validate() const {
  Poco::URI uri;
  try {
    uri = Poco::URI(baseUrl);
  } catch (const Poco::Exception&) {
    require(false, "url '" + baseUrl + "' is not a URL");
  }
  require(uri.getScheme() == "http" || uri.getScheme() == "https",
          "url '" + baseUrl + "' must start with http:// or https://");
  require(!uri.getHost().empty(), "url '" + baseUrl + "' has no host");
  require(uri.getPath().empty() || uri.getPath() == "/",
          "url '" + baseUrl + "' must not have a path (the path comes from the dialect)");
  require(uri.getUserInfo().empty(), "url must not carry credentials");
  if (uri.getScheme() == "https") {
    require(!caFile.empty(), "ca_file is required for an https url (the portal's CA, PEM)");
    std::ifstream probe(caFile);
    require(probe.good(), "ca_file '" + caFile + "' cannot be read");
  }
  require(connectTimeout.count() > 0, "connect_timeout_ms must be positive");
  require(readTimeout.count() > 0, "read_timeout_ms must be positive");
  require(maxConnections > 0, "max_connections must be at least 1");
  require(!userId.empty(), "user_id is empty");
  require(!password.empty(), "password is empty");
  require(!clientIp.empty(), "client_ip is empty");
  for (const auto* k : {&dialect.nikKey, &dialect.userKey, &dialect.passwordKey, &dialect.ipKey})
    require(!k->empty(), "a dialect key name is empty");
  const std::string& t = dialect.urlTemplate;
  require(!t.empty() && t[0] == '/', "dialect.url_template must start with '/'");
  for (size_t pos = t.find('{'); pos != std::string::npos; pos = t.find('{', pos + 1)) {
    size_t end = t.find('}', pos);
    require(end != std::string::npos, "dialect.url_template has an unclosed '{'");
    std::string name = t.substr(pos + 1, end - pos - 1);
    const std::string* value = name == "lembaga"        ? &dialect.lembaga
                               : name == "kode_wilayah" ? &dialect.kodeWilayah
                               : name == "group"        ? &dialect.group
                                                        : nullptr;
    require(value != nullptr, "dialect.url_template has unknown placeholder {" + name +
                                  "} (known: {lembaga}, {kode_wilayah}, {group})");
    require(!value->empty(), "dialect." + name + " is empty but the url template uses {" +
                                 name + "}");
  }
}

}  // namespace gerbang::portal
