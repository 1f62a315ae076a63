// Argument parsing shared by every command: `--name value`, `--name=value` and flags, with
// one clear error (what and where) for anything else.
#pragma once

#include "core/common/clock.hpp"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::app {

// Bad command-line usage. The application prints "gerbang <command>: <what>", then the
// command's usage, and exits with kExitUsage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;        // without the dashes: "agreement"
  bool takesValue = true;  // false: a flag such as --poc-passed
};

class Args {
 public:
  // Parses `args` against `spec`. Throws UsageError for an unknown option, a missing
  // value, an option given twice, a value on a flag, or more than `maxPositionals`
  // positional arguments.
  Args(const std::vector<std::string>& args, const std::vector<OptionSpec>& spec,
       size_t maxPositionals = 0);

  bool flag(std::string_view name) const;
  std::optional<std::string> value(std::string_view name) const;
  // The value, or UsageError "--name is required".
  std::string required(std::string_view name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

  // --name as a date (YYYY-MM-DD), or UsageError naming the option and the bad text.
  std::optional<Date> date(std::string_view name) const;
  // --name as a whole number within [min, max], or UsageError.
  std::optional<int> integer(std::string_view name, int min, int max) const;
  // --name as a comma-separated list of non-empty items, or UsageError.
  std::optional<std::vector<std::string>> list(std::string_view name) const;
  // --format: one of `allowed` (the first is the default), or UsageError.
  std::string choice(std::string_view name, const std::vector<std::string>& allowed) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::vector<std::string> flags_;
  std::vector<std::string> positionals_;
};

// Parses an ISO date given on the command line or in the configuration; UsageError
// "<what>: '<text>' is not a date (YYYY-MM-DD)".
Date parseDateArg(std::string_view what, std::string_view text);

}  // namespace gerbang::app
