// What a command works with: the configuration, and the services built from it on first
// use (a command that only prints its version never opens the store or loads plugins).
#pragma once

#include "core/agreement/adendum_repository.hpp"
#include "core/agreement/agreement_service.hpp"
#include "core/common/clock.hpp"
#include "core/plugin/loader.hpp"
#include "core/store/database.hpp"

#include <Poco/Util/AbstractConfiguration.h>

#include <iosfwd>
#include <memory>
#include <mutex>

namespace gerbang::app {

class AppContext {
 public:
  // `config` must outlive the context. `out` receives a command's results (stdout), `err`
  // its messages for the user (stderr).
  AppContext(Poco::Util::AbstractConfiguration& config, std::ostream& out, std::ostream& err);
  ~AppContext();
  AppContext(const AppContext&) = delete;
  AppContext& operator=(const AppContext&) = delete;

  Poco::Util::AbstractConfiguration& config() { return config_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // Each getter below creates its service on first call (thread-safe) and returns the same
  // one afterwards. They throw std::runtime_error with one clear message naming the
  // configuration key when the service cannot be created.

  // FixedClock at 09:00 WIB of clock.today when set (--today), else the system clock.
  const Clock& clock();
  // The store at store.uri (for SQLite, the parent directory is created).
  store::Database& database();
  // The plugins of plugins.dir, loaded (refusals recorded, not thrown).
  plugin::Registry& plugins();
  agreement::AdendumRepository& adenda();
  agreement::AgreementService& agreements();

 private:
  Poco::Util::AbstractConfiguration& config_;
  std::ostream& out_;
  std::ostream& err_;
  std::recursive_mutex mu_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<plugin::Registry> plugins_;
  std::unique_ptr<agreement::AdendumRepository> adenda_;
  std::unique_ptr<agreement::AgreementService> agreements_;
};

}  // namespace gerbang::app
