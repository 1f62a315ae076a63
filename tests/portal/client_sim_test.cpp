// The CALL_NIK client against the real stand-in (a subprocess on an ephemeral loopback
// port): every response kind, every fault kind, spelling and dialect variants, TLS.
#include "core/portal/client.hpp"
#include "core/portal/response_parser.hpp"
#include "sim/population/population.hpp"
#include "tests/portal/sim_process.hpp"
#include "tests/support/support.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

namespace gerbang::portal {
namespace {

using ::testing::HasSubstr;
using testing::PortalSimProcess;
using testing::TempDir;

constexpr size_t kPopulation = 20'000;

const char* kUsers = R"({"users":[
  {"user_id":"agency-a","password":"pw-a","lembaga":"DISNAKERTRANS_JABAR","daily_quota":100000},
  {"user_id":"quota-2","password":"pw-q","daily_quota":2},
  {"user_id":"agency-off","password":"pw-o","institution_active":false},
  {"user_id":"user-off","password":"pw-u","user_active":false},
  {"user_id":"variant","password":"pw-v","respon_key":"RESPONSE","text_case":"upper",
   "double_spaces":true,"send_code":false,"login_text":"Gagal Login","numbers":true,
   "extra_fields":{"KETERANGAN":"uji coba"}},
  {"user_id":"narrow","password":"pw-n","fields":["NIK","NAMA_LGKP"]},
  {"user_id":"faulty","password":"pw-f","daily_quota":-1}
]})";

const sim::Population& population() {
  static const sim::Wilayah w = sim::Wilayah::loadDefault();
  static const sim::Population p(w, sim::Population::kDefaultSeed, kPopulation);
  return p;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class PortalClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_ / "users.json") << kUsers;
    sim_ = std::make_unique<PortalSimProcess>(
        std::vector<std::string>{"--population", std::to_string(kPopulation), "--config",
                                 (dir_ / "users.json").string(), "--today", "2026-11-23"},
        dir_ / "sim.log");
  }

  ClientConfig config(const std::string& user, const std::string& password) const {
    ClientConfig c;
    c.baseUrl = sim_->baseUrl();
    c.userId = user;
    c.password = password;
    c.clientIp = "127.0.0.1";
    c.dialect.lembaga = "DISNAKERTRANS_JABAR";
    c.connectTimeout = std::chrono::milliseconds(5000);
    c.readTimeout = std::chrono::milliseconds(20000);
    return c;
  }

  std::string sample(sim::Resident::Kind kind, size_t k = 0) const {
    return population().sample(kind, k + 1).at(k);
  }

  TempDir dir_;
  std::unique_ptr<PortalSimProcess> sim_;
};

// The alternative held by r (a reference into r: bind r to a variable first).
template <class T>
const T& as(const CallNikResult& r) {
  const T* t = std::get_if<T>(&r);
  if (t == nullptr) {
    std::string detail;
    if (auto* f = std::get_if<TransportFailure>(&r)) detail = f->detail;
    throw std::runtime_error("unexpected outcome " + outcomeName(r) + " " + detail);
  }
  return *t;
}

TEST_F(PortalClientTest, FoundReturnsTheSupersetOfFieldsAsTheRegistrySendsThem) {
  Client client(config("agency-a", "pw-a"));
  const std::string nik = sample(sim::Resident::Kind::kFound, 3);
  const sim::Resident r = *population().find(nik);
  auto result = client.callNik(nik);
  const Found& f = as<Found>(result);
  EXPECT_EQ(f.fields.at("NIK"), nik);
  EXPECT_EQ(f.fields.at("NO_KK"), r.noKk);
  EXPECT_EQ(f.fields.at("NAMA_LGKP"), r.nama);
  EXPECT_EQ(f.fields.at("TGL_LHR"), r.tanggalLahir.dmy());
  EXPECT_EQ(f.fields.at("KEL_NAME"), r.kelName);
  // Fields no agreement permits arrive too: minimisation downstream is tested for real.
  for (const char* k : {"AGAMA", "NAMA_LGKP_IBU", "GOL_DARAH", "PDDK_AKH", "STAT_HBKEL",
                        "EKTP_STATUS", "NO_AKTA_LHR"})
    EXPECT_TRUE(f.fields.count(k)) << k;
  EXPECT_EQ(f.fields.size(), 27u);
  EXPECT_EQ(f.quotaRemaining, 100000 - 1);
}

