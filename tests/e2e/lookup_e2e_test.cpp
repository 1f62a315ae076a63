// The lookup path end to end through the `gerbang` binary: CLI, REST with an API token and
// the CALL_NIK-compatible endpoint of `gerbang serve`, against a gerbang-portal-sim
// subprocess, with the shipped demo seed, on both store backends. Proves the audit chain
// verifies and catches tampering, and that nothing the registry returned is at rest.
#include "sim/population/population.hpp"
#include "sim/population/wilayah.hpp"
#include "tests/portal/sim_process.hpp"
#include "tests/support/support.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace gerbang::e2e {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;
using sim::Resident;

const sim::Population& population() {
  static const sim::Wilayah w = sim::Wilayah::loadDefault();
  static const sim::Population p(w, sim::Population::kDefaultSeed, sim::Population::kDefaultSize);
  return p;
}

struct CliRun {
  int exitCode = -1;
  std::string out, err;
};

Object::Ptr parse(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
}

class E2eTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<testing::PortalSimProcess>(
        std::vector<std::string>{"--today", "2026-11-23", "--access-log", "none"},
        simDir_ / "sim.err");
    fs::create_directories(host_ / "tmp");
    fs::create_directories(host_ / "var");
    tdb_ = std::make_unique<testing::TestDatabase>(GetParam(), host_ / "var");
    config_ = host_ / "gerbang.properties";
    std::ofstream f(config_);
    f << "plugins.dir = " << GERBANG_TEST_PLUGIN_DIR << "\n"
      << "store.uri = " << tdb_->uri() << "\n"
      << "log.dir = " << (host_ / "var" / "log").string() << "\n"
      << "log.level = trace\n"
      << "clock.today = 2026-11-23\n"
      << "audit.key_file = " << (host_ / "var" / "audit.key").string() << "\n"
      << "demo.seed_file = " << (testing::sourceDir() / "config" / "demo-seed.json").string()
      << "\n";
    // The shipped demo configuration's registry accounts, pointed at this stand-in.
    std::ifstream demo(testing::sourceDir() / "config" / "demo.properties");
    std::string line;
    while (std::getline(demo, line))
      if (line.rfind("agreement.", 0) == 0 || line.rfind("portal.", 0) == 0) {
        if (line.rfind("portal.url", 0) == 0) continue;
        f << line << "\n";
      }
    f << "portal.url = " << sim_->baseUrl() << "\n";
    f.close();
    CliRun seed = gerbang({"demo", "seed"});
    ASSERT_EQ(seed.exitCode, 0) << seed.err;
    seedOut_ = seed.out;
  }

  void TearDown() override {
    tdb_.reset();
    sim_.reset();
  }

  CliRun gerbang(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {"--config", config_.string()});
    Poco::Process::Env env;
    env["TMPDIR"] = (host_ / "tmp").string();
    Poco::Pipe inPipe, outPipe, errPipe;
    Poco::ProcessHandle ph = Poco::Process::launch(GERBANG_EXE, args, host_.path().string(),
                                                   &inPipe, &outPipe, &errPipe, env);
    {
      Poco::PipeOutputStream in(inPipe);
      in << input;
    }
    inPipe.close();
    CliRun r;
    std::thread errReader([&] {
      Poco::PipeInputStream e(errPipe);
      Poco::StreamCopier::copyToString(e, r.err);
    });
    Poco::PipeInputStream o(outPipe);
    Poco::StreamCopier::copyToString(o, r.out);
    errReader.join();
    r.exitCode = ph.wait();
    return r;
  }

  Object::Ptr lookupJson(const std::string& agreement, const std::string& op,
                         const std::string& nik, const std::string& purpose, int* exit = nullptr) {
    CliRun r = gerbang({"lookup", "--agreement", agreement, "--operator", op, "--purpose", purpose,
                     "--nik", "-", "--format", "json"},
                    nik + "\n");
    if (exit) *exit = r.exitCode;
    EXPECT_FALSE(r.out.empty()) << r.err;
    return parse(r.out);
  }

  // The token id and secret the demo seed printed for an agreement.
  std::pair<std::string, std::string> token(const std::string& agreement) {
    std::regex re("Token API " + agreement + " / [^:]*: id ([0-9]+), rahasia (gbk_[A-Za-z0-9_-]+)");
    std::smatch m;
    if (!std::regex_search(seedOut_, m, re)) return {};
    return {m[1], m[2]};
  }

  static constexpr const char* kPbgPurpose = "PLT-3303-2026-00017";
  static constexpr const char* kJabarPurpose = "AK1-3273-2026-000123";

  testing::TempDir host_;    // everything the host writes
  testing::TempDir simDir_;  // the stand-in's files (not the host's)
  std::unique_ptr<testing::PortalSimProcess> sim_;
  std::unique_ptr<testing::TestDatabase> tdb_;
  fs::path config_;
  std::string seedOut_;
};

