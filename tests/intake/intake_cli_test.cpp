// `gerbang balikan import` and `gerbang balikan status` as an operator runs them: the real
// binary, the real plugins, a store on both backends.
#include "core/audit/nik_hmac.hpp"
#include "core/obligation/obligation_repository.hpp"
#include "tests/support/support.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>

using ::testing::HasSubstr;
using ::testing::Not;

namespace gerbang::balikan {
namespace {

constexpr const char* kPbg = "purbalingga-dinnaker";
constexpr const char* kAccessed = "3303015708950007";       // synthetic
constexpr const char* kNeverAccessed = "3303015708950015";  // synthetic

struct CliRun {
  int code = -1;
  std::string out, err;
};

class IntakeCliTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    key_ = dir_ / "master.key";
    {
      std::ofstream k(key_);
      k << std::string(64, 'e') << "\n";
    }
    ::chmod(key_.c_str(), 0600);
    config_ = dir_ / "gerbang.properties";
    std::ofstream f(config_);
    f << "plugins.dir = " << GERBANG_TEST_PLUGIN_DIR << "\n"
      << "store.uri = " << tdb_.uri() << "\n"
      << "log.dir = " << (dir_ / "log").string() << "\n"
      << "audit.key_file = " << key_.string() << "\n";
  }
  CliRun gerbang(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config_.string()});
    Poco::Pipe out, err;
    Poco::ProcessHandle ph =
        Poco::Process::launch(GERBANG_EXE, args, dir_.path().string(), nullptr, &out, &err);
    CliRun r;
    std::thread e([&] {
      Poco::PipeInputStream in(err);
      Poco::StreamCopier::copyToString(in, r.err);
    });
    Poco::PipeInputStream in(out);
    Poco::StreamCopier::copyToString(in, r.out);
    e.join();
    r.code = ph.wait();
    return r;
  }

  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  std::filesystem::path key_, config_;
};

TEST_P(IntakeCliTest, ImportKeepsValidRowsReportsTheRestAndStatusShowsNoNik) {
  {
    store::Database db(tdb_.config());
    obligation::ObligationRepository obligations(db);
    auto hasher = audit::NikHasher::fromKeyFile(key_);
    SystemClock clock;
    ASSERT_TRUE(obligations
                    .open(kPbg, *hasher.hash(kPbg, kAccessed), obligation::Source::kLookup,
                          clock.now(), 30)
                    .ok());
  }
  const auto file = dir_ / "balikan.csv";
  {
    std::ofstream f(file, std::ios::binary);
    f << "\xEF\xBB\xBF" << "NIK;Jenis Pelatihan\r\n"
      << kAccessed << ";Menjahit\r\n"
      << kNeverAccessed << ";Las\r\n";
  }
  const auto report = dir_ / "laporan.csv";
  CliRun r = gerbang({"balikan", "import", "--agreement", kPbg, "--report", report.string(),
                   file.string()});
  EXPECT_EQ(r.code, 1) << r.err;  // one row was not accepted
  EXPECT_THAT(r.out, HasSubstr("Diterima: 1"));
  EXPECT_THAT(r.out, HasSubstr("Ditolak: 1"));
  std::ifstream in(report);
  std::stringstream rep;
  rep << in.rdbuf();
  EXPECT_THAT(rep.str(), HasSubstr("tidak pernah diakses dalam PKS ini"));
  EXPECT_THAT(rep.str(), Not(HasSubstr(kNeverAccessed)));

  CliRun st = gerbang({"balikan", "status", "--agreement", kPbg, "--format", "json"});
  ASSERT_EQ(st.code, 0) << st.err;
  auto o = Poco::JSON::Parser().parse(st.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(o->getObject("obligations")->getValue<int>("open"), 0);
  EXPECT_EQ(o->getObject("obligations")->getValue<int>("fulfilled"), 1);
  EXPECT_EQ(o->getObject("outbox")->getValue<int>("pending"), 1);
  EXPECT_THAT(st.out, Not(HasSubstr(kAccessed)));
  CliRun table = gerbang({"balikan", "status", "--agreement", kPbg});
  EXPECT_THAT(table.out, HasSubstr("terbuka 0"));
  EXPECT_THAT(table.out, Not(HasSubstr(kAccessed)));

  CliRun unknown = gerbang({"balikan", "status", "--agreement", "tidak-ada"});
  EXPECT_EQ(unknown.code, 1);
  CliRun usage = gerbang({"balikan", "import", "--agreement", kPbg});
  EXPECT_EQ(usage.code, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, IntakeCliTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) { return gerbang::testing::backendName(info.param); });

}  // namespace
}  // namespace gerbang::balikan