TEST_F(PortalClientTest, EveryConfirmationKind) {
  Client client(config("agency-a", "pw-a"));
  struct Case {
    std::string nik;
    ConfirmationKind kind;
    std::string code;
  } cases[] = {
      {sample(sim::Resident::Kind::kDeceased), ConfirmationKind::kDeceased, "11"},
      {sample(sim::Resident::Kind::kDuplicate), ConfirmationKind::kDuplicate, "12"},
      {population().absent(1).at(0), ConfirmationKind::kNotFound, "13"},
      {sample(sim::Resident::Kind::kInactive), ConfirmationKind::kInactive, "14"},
      {"12345", ConfirmationKind::kInvalidFormat, "15"},
      {"3303019913900001", ConfirmationKind::kInvalidFormat, "15"},  // month 13
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(kindName(c.kind));
    auto r = client.callNik(c.nik);
    const Confirmation& conf = as<Confirmation>(r);
    EXPECT_EQ(conf.kind, c.kind);
    EXPECT_EQ(conf.code, c.code);
  }
}

TEST_F(PortalClientTest, EveryParameterRefusal) {
  const std::string nik = sample(sim::Resident::Kind::kFound);
  struct Case {
    ClientConfig cfg;
    RefusalKind kind;
  } cases[] = {
      {config("agency-a", "wrong"), RefusalKind::kLoginFailed},
      {config("nobody", "pw-a"), RefusalKind::kLoginFailed},
      {config("agency-off", "pw-o"), RefusalKind::kAgencyInactive},
      {config("user-off", "pw-u"), RefusalKind::kUserInactive},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(kindName(c.kind));
    Client client(c.cfg);
    EXPECT_EQ(as<ParameterRefusal>(client.callNik(nik)).kind, c.kind);
  }
  ClientConfig wrongIp = config("agency-a", "pw-a");
  wrongIp.clientIp = "127.0.0.3";
  EXPECT_EQ(as<ParameterRefusal>(Client(wrongIp).callNik(nik)).kind, RefusalKind::kIpMismatch);

  Client quota(config("quota-2", "pw-q"));
  EXPECT_EQ(as<Found>(quota.callNik(nik)).quotaRemaining, 1);
  // Not-found answers spend a hit too.
  EXPECT_EQ(as<Confirmation>(quota.callNik(population().absent(1)[0])).kind,
            ConfirmationKind::kNotFound);
  const auto exhausted = quota.callNik(nik);
  const ParameterRefusal& q = as<ParameterRefusal>(exhausted);
  EXPECT_EQ(q.kind, RefusalKind::kQuotaExhausted);
  EXPECT_EQ(q.code, "05");
}

TEST_F(PortalClientTest, QuotaResetsOnTheNextJakartaDay) {
  Client quota(config("quota-2", "pw-q"));
  const std::string nik = sample(sim::Resident::Kind::kFound);
  as<Found>(quota.callNik(nik));
  as<Found>(quota.callNik(nik));
  EXPECT_EQ(as<ParameterRefusal>(quota.callNik(nik)).kind, RefusalKind::kQuotaExhausted);
  sim_->post("/sim/clock", R"({"today":"2026-11-24"})");
  EXPECT_EQ(as<Found>(quota.callNik(nik)).quotaRemaining, 1);
}

TEST_F(PortalClientTest, SpellingVariantsNumbersAndExtraFields) {
  Client client(config("variant", "pw-v"));
  const std::string nik = sample(sim::Resident::Kind::kFound, 5);
  const sim::Resident r = *population().find(nik);
  auto found = client.callNik(nik);
  const Found& f = as<Found>(found);
  EXPECT_EQ(f.fields.at("NIK"), nik);  // sent as a JSON number
  EXPECT_EQ(f.fields.at("NO_KK"), r.noKk);
  EXPECT_EQ(f.fields.at("NO_RT"), std::to_string(std::stoi(r.noRt)));
  EXPECT_EQ(f.fields.at("KETERANGAN"), "uji coba");
  // RESPONSE key, upper case, doubled spaces, no RESPONSE_CODE.
  auto d = client.callNik(sample(sim::Resident::Kind::kDeceased));
  EXPECT_EQ(as<Confirmation>(d).kind, ConfirmationKind::kDeceased);
  EXPECT_EQ(as<Confirmation>(d).code, "");
  EXPECT_EQ(as<Confirmation>(d).text, "DATA  DITEMUKAN,  MENINGGAL  DUNIA");
  EXPECT_EQ(as<Confirmation>(client.callNik(sample(sim::Resident::Kind::kInactive))).kind,
            ConfirmationKind::kInactive);
  EXPECT_EQ(as<ParameterRefusal>(Client(config("variant", "x")).callNik(nik)).text, "Gagal Login");
}