TEST_P(E2eTest, CliOutcomesAndTheDemoSeed) {
  auto found = population().sample(Resident::Kind::kFound, 3);
  int exit = -1;
  Object::Ptr pbg = lookupJson("purbalingga-dinnaker", "demo-purbalingga-01", found[0],
                               kPbgPurpose, &exit);
  EXPECT_EQ(exit, 0);
  ASSERT_EQ(pbg->getValue<std::string>("outcome"), "found");
  Object::Ptr data = pbg->getObject("data");
  EXPECT_FALSE(data->has("NO_KK"));
  EXPECT_FALSE(data->has("AGAMA"));
  EXPECT_EQ(data->getValue<std::string>("NIK"), found[0]);
  EXPECT_EQ(pbg->getValue<int>("quota_remaining"), 199);

  // The demo's Adendum makes Jawa Barat active; it receives NO_KK but never AGAMA.
  Object::Ptr jabar = lookupJson("jabar-disnakertrans", "demo-jabar-01", found[1], kJabarPurpose);
  ASSERT_EQ(jabar->getValue<std::string>("outcome"), "found") << jabar->getValue<std::string>("message");
  EXPECT_TRUE(jabar->getObject("data")->has("NO_KK"));
  EXPECT_FALSE(jabar->getObject("data")->has("AGAMA"));
  EXPECT_EQ(jabar->getValue<int>("quota_remaining"), 74);

  struct Case {
    std::string agreement, op, nik, purpose, outcome;
  };
  const std::vector<Case> cases = {
      {"karanganyar-ak1", "demo-karanganyar-01", found[2], "AK1-3313-202611-000457",
       "agreement_expired"},
      {"purbalingga-dinnaker", "demo-purbalingga-02", found[2], kPbgPurpose, "no_nda"},
      {"purbalingga-dinnaker", "siapa", found[2], kPbgPurpose, "operator_unknown"},
      {"purbalingga-dinnaker", "demo-jabar-01", found[2], kPbgPurpose, "not_member"},
      {"purbalingga-dinnaker", "demo-purbalingga-01", found[2], "SALAH-1", "purpose_invalid"},
      {"purbalingga-dinnaker", "demo-purbalingga-01", "3303010101900000", kPbgPurpose,
       "invalid_nik"},
      {"purbalingga-dinnaker", "demo-purbalingga-01",
       population().sample(Resident::Kind::kDeceased, 1)[0], kPbgPurpose, "deceased"},
      {"purbalingga-dinnaker", "demo-purbalingga-01", population().absent(1)[0], kPbgPurpose,
       "not_found"},
  };
  for (const Case& c : cases) {
    Object::Ptr a = lookupJson(c.agreement, c.op, c.nik, c.purpose, &exit);
    EXPECT_EQ(a->getValue<std::string>("outcome"), c.outcome) << c.op;
    EXPECT_TRUE(a->isNull("data"));
    EXPECT_EQ(exit, c.outcome == "deceased" || c.outcome == "not_found" ? 0 : 1) << c.outcome;
  }
  CliRun disable = gerbang({"operators", "disable", "--operator", "demo-purbalingga-01"});
  ASSERT_EQ(disable.exitCode, 0) << disable.err;
  EXPECT_EQ(lookupJson("purbalingga-dinnaker", "demo-purbalingga-01", found[2], kPbgPurpose)
                ->getValue<std::string>("outcome"),
            "operator_disabled");
  EXPECT_EQ(sim_->get("/sim/stats").find("\"(unknown)\""), std::string::npos);

  // Idempotent seed; the User ID form names what is missing (demo operators have no NIK).
  CliRun again = gerbang({"demo", "seed"});
  EXPECT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(again.out.find("Token API"), std::string::npos);
  CliRun form = gerbang({"operators", "user-id-form", "--operator", "demo-jabar-01"});
  EXPECT_EQ(form.exitCode, 1);
  EXPECT_NE(form.err.find("NIK"), std::string::npos) << form.err;

  CliRun rel = gerbang({"pattern", "release", "--operator", "demo-purbalingga-01", "--supervisor",
                     "demo-supervisor", "--reason", "keluarga mendaftar bersama"});
  EXPECT_EQ(rel.exitCode, 0) << rel.err;
  CliRun self = gerbang({"pattern", "release", "--operator", "demo-purbalingga-01", "--supervisor",
                      "demo-jabar-01", "--reason", "x"});
  EXPECT_EQ(self.exitCode, 1);

  CliRun list = gerbang({"audit", "list", "--format", "json", "--limit", "1000"});
  ASSERT_EQ(list.exitCode, 0) << list.err;
  Poco::JSON::Array::Ptr rows = Poco::JSON::Parser().parse(list.out).extract<Poco::JSON::Array::Ptr>();
  // 2 found + 8 cases + operator_disabled + 1 pattern_release record.
  EXPECT_EQ(rows->size(), 12u);
  EXPECT_EQ(rows->getObject(0)->getValue<std::string>("outcome"), "pattern_release");
  CliRun verify = gerbang({"audit", "verify"});
  EXPECT_EQ(verify.exitCode, 0) << verify.err;
}

