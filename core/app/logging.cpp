#include "core/app/logging.hpp"

#include "core/app/config.hpp"

#include <Poco/Exception.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace gerbang::app {
namespace {

spdlog::level::level_enum levelOf(const Poco::Util::AbstractConfiguration& config,
                                  const char* key) {
  const std::string text = config.getString(key);
  for (auto l :
       {spdlog::level::trace, spdlog::level::debug, spdlog::level::info, spdlog::level::warn,
        spdlog::level::err, spdlog::level::critical, spdlog::level::off}) {
    auto name = spdlog::level::to_string_view(l);  // "warning", "error", ...
    if (text == std::string_view(name.data(), name.size())) return l;
  }
  if (text == "warn") return spdlog::level::warn;
  if (text == "err") return spdlog::level::err;
  throw std::runtime_error(std::string("config: ") + key + ": '" + text +
                           "' is not a log level (trace, debug, info, warn, error, critical, off)");
}

std::size_t positive(const Poco::Util::AbstractConfiguration& config, const char* key) {
  try {
    Poco::Int64 v = config.getInt64(key);
    if (v > 0) return std::size_t(v);
  } catch (const Poco::Exception&) {
  }
  throw std::runtime_error(std::string("config: ") + key + ": '" + config.getString(key, "") +
                           "' is not a positive whole number");
}

}  // namespace

std::filesystem::path setupLogging(const Poco::Util::AbstractConfiguration& config) {
  const auto fileLevel = levelOf(config, keys::kLogLevel);
  const auto consoleLevel = levelOf(config, keys::kLogConsoleLevel);
  const std::size_t maxBytes = positive(config, keys::kLogMaxFileBytes);
  const std::size_t maxFiles = positive(config, keys::kLogMaxFiles);
  const std::filesystem::path dir = config.getString(keys::kLogDir);
  if (dir.empty()) throw std::runtime_error("config: log.dir is empty");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw std::runtime_error("config: log.dir '" + dir.string() +
                             "' cannot be created: " + ec.message());
  const std::filesystem::path file = dir / "gerbang.log";
  std::shared_ptr<spdlog::logger> logger;
  try {
    auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    console->set_level(consoleLevel);
    auto rotating =
        std::make_shared<spdlog::sinks::rotating_file_sink_mt>(file.string(), maxBytes, maxFiles);
    rotating->set_level(fileLevel);
    logger =
        std::make_shared<spdlog::logger>("gerbang", spdlog::sinks_init_list{console, rotating});
  } catch (const spdlog::spdlog_ex& e) {
    throw std::runtime_error("config: log file '" + file.string() +
                             "' cannot be opened: " + e.what());
  }
  logger->set_level(std::min(fileLevel, consoleLevel));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  return file;
}

}  // namespace gerbang::app
