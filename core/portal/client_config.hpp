// Configuration of the CALL_NIK client: where the portal is, how to trust it, and which
// "dialect" of the wire format this deployment speaks.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace Poco::Util {
class AbstractConfiguration;
}

namespace gerbang::portal {

// Deployments differ in the URL and the JSON key names (public client code shows both
// `POST /dukcapil/get_json/<LEMBAGA>/CALL_NIK` with NIK/user_id/password/IP_USER and regional
// `/dukcapil/get_json/<kode-wilayah>/<group>/call_nik` with lower-case keys).
struct Dialect {
  // Path template; placeholders {lembaga}, {kode_wilayah}, {group} (path-escaped).
  std::string urlTemplate = "/dukcapil/get_json/{lembaga}/CALL_NIK";
  std::string lembaga;      // the institution's name in the path, e.g. "DISNAKERTRANS_JABAR"
  std::string kodeWilayah;  // regional servers: the office's region code
  std::string group;        // regional servers: the group segment
  std::string nikKey = "NIK";
  std::string userKey = "user_id";
  std::string passwordKey = "password";
  std::string ipKey = "IP_USER";
  // Send the NIK as a JSON number (some servers expect it); only when it is all digits
  // without a leading zero, otherwise it is sent as a string.
  bool nikAsNumber = false;
};

struct ClientConfig {
  // "http://host:port" or "https://host:port" (no path). HTTPS needs caFile.
  std::string baseUrl;
  // PEM file with the CA(s) that signed the portal's certificate. The peer is verified
  // strictly (chain and host name); there is deliberately no switch to turn that off.
  std::string caFile;
  std::chrono::milliseconds connectTimeout{3000};
  std::chrono::milliseconds readTimeout{10000};
  // At most this many connections at once (kept alive and reused); callers beyond it wait
  // up to connectTimeout for a free one. The closed network is narrow (1 Mbps in one PKS).
  size_t maxConnections = 8;
  std::string userId;
  std::string password;  // secret: never logged, never in an error text
  std::string clientIp;  // the IP_USER value the registry registered for this agency
  Dialect dialect;

  // Reads `<prefix>url`, `ca_file`, `connect_timeout_ms`, `read_timeout_ms`,
  // `max_connections`, `user_id`, `password`, `client_ip`, `dialect.url_template`,
  // `dialect.lembaga`, `dialect.kode_wilayah`, `dialect.group`, `dialect.nik_key`,
  // `dialect.user_key`, `dialect.password_key`, `dialect.ip_key`, `dialect.nik_as_number`.
  // Defaults as above; throws std::invalid_argument (see validate()).
  static ClientConfig fromProperties(const Poco::Util::AbstractConfiguration& conf,
                                     const std::string& prefix = "portal.");

  // Throws std::invalid_argument with one clear message (naming the setting, never the
  // password) when: the URL is not http(s)://host:port, HTTPS lacks a readable CA file,
  // a timeout is not positive, maxConnections is 0, user/password/client IP are empty, the
  // template has an unknown placeholder or a placeholder's value is empty, or a key name is
  // empty.
  void validate() const;
};

}  // namespace gerbang::portal