// Raw SQL on the store, as someone with database rights would do (triggers dropped first).
void exec(store::Database& db, const std::string& sql) {
  Poco::Data::Session s = db.session();
  s << sql, Poco::Data::Keywords::now;
}

void dropAuditTriggers(store::Database& db) {
  if (db.backend() == store::Backend::kPostgres) {
    exec(db, "DROP TRIGGER audit_log_append_only ON audit_log");
  } else {
    exec(db, "DROP TRIGGER audit_log_no_update");
    exec(db, "DROP TRIGGER audit_log_no_delete");
  }
}

TEST_P(E2eTest, AuditVerifyPassesOnARealRunAndFailsOnEachKindOfTampering) {
  auto found = population().sample(Resident::Kind::kFound, 5);
  const char* ops[] = {"demo-purbalingga-01", "demo-jabar-01"};
  for (int i = 0; i < 5; ++i) {
    bool pbg = i % 2 == 0;
    lookupJson(pbg ? "purbalingga-dinnaker" : "jabar-disnakertrans", ops[pbg ? 0 : 1], found[size_t(i)],
               pbg ? kPbgPurpose : kJabarPurpose);
  }
  CliRun ok = gerbang({"audit", "verify"});
  ASSERT_EQ(ok.exitCode, 0) << ok.err;
  EXPECT_NE(ok.out.find("5 catatan"), std::string::npos) << ok.out;

  store::Database db(tdb_->config());
  dropAuditTriggers(db);
  // Snapshot to restore between kinds: every column of every record.
  const std::string cols =
      "seq, at_us, agreement, operator_id, purpose_ref, nik_hmac, outcome, elements, "
      "quota_remaining, detail, prev_hash, hash, anchor";
  exec(db, "CREATE TABLE audit_copy AS SELECT " + cols + " FROM audit_log");
  auto restore = [&] {
    exec(db, "DELETE FROM audit_log");
    exec(db, "INSERT INTO audit_log (" + cols + ") SELECT " + cols + " FROM audit_copy");
    CliRun v = gerbang({"audit", "verify"});
    EXPECT_EQ(v.exitCode, 0) << v.err;
  };
  auto expectBad = [&](const std::string& kind, int seq) {
    CliRun v = gerbang({"audit", "verify"});
    EXPECT_EQ(v.exitCode, 1) << kind;
    EXPECT_NE(v.out.find("first_bad_record=" + std::to_string(seq)), std::string::npos)
        << kind << ": " << v.out << v.err;
    EXPECT_NE(v.err.find("#" + std::to_string(seq)), std::string::npos) << kind << ": " << v.err;
  };

  exec(db, "UPDATE audit_log SET outcome = 'not_found' WHERE seq = 3");
  expectBad("edit", 3);
  restore();

  exec(db, "DELETE FROM audit_log WHERE seq = 2");
  expectBad("delete", 2);
  restore();

  // Insert a forged record at position 3 (later records shifted up by one).
  exec(db, "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3");
  exec(db, "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100");
  exec(db, "INSERT INTO audit_log (" + cols + ") SELECT 3, at_us, agreement, operator_id, "
           "purpose_ref, nik_hmac, outcome, elements, quota_remaining, detail, hash, hash, "
           "anchor FROM audit_copy WHERE seq = 2");
  expectBad("insert", 3);
  restore();

  // Reorder: records 2 and 4 swap places.
  exec(db, "UPDATE audit_log SET seq = -2 WHERE seq = 2");
  exec(db, "UPDATE audit_log SET seq = 2 WHERE seq = 4");
  exec(db, "UPDATE audit_log SET seq = 4 WHERE seq = -2");
  expectBad("reorder", 2);
  restore();
}