TEST_F(PortalClientTest, FieldSetIsPerUser) {
  Client client(config("narrow", "pw-n"));
  const auto result = client.callNik(sample(sim::Resident::Kind::kFound));
  const Found& f = as<Found>(result);
  EXPECT_EQ(f.fields.size(), 2u);
  EXPECT_TRUE(f.fields.count("NIK") && f.fields.count("NAMA_LGKP"));
}

std::vector<Dialect> dialects() {
  Dialect upper;  // the defaults: /<LEMBAGA>/CALL_NIK, NIK / user_id / password / IP_USER
  upper.lembaga = "DISNAKERTRANS_JABAR";
  Dialect lower = upper;
  lower.nikKey = "nik";
  lower.ipKey = "ip_user";
  Dialect regional;
  regional.urlTemplate = "/dukcapil/get_json/{kode_wilayah}/{group}/call_nik";
  regional.kodeWilayah = "3303";
  regional.group = "dinnaker";
  regional.nikKey = "nik";
  regional.userKey = "USER_ID";
  regional.passwordKey = "PASSWORD";
  regional.ipKey = "ip_address";
  regional.nikAsNumber = true;
  return {upper, lower, regional};
}

TEST_F(PortalClientTest, EveryDialectReachesTheStandIn) {
  const std::string nik = sample(sim::Resident::Kind::kFound, 7);
  for (const Dialect& d : dialects()) {
    SCOPED_TRACE(d.urlTemplate + " " + d.nikKey + " " + d.ipKey);
    ClientConfig c = config("agency-a", "pw-a");
    c.dialect = d;
    Client client(c);
    EXPECT_EQ(as<Found>(client.callNik(nik)).fields.at("NIK"), nik);
  }
}

