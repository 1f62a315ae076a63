// `gerbang demo seed` creates the demo's web accounts (an operator per agreement linked to
// its demo operator, a penanggung jawab for all three, an admin, an evaluator) with generated
// passwords printed once to stdout, never to the log; a second run changes nothing and says
// so; and the printed password signs in to the real `gerbang serve` over HTTP.
#include "tests/support/support.hpp"
#include "tests/web/web_fixture.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>
#include <thread>

namespace gerbang::app {
namespace {

namespace fs = std::filesystem;

struct SeededAccount {
  std::string role, operatorId, agreements, password;
};

class DemoSeedTest : public ::testing::Test {
 protected:
  std::vector<std::string> conf() const {
    const fs::path src = GERBANG_TEST_SOURCE_DIR;
    return {"--config", (src / "config" / "demo.properties").string(),
            "-D", "store.uri=sqlite:" + (dir_.path() / "gerbang.db").string(),
            "-D", "log.dir=" + (dir_.path() / "log").string(),
            "-D", "audit.key_file=" + (dir_.path() / "audit.key").string(),
            "-D", "plugins.dir=" GERBANG_TEST_PLUGIN_DIR,
            "-D", "clock.today=2026-11-23"};
  }

  // Runs `gerbang <conf> args...`; stdout, with stderr appended to `err`.
  std::string seed(int* exitCode) {
    std::vector<std::string> argv = conf();
    argv.insert(argv.end(), {"demo", "seed"});
    Poco::Pipe out, err;
    Poco::ProcessHandle ph = Poco::Process::launch(GERBANG_EXE, argv, dir_.path().string(),
                                                   nullptr, &out, &err);
    std::string errText, outText;
    std::thread drain([&] {
      Poco::PipeInputStream in(err);
      Poco::StreamCopier::copyToString(in, errText);
    });
    Poco::PipeInputStream in(out);
    Poco::StreamCopier::copyToString(in, outText);
    drain.join();
    *exitCode = ph.wait();
    err_ += errText;
    return outText;
  }

  // The accounts table the seed prints: AKUN PERAN OPERATOR PERJANJIAN KATA SANDI.
  static std::map<std::string, SeededAccount> table(const std::string& out) {
    std::map<std::string, SeededAccount> t;
    std::istringstream lines(out.substr(std::min(out.size(), out.find("Akun web demo"))));
    std::string line;
    static const std::regex row(R"(^(\S+)\s{2,}(\S+)\s{2,}(\S+)\s{2,}(\S+)\s{2,}(.+)$)");
    std::smatch m;
    while (std::getline(lines, line))
      if (std::regex_match(line, m, row) && m[1] != "AKUN" && line[0] != '-')
        t[m[1]] = {m[2], m[3], m[4], m[5]};
    return t;
  }

  gerbang::testing::TempDir dir_;
  std::string err_;
};

TEST_F(DemoSeedTest, CreatesEveryRoleOnceAndThePrintedPasswordSignsIn) {
  int rc = -1;
  const std::string first = seed(&rc);
  ASSERT_EQ(rc, 0) << err_ << first;
  auto accounts = table(first);
  ASSERT_EQ(accounts.size(), 6u) << first;
  const std::map<std::string, std::pair<std::string, std::string>> want{
      {"operator-jabar", {"operator", "demo-jabar-01"}},
      {"operator-purbalingga", {"operator", "demo-purbalingga-01"}},
      {"operator-karanganyar", {"operator", "demo-karanganyar-01"}},
      {"penanggung-jawab", {"supervisor", "demo-supervisor"}},
      {"admin", {"admin", "-"}},
      {"evaluator", {"evaluator", "-"}}};
  std::vector<std::string> passwords;
  for (const auto& [name, roleOp] : want) {
    ASSERT_TRUE(accounts.count(name)) << name << "\n" << first;
    EXPECT_EQ(accounts[name].role, roleOp.first) << name;
    EXPECT_EQ(accounts[name].operatorId, roleOp.second) << name;
    // Generated: 16 characters of letters and digits in groups of four, each different.
    EXPECT_TRUE(std::regex_match(accounts[name].password,
                                 std::regex("[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}")))
        << name << ": " << accounts[name].password;
    passwords.push_back(accounts[name].password);
  }
  EXPECT_EQ(accounts["penanggung-jawab"].agreements,
            "jabar-disnakertrans,purbalingga-dinnaker,karanganyar-ak1");
  EXPECT_EQ(accounts["operator-karanganyar"].agreements, "karanganyar-ak1");
  std::sort(passwords.begin(), passwords.end());
  EXPECT_EQ(std::unique(passwords.begin(), passwords.end()), passwords.end());

  // Again: nothing changes, no password is printed, and it says so.
  const std::string second = seed(&rc);
  ASSERT_EQ(rc, 0) << err_ << second;
  auto again = table(second);
  ASSERT_EQ(again.size(), 6u) << second;
  for (const auto& [name, a] : again) EXPECT_EQ(a.password, "(sudah ada; tidak diubah)") << name;
  EXPECT_NE(second.find("Akun yang sudah ada tidak diubah"), std::string::npos) << second;
  for (const std::string& p : passwords) EXPECT_EQ(second.find(p), std::string::npos);

  // Never in the log (nor anywhere else the host wrote: the store keeps only hashes).
  auto hits = gerbang::testing::scanFiles(dir_.path(), passwords);
  for (const auto& h : hits) ADD_FAILURE() << h.file << " holds a generated password";

  // The printed password signs in to the real server; the first run's still does.
  const int port = gerbang::testing::freeLoopbackPort();
  std::vector<std::string> argv = conf();
  argv.insert(argv.end(), {"serve", "--port", std::to_string(port)});
  Poco::ProcessHandle server =
      Poco::Process::launch(GERBANG_EXE, argv, dir_.path().string(), nullptr, nullptr, nullptr);
  auto login = [&](const std::string& user, const std::string& password) {
    return web::testing::httpCall(
        port, {"POST", "/api/v1/session",
               "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"});
  };
  web::testing::HttpResult ok;
  for (int i = 0; i < 300 && ok.status != 200; ++i) {
    try {
      ok = login("operator-purbalingga", accounts["operator-purbalingga"].password);
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // not listening yet
    }
  }
  EXPECT_EQ(ok.status, 200) << ok.body;
  if (ok.status == 200) {
    auto s = ok.json();
    EXPECT_EQ(s->getValue<std::string>("role"), "operator");
    EXPECT_EQ(s->getValue<std::string>("operatorId"), "demo-purbalingga-01");
  }
  EXPECT_EQ(login("evaluator", accounts["evaluator"].password).status, 200);
  EXPECT_EQ(login("admin", accounts["evaluator"].password).status, 401);
  Poco::Process::requestTermination(server.id());
  server.wait();
}

}  // namespace
}  // namespace gerbang::app