std::string httpPost(int port, const std::string& path, const std::string& body,
                     const std::string& bearer, int* status) {
  Poco::Net::HTTPClientSession s("127.0.0.1", Poco::UInt16(port));
  Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, path,
                             Poco::Net::HTTPMessage::HTTP_1_1);
  req.setContentType("application/json");
  req.setContentLength(std::streamsize(body.size()));
  if (!bearer.empty()) req.set("Authorization", "Bearer " + bearer);
  s.sendRequest(req) << body;
  Poco::Net::HTTPResponse resp;
  std::istream& in = s.receiveResponse(resp);
  std::string out;
  Poco::StreamCopier::copyToString(in, out);
  *status = int(resp.getStatus());
  return out;
}

// Every value of every table of the store, as text.
std::string dumpStore(store::Database& db) {
  Poco::Data::Session s = db.session();
  std::vector<std::string> tables;
  if (db.backend() == store::Backend::kPostgres)
    s << "SELECT table_name FROM information_schema.tables WHERE table_schema = "
         "current_schema()",
        Poco::Data::Keywords::into(tables), Poco::Data::Keywords::now;
  else
    s << "SELECT name FROM sqlite_master WHERE type = 'table'", Poco::Data::Keywords::into(tables),
        Poco::Data::Keywords::now;
  std::string all;
  for (const auto& t : tables) {
    Poco::Data::Statement st(s);
    st << "SELECT * FROM " + t;
    st.execute();
    Poco::Data::RecordSet rs(st);
    for (bool more = rs.moveFirst(); more; more = rs.moveNext())
      for (size_t c = 0; c < rs.columnCount(); ++c)
        if (Poco::Dynamic::Var v = rs[c]; !v.isEmpty()) all += v.convert<std::string>() + "\n";
  }
  return all;
}

