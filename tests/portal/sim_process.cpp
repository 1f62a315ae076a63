#include "tests/portal/sim_process.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

namespace gerbang::testing {

std::string PortalSimProcess::executable() { return GERBANG_PORTAL_SIM_EXE; }

namespace {

std::vector<char*> argvOf(std::vector<std::string>& all) {
  std::vector<char*> v;
  for (auto& s : all) v.push_back(s.data());
  v.push_back(nullptr);
  return v;
}

}  // namespace

PortalSimProcess::PortalSimProcess(const std::vector<std::string>& args,
                                   const std::filesystem::path& stderrFile) {
  std::vector<std::string> all = {executable(), "--port", "0"};
  all.insert(all.end(), args.begin(), args.end());
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  int err = ::open(stderrFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (err < 0) throw std::runtime_error("cannot open " + stderrFile.string());
  auto argv = argvOf(all);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], 1);
    dup2(err, 2);
    close(out[0]);
    close(out[1]);
    close(err);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  close(err);
  std::string line;
  char c;
  pollfd p{out[0], POLLIN, 0};
  while (true) {
    if (poll(&p, 1, 60000) <= 0) break;
    if (read(out[0], &c, 1) != 1) break;
    if (c == '\n') break;
    line += c;
  }
  close(out[0]);
  const std::string prefix = "listening ";
  size_t colon = line.rfind(':');
  if (line.rfind(prefix, 0) != 0 || colon == std::string::npos) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    throw std::runtime_error("gerbang-portal-sim did not start (see " + stderrFile.string() +
                             "), first line: '" + line + "'");
  }
  baseUrl_ = line.substr(prefix.size());
  port_ = std::stoi(line.substr(colon + 1));
}

PortalSimProcess::~PortalSimProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

namespace {

std::string call(int port, const std::string& method, const std::string& path,
                 const std::string& body) {
  Poco::Net::HTTPClientSession s("127.0.0.1", Poco::UInt16(port));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  req.setContentLength64(Poco::Int64(body.size()));
  req.setContentType("application/json");
  s.sendRequest(req) << body;
  Poco::Net::HTTPResponse resp;
  std::string out;
  Poco::StreamCopier::copyToString(s.receiveResponse(resp), out);
  if (resp.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
    throw std::runtime_error(method + " " + path + " -> HTTP " +
                             std::to_string(int(resp.getStatus())) + ": " + out);
  return out;
}

}  // namespace

std::string PortalSimProcess::get(const std::string& path) const {
  return call(port_, "GET", path, "");
}
std::string PortalSimProcess::post(const std::string& path, const std::string& body) const {
  return call(port_, "POST", path, body);
}
std::string PortalSimProcess::del(const std::string& path) const {
  return call(port_, "DELETE", path, "");
}

std::string PortalSimProcess::run(const std::vector<std::string>& args) {
  std::vector<std::string> all = {executable()};
  all.insert(all.end(), args.begin(), args.end());
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  auto argv = argvOf(all);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = read(out[0], buf, sizeof buf)) > 0) text.append(buf, size_t(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("gerbang-portal-sim exited with status " + std::to_string(status));
  return text;
}

}  // namespace gerbang::testing