TEST_F(PortalClientTest, ARequestBodyRecordedFromTheClientIsAcceptedInEachDialect) {
  const std::string nik = sample(sim::Resident::Kind::kFound, 8);
  for (const Dialect& d : dialects()) {
    ClientConfig c = config("agency-a", "pw-a");
    c.dialect = d;
    Client client(c);
    const std::string body = client.requestBody(nik), path = client.requestPath();
    SCOPED_TRACE(path);
    // Replay the recorded bytes with a plain HTTP client, no classification.
    Poco::Net::HTTPClientSession s("127.0.0.1", Poco::UInt16(sim_->port()));
    Poco::Net::HTTPRequest req("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.setContentLength64(Poco::Int64(body.size()));
    s.sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::string answer;
    Poco::StreamCopier::copyToString(s.receiveResponse(resp), answer);
    EXPECT_EQ(resp.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
    EXPECT_EQ(as<Found>(parseCallNikResponse(answer)).fields.at("NIK"), nik);
  }
  EXPECT_THAT(sim_->get("/sim/stats"), HasSubstr("\"agency-a\":{\"requests\":3,\"hits\":3"));
}

TEST_F(PortalClientTest, EveryFaultKind) {
  ClientConfig c = config("faulty", "pw-f");
  c.readTimeout = std::chrono::milliseconds(500);
  Client client(c);
  const std::string nik = sample(sim::Resident::Kind::kFound, 9);
  as<Found>(client.callNik(nik));  // a warm, pooled connection

  sim_->post("/sim/faults", R"({"kind":"latency","latency_ms":50,"user_id":"faulty"})");
  as<Found>(client.callNik(nik));

  struct Case {
    std::string fault;
    TransportKind kind;
    int status;
    std::string detail;
  } cases[] = {
      // The stand-in holds the connection for 60 s; the client gives up after 0.5 s.
      {"timeout", TransportKind::kTimeout, 0, "timed out"},
      {"reset", TransportKind::kReset, 0, "reading the answer"},
      {"http500", TransportKind::kHttpStatus, 500, "HTTP 500"},
      {"http503", TransportKind::kHttpStatus, 503, "HTTP 503"},
      {"malformed", TransportKind::kBadBody, 200, "body is not JSON"},
      {"truncated", TransportKind::kBadBody, 200, "truncated answer"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.fault);
    sim_->post("/sim/faults", R"({"kind":")" + k.fault + R"(","user_id":"faulty","count":1})");
    auto r = client.callNik(nik);
    const TransportFailure& t = as<TransportFailure>(r);
    EXPECT_EQ(t.kind, k.kind);
    EXPECT_EQ(t.httpStatus, k.status);
    EXPECT_TRUE(t.mayHaveReached);  // the request was complete: the registry may count it
    EXPECT_THAT(t.detail, HasSubstr(k.detail));
    EXPECT_EQ(t.detail.find(nik), std::string::npos);
    EXPECT_EQ(t.detail.find("pw-f"), std::string::npos);
    // Count-limited: the next lookup is answered normally.
    as<Found>(client.callNik(nik));
  }
  const std::string stats = sim_->get("/sim/stats");
  EXPECT_THAT(stats, HasSubstr(R"("faults":{"http500":1,"http503":1,"latency":1,"malformed":1,)"
                               R"("reset":1,"timeout":1,"truncated":1})"));
}

TEST_F(PortalClientTest, APooledConnectionThePortalClosedIsNotUsedForTheNextLookup) {
  ClientConfig c = config("faulty", "pw-f");
  c.maxConnections = 1;  // the next lookup would reuse exactly that connection
  Client client(c);
  const std::string nik = sample(sim::Resident::Kind::kFound, 2);
  sim_->post("/sim/faults", R"({"kind":"close","user_id":"faulty"})");
  as<Found>(client.callNik(nik));
  // Wait until the stand-in has closed its end (it records the fault after closing).
  for (int i = 0; i < 500 && sim_->get("/sim/stats").find("\"close\":1") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_THAT(sim_->get("/sim/stats"), HasSubstr("\"close\":1"));
  // Without the stale-connection check this would be "reset, may have reached the registry".
  EXPECT_EQ(as<Found>(client.callNik(nik)).fields.at("NIK"), nik);
  EXPECT_THAT(sim_->get("/sim/stats"), HasSubstr("\"faulty\":{\"requests\":2,\"hits\":2"));
}

TEST_F(PortalClientTest, StandingFaultFromTheCommandLine) {
  sim_.reset();
  sim_ = std::make_unique<PortalSimProcess>(
      std::vector<std::string>{"--population", std::to_string(kPopulation), "--config",
                               (dir_ / "users.json").string(), "--fault",
                               R"({"kind":"http503","count":-1,"user_id":"faulty"})"},
      dir_ / "sim.log");
  Client faulty(config("faulty", "pw-f"));
  Client fine(config("agency-a", "pw-a"));
  const std::string nik = sample(sim::Resident::Kind::kFound);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(as<TransportFailure>(faulty.callNik(nik)).httpStatus, 503);
  as<Found>(fine.callNik(nik));
}

TEST_F(PortalClientTest, RefusedWhenNothingListensAndTheRequestNeverLeft) {
  ClientConfig c = config("agency-a", "pw-a");
  c.baseUrl = "http://127.0.0.1:" + std::to_string(testing::freeLoopbackPort());
  const auto result = Client(c).callNik("3303010101900001");
  const TransportFailure& t = as<TransportFailure>(result);
  EXPECT_EQ(t.kind, TransportKind::kRefused);
  EXPECT_FALSE(t.mayHaveReached);
}

TEST_F(PortalClientTest, ConcurrentCallersShareASmallPoolAndEveryRequestIsCounted) {
  ClientConfig c = config("agency-a", "pw-a");
  c.maxConnections = 3;
  Client client(c);
  auto niks = population().sample(sim::Resident::Kind::kFound, 16);
  std::atomic<int> found{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i)
        if (std::holds_alternative<Found>(client.callNik(niks[size_t(t + i) % niks.size()])))
          ++found;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(found.load(), 80);
  EXPECT_THAT(sim_->get("/sim/stats"), HasSubstr("\"agency-a\":{\"requests\":80,\"hits\":80"));
  sim_->post("/sim/stats/reset", "");
  EXPECT_EQ(sim_->get("/sim/stats"), R"({"requests":0,"users":{}})");
}

TEST_F(PortalClientTest, AccessLogHoldsOutcomesButNoNikNoUserNoPassword) {
  Client client(config("agency-a", "pw-a"));
  std::vector<std::string> used = {sample(sim::Resident::Kind::kFound),
                                   sample(sim::Resident::Kind::kDeceased),
                                   population().absent(1)[0]};
  for (const auto& n : used) client.callNik(n);
  sim_.reset();  // flushes and ends the process
  const std::string log = read(dir_ / "sim.log");
  EXPECT_THAT(log, HasSubstr("outcome=found"));
  EXPECT_THAT(log, HasSubstr("outcome=deceased"));
  EXPECT_THAT(log, HasSubstr("outcome=not_found"));
  std::vector<std::string> secrets = used;
  secrets.push_back("pw-a");
  secrets.push_back("agency-a");
  secrets.push_back(population().find(used[0])->nama);
  EXPECT_TRUE(testing::scanFiles(dir_.path(), secrets).empty() ||
              testing::scanFiles(dir_.path(), secrets)[0].file.filename() == "users.json");
  for (const auto& hit : testing::scanFiles(dir_.path(), secrets))
    EXPECT_EQ(hit.file.filename(), "users.json") << hit.needle;
}

TEST(PortalSimCli, PrintsSamplesAndUsers) {
  auto lines = PortalSimProcess::run({"--population", "20000", "--print-sample", "5", "--kind",
                                      "duplicate"});
  std::istringstream in(lines);
  std::string nik;
  int n = 0;
  while (std::getline(in, nik)) {
    ++n;
    auto r = population().find(nik);
    ASSERT_TRUE(r) << "printed NIK not in the population";
    EXPECT_EQ(r->kind, sim::Resident::Kind::kDuplicate);
  }
  EXPECT_EQ(n, 5);
  auto absent = PortalSimProcess::run({"--population", "20000", "--print-sample", "3", "--kind",
                                       "absent"});
  EXPECT_EQ(absent, population().absent(3)[0] + "\n" + population().absent(3)[1] + "\n" +
                        population().absent(3)[2] + "\n");
  auto users = PortalSimProcess::run({"--print-users"});
  EXPECT_THAT(users, HasSubstr(R"("user_id":"jabar-disnakertrans-01")"));
  EXPECT_THAT(users, HasSubstr(R"("daily_quota":75)"));
  EXPECT_THAT(users, HasSubstr(R"("user_id":"purbalingga-dinnaker-01")"));
  EXPECT_THAT(users, HasSubstr(R"("user_id":"karanganyar-ak1-01")"));
  EXPECT_THROW(PortalSimProcess::run({"--port", "x"}), std::runtime_error);
  EXPECT_THROW(PortalSimProcess::run({"--host", "0.0.0.0"}), std::runtime_error);
}

// ---- HTTPS --------------------------------------------------------------------------------

void sh(const std::string& cmd) {
  if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0)
    throw std::runtime_error("command failed: " + cmd);
}

// A CA and a server certificate for 127.0.0.1 made with the openssl CLI.
void makePki(const std::filesystem::path& d, const std::string& name) {
  const std::string p = (d / name).string();
  sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
     "-subj '/CN=Gerbang Test CA " + name + "' -keyout " + p + "-ca.key -out " + p + "-ca.pem");
  sh("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '/CN=127.0.0.1' "
     "-keyout " + p + "-server.key -out " + p + "-server.csr");
  std::ofstream(d / (name + "-ext.cnf")) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  sh("openssl x509 -req -days 2 -in " + p + "-server.csr -CA " + p + "-ca.pem -CAkey " + p +
     "-ca.key -CAcreateserial -extfile " + p + "-ext.cnf -out " + p + "-server.pem");
}

class PortalClientTlsTest : public PortalClientTest {
 protected:
  void SetUp() override {
    makePki(dir_.path(), "good");
    makePki(dir_.path(), "other");
    std::ofstream(dir_ / "users.json") << kUsers;
    sim_ = std::make_unique<PortalSimProcess>(
        std::vector<std::string>{"--population", std::to_string(kPopulation), "--config",
                                 (dir_ / "users.json").string(), "--tls-cert",
                                 (dir_ / "good-server.pem").string(), "--tls-key",
                                 (dir_ / "good-server.key").string()},
        dir_ / "sim.log");
  }
};

TEST_F(PortalClientTlsTest, HttpsWithTheRightCa) {
  ASSERT_EQ(sim_->baseUrl().rfind("https://127.0.0.1:", 0), 0u);
  ClientConfig c = config("agency-a", "pw-a");
  c.caFile = (dir_ / "good-ca.pem").string();
  Client client(c);
  const std::string nik = sample(sim::Resident::Kind::kFound);
  EXPECT_EQ(as<Found>(client.callNik(nik)).fields.at("NIK"), nik);
  EXPECT_EQ(as<Found>(client.callNik(nik)).fields.at("NIK"), nik);  // pooled connection
  EXPECT_EQ(as<Confirmation>(client.callNik(sample(sim::Resident::Kind::kDeceased))).kind,
            ConfirmationKind::kDeceased);
}

TEST_F(PortalClientTlsTest, AWrongCaFailsClosedWithAClearError) {
  ClientConfig c = config("agency-a", "pw-a");
  c.caFile = (dir_ / "other-ca.pem").string();
  Client client(c);
  auto r = client.callNik(sample(sim::Resident::Kind::kFound));
  const TransportFailure& t = as<TransportFailure>(r);
  EXPECT_EQ(t.kind, TransportKind::kTls);
  EXPECT_FALSE(t.mayHaveReached);
  EXPECT_THAT(t.detail, HasSubstr("other-ca.pem"));
  EXPECT_THAT(t.detail, HasSubstr("certificate verify failed"));
}

TEST_F(PortalClientTlsTest, ACertificateForAnotherHostFailsClosed) {
  // Same (trusted) CA, but the certificate names another host: chain verification alone
  // would pass; host-name verification must not.
  const std::string p = (dir_ / "good").string();
  sh("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
     "-subj '/CN=portal.invalid' -keyout " + p + "-elsewhere.key -out " + p + "-elsewhere.csr");
  std::ofstream(dir_ / "elsewhere-ext.cnf") << "subjectAltName=DNS:portal.invalid\n";
  sh("openssl x509 -req -days 2 -in " + p + "-elsewhere.csr -CA " + p + "-ca.pem -CAkey " + p +
     "-ca.key -CAcreateserial -extfile " + (dir_ / "elsewhere-ext.cnf").string() + " -out " + p +
     "-elsewhere.pem");
  sim_.reset();
  sim_ = std::make_unique<PortalSimProcess>(
      std::vector<std::string>{"--population", std::to_string(kPopulation), "--config",
                               (dir_ / "users.json").string(), "--tls-cert", p + "-elsewhere.pem",
                               "--tls-key", p + "-elsewhere.key"},
      dir_ / "sim.log");
  ClientConfig c = config("agency-a", "pw-a");
  c.caFile = (dir_ / "good-ca.pem").string();
  auto r = Client(c).callNik(sample(sim::Resident::Kind::kFound));
  const TransportFailure& t = as<TransportFailure>(r);
  EXPECT_EQ(t.kind, TransportKind::kTls);
  EXPECT_FALSE(t.mayHaveReached);
}

TEST_F(PortalClientTlsTest, PlainHttpToTheTlsPortIsNotAnAnswer) {
  ClientConfig c = config("agency-a", "pw-a");
  c.baseUrl = "http://127.0.0.1:" + std::to_string(sim_->port());
  c.readTimeout = std::chrono::milliseconds(3000);
  auto r = Client(c).callNik(sample(sim::Resident::Kind::kFound));
  EXPECT_FALSE(std::holds_alternative<Found>(r));
  EXPECT_TRUE(std::holds_alternative<TransportFailure>(r));
}

}  // namespace
}  // namespace gerbang::portal
