// Runs gerbang-portal-sim as a real subprocess on an ephemeral loopback port, for tests.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gerbang::testing {

class PortalSimProcess {
 public:
  // Starts the stand-in with `--port 0` plus `args`, stderr (the access log) going to
  // `stderrFile`, and waits for its "listening ..." line. Throws std::runtime_error if it
  // exits or says nothing within 60 s.
  PortalSimProcess(const std::vector<std::string>& args, const std::filesystem::path& stderrFile);
  ~PortalSimProcess();  // SIGTERM and wait
  PortalSimProcess(const PortalSimProcess&) = delete;
  PortalSimProcess& operator=(const PortalSimProcess&) = delete;

  int port() const { return port_; }
  const std::string& baseUrl() const { return baseUrl_; }  // "http(s)://127.0.0.1:PORT"

  // Plain HTTP calls to the stand-in's admin endpoints (HTTP servers only). Return the body;
  // throw on a status other than 200.
  std::string get(const std::string& path) const;
  std::string post(const std::string& path, const std::string& body) const;
  std::string del(const std::string& path) const;

  // The executable (from CMake).
  static std::string executable();
  // Runs the executable with args to completion and returns its stdout.
  static std::string run(const std::vector<std::string>& args);

 private:
  int pid_ = -1;
  int port_ = 0;
  std::string baseUrl_;
};

}  // namespace gerbang::testing
