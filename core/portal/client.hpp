// The CALL_NIK client: the one place the host talks to the registry's Web Portal.
//
// Thread-safe. Keeps up to ClientConfig::maxConnections keep-alive connections and reuses
// them. It never logs anything itself; its results carry no NIK, name, body or password
// except Found::fields, which the caller must keep in memory only (Zero Sharing Policy).
// It never retries: a retried lookup could spend a second quota hit (quota is exact, per
// User ID per Jakarta day), so the caller decides using TransportFailure::mayHaveReached.
#pragma once

#include "core/portal/call_nik_result.hpp"
#include "core/portal/client_config.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>


namespace gerbang::portal {

class Client {
 public:
  // Validates the config (std::invalid_argument, see ClientConfig::validate()) and, for
  // HTTPS, loads the CA file into a strictly verifying TLS 1.2+ context (std::runtime_error
  // naming the file when it is not a usable PEM CA). Does not connect.
  explicit Client(ClientConfig config);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Looks one NIK up. The NIK is sent as given (format checks belong to the caller, before
  // a quota hit is reserved). Never throws. Blocks at most about 2 * connectTimeout (pool wait
  // and connect) + 2 * readTimeout (send, receive).
  CallNikResult callNik(std::string_view nik);

  // The request path and body this client sends, exactly (for dialect tests). The body holds
  // the NIK and the password: never log it.
  std::string requestPath() const;
  std::string requestBody(std::string_view nik) const;

  // The configuration in use (it holds the password: never log it whole).
  const ClientConfig& config() const { return config_; }

 private:
  class Session;
  std::unique_ptr<Session> acquire();
  void release(std::unique_ptr<Session> s, bool reusable);

  ClientConfig config_;
  std::string host_;
  unsigned short port_ = 0;
  bool https_ = false;
  std::string path_;
  std::shared_ptr<void> tls_;  // Poco::Net::Context::Ptr, type-erased to keep Poco out

  std::mutex mu_;
  std::condition_variable freed_;
  size_t active_ = 0;
  std::vector<std::unique_ptr<Session>> idle_;
};

}  // namespace gerbang::portal