TEST_P(E2eTest, NothingTheRegistryReturnedIsAtRest) {
  auto found = population().sample(Resident::Kind::kFound, 6);
  std::vector<std::string> needles;
  for (const auto& nik : found) {
    auto r = population().find(nik);
    ASSERT_TRUE(r.has_value());
    needles.push_back(r->nik);
    needles.push_back(r->noKk);
    needles.push_back(r->nama);
    needles.push_back(r->tanggalLahir.dmy());
    needles.push_back(r->tanggalLahir.iso());
  }
  // CLI.
  ASSERT_EQ(lookupJson("purbalingga-dinnaker", "demo-purbalingga-01", found[0], kPbgPurpose)
                ->getValue<std::string>("outcome"),
            "found");
  ASSERT_EQ(lookupJson("jabar-disnakertrans", "demo-jabar-01", found[1], kJabarPurpose)
                ->getValue<std::string>("outcome"),
            "found");

  // gerbang serve: REST with the demo token, and the CALL_NIK-compatible endpoint.
  std::vector<std::string> args = {"--config", config_.string(), "serve", "--port", "0"};
  Poco::Process::Env env;
  env["TMPDIR"] = (host_ / "tmp").string();
  Poco::Pipe outPipe;
  Poco::ProcessHandle ph = Poco::Process::launch(GERBANG_EXE, args, host_.path().string(),
                                                 nullptr, &outPipe, nullptr, env);
  Poco::PipeInputStream out(outPipe);
  std::string first;
  std::getline(out, first);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(first, m, std::regex("http://127\\.0\\.0\\.1:([0-9]+)"))) << first;
  const int port = std::stoi(m[1]);

  auto [pbgId, pbgSecret] = token("purbalingga-dinnaker");
  auto [jabarId, jabarSecret] = token("jabar-disnakertrans");
  ASSERT_FALSE(pbgSecret.empty()) << seedOut_;
  int status = 0;
  std::string rest = httpPost(port, "/api/v1/agreements/purbalingga-dinnaker/lookup",
                              "{\"nik\":\"" + found[2] + "\",\"operator\":\"demo-purbalingga-01\","
                              "\"purpose\":\"" + kPbgPurpose + "\"}",
                              pbgSecret, &status);
  EXPECT_EQ(status, 200) << rest;
  Object::Ptr ro = parse(rest);
  EXPECT_EQ(ro->getValue<std::string>("outcome"), "found");
  EXPECT_FALSE(ro->getObject("data")->has("NO_KK"));
  // A token of another agreement does not reach this one.
  httpPost(port, "/api/v1/agreements/purbalingga-dinnaker/lookup", "{}", jabarSecret, &status);
  EXPECT_EQ(status, 404);

  std::string cn = httpPost(port, "/dukcapil/get_json/DISNAKERTRANS_JABAR/CALL_NIK",
                            "{\"NIK\":" + found[3] + ",\"user_id\":\"" + jabarId +
                                "\",\"password\":\"" + jabarSecret +
                                "\",\"IP_USER\":\"127.0.0.1\",\"operator\":\"demo-jabar-01\","
                                "\"purpose\":\"" + kJabarPurpose + "\"}",
                            "", &status);
  EXPECT_EQ(status, 200);
  Object::Ptr co = parse(cn);
  Object::Ptr rec = co->getArray("content")->getObject(0);
  EXPECT_EQ(rec->getValue<std::string>("NIK"), found[3]) << cn;
  EXPECT_FALSE(rec->has("AGAMA"));
  EXPECT_EQ(co->getValue<int>("quotaLimiter"), 73);
  // The registry's credentials are not Gerbang's: they are refused in the registry's words.
  std::string bad = httpPost(port, "/dukcapil/get_json/DISNAKERTRANS_JABAR/CALL_NIK",
                             "{\"NIK\":\"" + found[4] + "\",\"user_id\":\"jabar-disnakertrans-01\","
                             "\"password\":\"sim-jabar-rahasia\"}",
                             "", &status);
  EXPECT_EQ(parse(bad)->getArray("content")->getObject(0)->getValue<std::string>("RESPON"),
            "Login Gagal");
  // A CALL_NIK refusal keeps the registry's shape (malformed NIK, code 15).
  std::string inv = httpPost(port, "/dukcapil/get_json/DISNAKERTRANS_JABAR/CALL_NIK",
                             "{\"NIK\":\"3273010101900000\",\"user_id\":\"" + jabarId +
                                 "\",\"password\":\"" + jabarSecret +
                                 "\",\"operator\":\"demo-jabar-01\",\"purpose\":\"" +
                                 kJabarPurpose + "\"}",
                             "", &status);
  Object::Ptr ic = parse(inv)->getArray("content")->getObject(0);
  EXPECT_EQ(ic->getValue<std::string>("RESPONSE_CODE"), "15") << inv;

  Poco::Process::requestTermination(ph.id());
  ph.wait();

  CliRun verify = gerbang({"audit", "verify"});
  EXPECT_EQ(verify.exitCode, 0) << verify.err;

  // Every file the host wrote: store (incl. -wal/-shm), logs, temp dir, var dir.
  size_t files = 0;
  for (auto& e : fs::recursive_directory_iterator(host_.path()))
    if (e.is_regular_file()) ++files;
  EXPECT_GT(files, 2u);
  auto hits = testing::scanFiles(host_.path(), needles);
  for (const auto& h : hits) ADD_FAILURE() << "population data at rest in " << h.file;
  EXPECT_TRUE(hits.empty());
  // And every value of every table of the store (the PostgreSQL case has no file here).
  store::Database db(tdb_->config());
  const std::string dump = dumpStore(db);
  EXPECT_GT(dump.size(), 100u);
  for (const auto& n : needles) EXPECT_EQ(dump.find(n), std::string::npos) << "found in the store";
}

INSTANTIATE_TEST_SUITE_P(Backends, E2eTest, ::testing::ValuesIn(testing::storeBackends()),
                         [](const auto& i) { return testing::backendName(i.param); });

}  // namespace
}  // namespace gerbang::e2e
