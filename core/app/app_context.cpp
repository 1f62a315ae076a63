#include "core/app/app_context.hpp"

#include "core/app/config.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <stdexcept>

namespace gerbang::app {

AppContext::AppContext(Poco::Util::AbstractConfiguration& config, std::ostream& out,
                       std::ostream& err)
    : config_(config), out_(out), err_(err) {}

// Members are destroyed in reverse order: the service before the repository before the
// store; the registry (plugins' shutdown()) before the clock.
AppContext::~AppContext() = default;

const Clock& AppContext::clock() {
  std::lock_guard lock(mu_);
  if (!clock_) {
    std::string today = config_.getString(keys::kClockToday, "");
    if (today.empty()) {
      clock_ = std::make_unique<SystemClock>();
    } else {
      auto d = Date::parseIso(today);
      if (!d)
        throw std::runtime_error("config: clock.today: '" + today + "' is not a date (YYYY-MM-DD)");
      clock_ = std::make_unique<FixedClock>(*d);
      spdlog::info("clock: today is fixed at {} (clock.today)", d->iso());
    }
  }
  return *clock_;
}

store::Database& AppContext::database() {
  std::lock_guard lock(mu_);
  if (!database_) {
    std::string uri = config_.getString(keys::kStoreUri, "");
    if (uri.empty()) throw std::runtime_error("config: store.uri is empty");
    store::DatabaseConfig c;
    try {
      c = store::DatabaseConfig::fromUri(uri);
    } catch (const std::invalid_argument& e) {
      // fromUri never echoes the connection string; neither do we (it may hold a password).
      throw std::runtime_error(std::string("config: store.uri: ") + e.what());
    }
    if (c.backend == store::Backend::kSqlite) {
      std::filesystem::path parent = std::filesystem::path(c.sqlitePath).parent_path();
      std::error_code ec;
      if (!parent.empty()) std::filesystem::create_directories(parent, ec);
      if (ec)
        throw std::runtime_error("config: store.uri: directory '" + parent.string() +
                                 "' cannot be created: " + ec.message());
    }
    c.durableCommits = config_.getBool("store.durable_commits", true);
    database_ = std::make_unique<store::Database>(c);
    spdlog::info("store: {} opened", database_->backendName());
    if (!c.durableCommits)
      spdlog::warn(
          "store: store.durable_commits=false: audit and quota commits survive a crash of "
          "Gerbang but not a power loss or operating-system crash");
  }
  return *database_;
}

plugin::Registry& AppContext::plugins() {
  std::lock_guard lock(mu_);
  if (!plugins_) {
    std::string dir = config_.getString(keys::kPluginsDir, "");
    if (dir.empty()) throw std::runtime_error("config: plugins.dir is empty");
    auto registry = std::make_unique<plugin::Registry>();
    try {
      registry->loadDirectory(dir);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("config: plugins.dir: ") + e.what());
    }
    spdlog::info("plugins: {} loaded, {} refused from {}", registry->loaded().size(),
                 registry->refused().size(), dir);
    plugins_ = std::move(registry);
  }
  return *plugins_;
}

agreement::AdendumRepository& AppContext::adenda() {
  std::lock_guard lock(mu_);
  if (!adenda_) adenda_ = std::make_unique<agreement::AdendumRepository>(database());
  return *adenda_;
}

agreement::AgreementService& AppContext::agreements() {
  std::lock_guard lock(mu_);
  if (!agreements_)
    agreements_ = std::make_unique<agreement::AgreementService>(plugins(), adenda(), clock());
  return *agreements_;
}

}  // namespace gerbang::app
