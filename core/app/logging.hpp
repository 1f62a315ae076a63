// Logging of the `gerbang` process: spdlog's default logger "gerbang" writes to stderr and
// to a rotating file in the log directory. Other modules log through spdlog::default_logger()
// (or a clone of it, as the plugin loader does), so they share both sinks.
//
// Never log population data (NIK, names, birth dates, addresses) or secrets (passwords,
// tokens, the store's DSN): the log file is data at rest.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <filesystem>

namespace gerbang::app {

// Reads log.dir, log.level, log.console_level, log.max_file_bytes and log.max_files,
// creates the directory, and installs the default logger. Returns the log file's path.
// Throws std::runtime_error naming the key for an unknown level, a malformed number, or a
// directory that cannot be created or written.
std::filesystem::path setupLogging(const Poco::Util::AbstractConfiguration& config);

}  // namespace gerbang::app
