// The whole application's authorization, as `gerbang serve` assembles it: the real binary
// with the real plugins, gerbang-portal-sim as the registry, a store prepared with
// `gerbang demo seed`, one web account per role and API tokens made with the CLI.
//
// A table written here (not read from the server) names every route with its access kind,
// allowed roles, agreement scope and the status an allowed caller gets on its own agreement
// (Purbalingga) and on another agency's (Karanganyar). Every route × every caller (operator,
// supervisor, admin, evaluator, anonymous, an API token) × own/other is then called over
// HTTP. The table must equal the live route list (GET /api/v1/routes), so a route another
// module mounts fails this test until someone decides who may call it; and the live routes
// must equal the operations of docs/openapi.json.
#include "tests/portal/sim_process.hpp"
#include "tests/web/web_fixture.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace gerbang::web {
namespace {

namespace fs = std::filesystem;
using testing::HttpResult;
using testing::Login;

constexpr Role kOp = Role::kOperator, kSup = Role::kSupervisor, kAdm = Role::kAdmin,
               kEval = Role::kEvaluator;
const std::set<Role> kAll{kOp, kSup, kAdm, kEval};
const std::set<Role> kStaff{kOp, kSup, kAdm};

constexpr const char* kJabar = "jabar-disnakertrans";
constexpr const char* kPurbalingga = "purbalingga-dinnaker";
constexpr const char* kKaranganyar = "karanganyar-ak1";
constexpr const char* kPassword = "sandi-uji-0123";

struct Row {
  const char* method;
  const char* pattern;
  Access access;
  std::set<Role> roles;  // kSession: who may call it
  const char* scope;     // the agreement parameter, "" when not agreement-scoped
  int ownStatus;         // an allowed caller on its own agreement (minimal body)
  int otherStatus;       // an allowed caller on another agency's agreement (or account)
  // The route may answer or take personal data (NIK, names, birth dates): never the
  // registry's evaluators (issue 7: "compliance figures only, never personal data").
  bool personal;
  // The callers' own agreement and another agency's (plugin routes exist for their plugin's
  // agreement only).
  const char* own = kPurbalingga;
  const char* other = kKaranganyar;
};

// Who may call what. Decided from each route's Router entry and the issue's role
// definitions; a change here is a change of policy.
const std::vector<Row>& table() {
  static const std::vector<Row> t{
      // core/web built-ins
      {"GET", "/healthz", Access::kPublic, {}, "", 200, 200, false},
      {"GET", "/metrics", Access::kPublic, {}, "", 200, 200, false},
      {"GET", "/api/v1/session", Access::kPublic, {}, "", 200, 200, false},
      {"POST", "/api/v1/session", Access::kPublic, {}, "", 200, 200, false},
      {"DELETE", "/api/v1/session", Access::kSession, kAll, "", 200, 200, false},
      {"PUT", "/api/v1/session/password", Access::kSession, kAll, "", 200, 200, false},
      {"GET", "/api/v1/agreements", Access::kSession, kAll, "", 200, 200, false},
      {"GET", "/api/v1/agreements/{id}", Access::kSession, kAll, "id", 200, 404, false},
      {"GET", "/api/v1/agreements/{id}/tokens", Access::kSession, {kSup, kAdm}, "id", 200, 404,
       false},
      {"POST", "/api/v1/agreements/{id}/tokens", Access::kSession, {kAdm}, "id", 201, 404, false},
      {"DELETE", "/api/v1/agreements/{id}/tokens/{tokenId}", Access::kSession, {kAdm}, "id", 200,
       404, false},
      {"GET", "/api/v1/accounts", Access::kSession, {kAdm}, "", 200, 200, false},
      {"POST", "/api/v1/accounts", Access::kSession, {kAdm}, "", 201, 404, false},
      {"PUT", "/api/v1/accounts/{username}/password", Access::kSession, {kAdm}, "", 200, 404,
       false},
      {"GET", "/api/v1/routes", Access::kSession, {kAdm}, "", 200, 200, false},
      {"GET", "/api/v1/agencies/{id}/client", Access::kApiToken, {}, "id", 200, 404, false},
      // core/lookup: agency applications (an empty body is refused before any lookup)
      {"POST", "/api/v1/agreements/{id}/lookup", Access::kApiToken, {}, "id", 400, 404, true},
      // CALL_NIK authenticates with a Gerbang token inside the body, as the registry's API
      // does; without one it answers 200 "Login Gagal" to everyone.
      {"POST", "/dukcapil/get_json/{lembaga}/CALL_NIK", Access::kPublic, {}, "", 200, 200, true},
      // core/balikan: agency applications
      {"POST", "/api/v1/agreements/{id}/balikan", Access::kApiToken, {}, "id", 400, 404, true},
      {"POST", "/api/v1/agreements/{id}/balikan/upload", Access::kApiToken, {}, "id", 400, 404,
       true},
      {"GET", "/api/v1/agreements/{id}/balikan/status", Access::kApiToken, {}, "id", 200, 404,
       false},
      // core/web operator screens
      {"GET", "/api/v1/agreements/{id}/lookup-form", Access::kSession, kStaff, "id", 200, 404,
       false},
      {"POST", "/api/v1/agreements/{id}/lookups", Access::kSession, {kOp, kSup}, "id", 400, 404,
       true},
      {"GET", "/api/v1/agreements/{id}/screens", Access::kSession, kStaff, "id", 200, 404, false},
      {"POST", "/api/v1/agreements/{id}/pattern-releases", Access::kSession, {kSup}, "id", 400,
       404, true},
      {"GET", "/api/v1/agreements/{id}/dashboard", Access::kSession, kAll, "id", 200, 404, false},
      {"GET", "/api/v1/agreements/{id}/audit", Access::kSession, {kSup, kEval}, "id", 200, 404,
       false},
      {"GET", "/api/v1/agreements/{id}/pattern-releases", Access::kSession, {kSup}, "id", 200, 404,
       false},
      {"GET", "/api/v1/agreements/{id}/operators", Access::kSession, {kSup, kAdm}, "id", 200, 404,
       false},
      {"GET", "/api/v1/agreements/{id}/adenda", Access::kSession, {kSup, kAdm}, "id", 200, 404,
       false},
      {"POST", "/api/v1/agreements/{id}/adenda", Access::kSession, {kAdm}, "id", 400, 404, false},
      {"GET", "/api/v1/plugins", Access::kSession, {kAdm}, "", 200, 200, false},
      // KTP-el readers
      // ?agreement= names the agreement: another agency's is "not found", as for {id}.
      {"GET", "/api/v1/readers", Access::kSession, kStaff, "", 200, 404, false},
      {"GET", "/api/v1/readers/events", Access::kSession, kStaff, "", 200, 200, false},
      {"POST", "/api/v1/agreements/{id}/card-lookups", Access::kSession, {kOp, kSup}, "id", 400,
       404, true},
      // data balikan from the operator screens
      {"GET", "/api/v1/agreements/{id}/balikan/form", Access::kSession, kStaff, "id", 200, 404,
       false},
      {"POST", "/api/v1/agreements/{id}/balikan/records", Access::kSession, {kOp, kSup}, "id", 400,
       404, true},
      {"POST", "/api/v1/agreements/{id}/balikan/uploads", Access::kSession, {kOp, kSup}, "id", 400,
       404, true},
      // An upload's report belongs to its uploader: upload 1 of nobody is "not found".
      {"GET", "/api/v1/agreements/{id}/balikan/uploads/{uploadId}/errors.csv", Access::kSession,
       {kOp, kSup}, "id", 404, 404, true},
      {"GET", "/api/v1/agreements/{id}/obligations", Access::kSession, {kOp, kSup}, "id", 200, 404,
       false},
      {"GET", "/api/v1/agreements/{id}/balikan/delivery", Access::kSession, kAll, "id", 200, 404,
       false},
      // plugin routes (manifest routes[]): each exists for its own plugin's agreement
      {"GET", "/api/v1/agencies/{id}/pendaftaran/{nomor}", Access::kSession, {kOp, kSup}, "id",
       200, 404, false, kJabar, kKaranganyar},
      {"POST", "/api/v1/agencies/{id}/pemohon/pemeriksaan", Access::kSession, {kOp}, "id", 400,
       404, true, kJabar, kKaranganyar},
      {"GET", "/api/v1/agencies/{id}/peserta/{nomor}", Access::kSession, {kOp, kSup}, "id", 200,
       404, false},
      {"POST", "/api/v1/agencies/{id}/pelatihan/pemeriksaan", Access::kSession, {kOp}, "id", 400,
       404, true},
      {"GET", "/api/v1/agencies/{id}/ak1/register/{nomor}", Access::kSession, {kOp, kSup}, "id",
       200, 404, false, kKaranganyar, kPurbalingga},
      {"POST", "/api/v1/agencies/{id}/ak1/pemeriksaan", Access::kSession, {kOp}, "id", 400, 404,
       true, kKaranganyar, kPurbalingga},
  };
  return t;
}

// The callers of every route.
enum class Caller { kOperator, kSupervisor, kAdmin, kEvaluator, kAnonymous, kApiToken };
constexpr Caller kCallers[] = {Caller::kOperator,  Caller::kSupervisor, Caller::kAdmin,
                               Caller::kEvaluator, Caller::kAnonymous,  Caller::kApiToken};

std::optional<Role> roleOf(Caller c) {
  switch (c) {
    case Caller::kOperator:
      return kOp;
    case Caller::kSupervisor:
      return kSup;
    case Caller::kAdmin:
      return kAdm;
    case Caller::kEvaluator:
      return kEval;
    default:
      return std::nullopt;
  }
}

std::string callerName(Caller c) {
  if (auto r = roleOf(c)) return roleName(*r);
  return c == Caller::kAnonymous ? "anonymous" : "api-token";
}

// What a caller must get from a route (the decision order of core/web/access.hpp).
int expectedStatus(const Row& row, Caller c, bool own) {
  const int allowed = own ? row.ownStatus : row.otherStatus;
  switch (row.access) {
    case Access::kPublic:
      return allowed;
    case Access::kApiToken:
      return c == Caller::kApiToken ? allowed : 401;
    case Access::kSession:
      if (!roleOf(c)) return 401;  // no session (a token is not a session)
      return row.roles.count(*roleOf(c)) ? allowed : 403;
  }
  return -1;
}

std::string lower(std::string s) {
  for (char& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Starts `argv` with stdin read from `in` (or /dev/null when empty) and stdout and stderr
// written to files, so neither the child nor the test can block on a full pipe.
pid_t spawn(const std::vector<std::string>& argv, const fs::path& in, const fs::path& out,
            const fs::path& err) {
  pid_t pid = fork();
  if (pid == 0) {
    int i = ::open(in.empty() ? "/dev/null" : in.c_str(), O_RDONLY);
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(i, 0);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

struct CliRun {
  int exitCode = -1;
  std::string out;
  std::string err;
};

// Runs a program to completion with `input` on stdin.
CliRun runProgram(const std::vector<std::string>& argv, const fs::path& dir,
                  const std::string& input = "") {
  static int serial = 0;
  const std::string base = (dir / ("run-" + std::to_string(++serial))).string();
  std::ofstream(base + ".in") << input;
  int status = 0;
  waitpid(spawn(argv, base + ".in", base + ".out", base + ".err"), &status, 0);
  CliRun r;
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  fs::remove(base + ".in");
  return r;
}

// `gerbang serve --port 0` in the background.
class ServeProcess {
 public:
  ServeProcess(const std::vector<std::string>& argv, const fs::path& dir) {
    const fs::path out = dir / "serve.out", err = dir / "serve.err";
    pid_ = spawn(argv, "", out, err);
    // "Gerbang melayani di http://127.0.0.1:PORT/ ..." once the server listens.
    const std::regex listening(R"(melayani di http://127\.0\.0\.1:(\d+)/)");
    for (int i = 0; i < 600 && port_ == 0; ++i) {
      std::string text = slurp(out);
      std::smatch m;
      if (std::regex_search(text, m, listening)) {
        port_ = std::stoi(m[1]);
        break;
      }
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (port_ == 0) {
      if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
      throw std::runtime_error("gerbang serve did not start: " + slurp(err));
    }
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// The demo seed's operator (NDA on file) an operator account of each agreement is linked to.
const std::map<std::string, std::string> kSeedOperator{
    {kJabar, "demo-jabar-01"}, {kPurbalingga, "demo-purbalingga-01"},
    {kKaranganyar, "demo-karanganyar-01"}};
// A service number each agreement's plugin accepts (its manifest routes' {nomor}).
const std::map<std::string, std::string> kNomor{{kJabar, "TRANS-3273-2026-00017"},
                                                {kPurbalingga, "PLT-3303-2026-00017"},
                                                {kKaranganyar, "AK1-3313-202611-000017"}};
// The registry's institution code of each agreement (config/demo.properties), for CALL_NIK.
const std::map<std::string, std::string> kLembaga{{kJabar, "DISNAKERTRANS_JABAR"},
                                                  {kPurbalingga, "DINNAKER_PURBALINGGA"},
                                                  {kKaranganyar, "DISDAGNAKERKOP_KARANGANYAR"}};

class ServeAuthzTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    sim_ = std::make_unique<gerbang::testing::PortalSimProcess>(
        std::vector<std::string>{"--today", "2026-11-23", "--access-log", "none"},
        dir_.path() / "sim.err");
    conf_ = {GERBANG_EXE,
             "--config",
             std::string(GERBANG_TEST_SOURCE_DIR) + "/config/demo.properties",
             "-D",
             "store.uri=" + tdb_.uri(),
             "-D",
             "log.dir=" + (dir_.path() / "log").string(),
             "-D",
             "audit.key_file=" + (dir_.path() / "audit.key").string(),
             "-D",
             "portal.url=" + sim_->baseUrl(),
             "-D",
             "clock.today=2026-11-23"};
    gerbang({"demo", "seed"});
    // The demo extends Jawa Barat; extend Karanganyar too, so that its plugin's routes answer
    // allowed callers (an ended PKS refuses them with 403 agreement_expired, a compliance
    // refusal rather than an authorization one).
    gerbang({"adendum", "add", "--agreement", kKaranganyar, "--number", "UJI/ADD-AUTHZ/2026",
             "--date", "2026-11-01", "--end", "2027-11-01", "--by", "uji-authz"});
    // One account per role on each agreement some row calls its own, and an API token each.
    std::set<std::string> owners;
    for (const Row& row : table()) owners.insert(row.own);
    for (const std::string& ag : owners) {
      for (Caller c : kCallers) {
        auto role = roleOf(c);
        if (!role) continue;
        std::vector<std::string> args{"accounts", "add",  "--username", user(c, ag),
                                      "--role",   roleName(*role), "--agreement", ag};
        if (c == Caller::kOperator) args.insert(args.end(), {"--operator", kSeedOperator.at(ag)});
        if (c == Caller::kSupervisor) args.insert(args.end(), {"--operator", "demo-supervisor"});
        gerbang(args, std::string(kPassword) + "\n");
      }
      tokens_[ag] = trim(gerbang({"tokens", "create", "--agreement", ag, "--application",
                                  "uji-authz"}));
    }
    if (!tokens_.count(kKaranganyar))
      tokens_[kKaranganyar] = trim(gerbang(
          {"tokens", "create", "--agreement", kKaranganyar, "--application", "uji-authz"}));
    // Accounts the account routes act on: one of this agency, one of the other.
    gerbang({"accounts", "add", "--username", "target-own", "--role", "operator", "--agreement",
             kPurbalingga},
            std::string(kPassword) + "\n");
    gerbang({"accounts", "add", "--username", "target-other", "--role", "operator",
             "--agreement", kKaranganyar},
            std::string(kPassword) + "\n");
    // A token id of the other agency, for DELETE .../tokens/{tokenId} on its agreement.
    std::smatch m;
    std::string list = gerbang({"tokens", "list", "--agreement", kKaranganyar});
    ASSERT_TRUE(std::regex_search(list, m, std::regex(R"((\d+)\s+uji-authz)"))) << list;
    otherTokenId_ = m[1];
    std::vector<std::string> serve = conf_;
    serve.insert(serve.end(), {"serve", "--port", "0"});
    serve_ = std::make_unique<ServeProcess>(serve, dir_.path());
  }

  static std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    return s;
  }

  static std::string user(Caller c, const std::string& agreement) {
    return "authz-" + callerName(c) + "-" + agreement;
  }

  std::string gerbang(std::vector<std::string> args, const std::string& input = "") {
    std::vector<std::string> argv = conf_;
    argv.insert(argv.end(), args.begin(), args.end());
    CliRun r = runProgram(argv, dir_.path(), input);
    EXPECT_EQ(r.exitCode, 0) << "gerbang " << args.front() << ": " << r.err;
    return r.out;
  }

  HttpResult call(const std::string& method, const std::string& path, const std::string& body,
                  std::vector<std::pair<std::string, std::string>> headers = {}) {
    return testing::httpCall(serve_->port(), {method, path, body, "application/json", headers});
  }

  // A signed-in session for the caller's account on `agreement`, reused until a route ends it.
  const Login& login(Caller c, const std::string& agreement) {
    const auto key = std::make_pair(c, agreement);
    auto it = logins_.find(key);
    if (it != logins_.end()) return it->second;
    HttpResult r = call("POST", "/api/v1/session",
                        "{\"username\":\"" + user(c, agreement) + "\",\"password\":\"" +
                            kPassword + "\"}");
    EXPECT_EQ(r.status, 200) << "sign-in of " << user(c, agreement) << ": " << r.body;
    Login l;
    l.sessionId = testing::cookieValue(testing::sessionCookie(r));
    if (r.status == 200) l.csrf = r.json()->getValue<std::string>("csrfToken");
    return logins_[key] = l;
  }

  std::vector<std::pair<std::string, std::string>> credentials(Caller c,
                                                               const std::string& agreement,
                                                               bool withCsrf = true) {
    if (c == Caller::kAnonymous) return {};
    if (c == Caller::kApiToken) return {{"Authorization", "Bearer " + tokens_.at(agreement)}};
    return login(c, agreement).headers(withCsrf);
  }

  // The pattern with its parameters filled for the row's own or other agreement.
  std::string path(const Row& row, bool own) {
    const std::string ag = own ? row.own : row.other;
    std::string p = row.pattern;
    auto sub = [&](const std::string& name, const std::string& value) {
      size_t at = p.find("{" + name + "}");
      if (at != std::string::npos) p.replace(at, name.size() + 2, value);
    };
    sub("id", ag);
    sub("username", own ? "target-own" : "target-other");
    sub("lembaga", kLembaga.at(ag));
    sub("nomor", kNomor.at(ag));
    sub("uploadId", "1");
    if (p.find("{tokenId}") != std::string::npos) {
      std::string id = otherTokenId_;
      if (own) {  // a fresh token of the own agreement, made by its admin
        HttpResult r = call("POST", "/api/v1/agreements/" + ag + "/tokens",
                            "{\"application\":\"uji-cabut\"}", credentials(Caller::kAdmin, ag));
        EXPECT_EQ(r.status, 201) << r.body;
        id = std::to_string(r.json()->getValue<Poco::Int64>("id"));
      }
      sub("tokenId", id);
    }
    EXPECT_EQ(p.find('{'), std::string::npos) << "no value for a parameter of " << row.pattern;
    // The reader status names its agreement in the query (isolated like a path's {id}); the
    // events are a long poll: ask for what is there now.
    if (p == "/api/v1/readers") p += "?agreement=" + ag;
    if (p == "/api/v1/readers/events") p += "?after=0&wait=0";
    return p;
  }

  // Minimal bodies: enough for an allowed caller to get past validation where that is cheap,
  // an empty JSON object otherwise (authorization is decided before the body is read).
  std::string body(const Row& row, bool own) {
    const std::string p = row.pattern, m = row.method;
    if (p == "/api/v1/session" && m == "POST")
      return std::string("{\"username\":\"target-own\",\"password\":\"") + kPassword + "\"}";
    if (p == "/api/v1/session/password")
      return std::string("{\"currentPassword\":\"") + kPassword + "\",\"newPassword\":\"" +
             kPassword + "\"}";
    if (p == "/api/v1/agreements/{id}/tokens" && m == "POST") return "{\"application\":\"uji\"}";
    if (p == "/api/v1/accounts" && m == "POST")
      return "{\"username\":\"baru-" + std::to_string(++serial_) +
             "\",\"role\":\"operator\",\"password\":\"sandi-uji-0123\",\"agreements\":[\"" +
             (own ? row.own : row.other) + "\"]}";
    if (p == "/api/v1/accounts/{username}/password") return "{\"password\":\"sandi-uji-9876\"}";
    if (contentType(row) == "text/csv") return "";
    return m == "GET" || m == "DELETE" ? "" : "{}";
  }

  // Uploads are files (an empty CSV), everything else JSON.
  static std::string contentType(const Row& row) {
    const std::string p = row.pattern;
    return p.ends_with("/balikan/upload") || p.ends_with("/balikan/uploads") ? "text/csv"
                                                                               : "application/json";
  }

  HttpResult callAs(Caller c, const Row& row, bool own, bool withCsrf = true) {
    HttpResult r = testing::httpCall(serve_->port(), {row.method, path(row, own), body(row, own),
                                                      contentType(row),
                                                      credentials(c, row.own, withCsrf)});
    // These end the caller's session when they succeed: sign in again next time.
    const std::string p = row.pattern;
    if (r.status == 200 && (p == "/api/v1/session" || p == "/api/v1/session/password"))
      logins_.erase(std::make_pair(c, std::string(row.own)));
    return r;
  }

  Poco::JSON::Array::Ptr liveRoutes() {
    HttpResult r = call("GET", "/api/v1/routes", "", credentials(Caller::kAdmin, kPurbalingga));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()->getArray("routes");
  }

  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  std::unique_ptr<gerbang::testing::PortalSimProcess> sim_;
  std::vector<std::string> conf_;
  std::unique_ptr<ServeProcess> serve_;
  std::map<std::pair<Caller, std::string>, Login> logins_;
  std::map<std::string, std::string> tokens_;  // agreement → API token
  std::string otherTokenId_;
  int serial_ = 0;
};

const Row* findRow(const std::string& method, const std::string& pattern) {
  for (const Row& row : table())
    if (row.method == method && row.pattern == pattern) return &row;
  return nullptr;
}

TEST_P(ServeAuthzTest, TheTableEqualsTheRoutesTheServerMounts) {
  auto routes = liveRoutes();
  ASSERT_TRUE(routes);
  std::set<std::string> live;
  for (size_t i = 0; i < routes->size(); ++i) {
    auto r = routes->getObject(unsigned(i));
    const std::string method = r->getValue<std::string>("method"),
                      pattern = r->getValue<std::string>("pattern");
    const std::string what = method + " " + pattern;
    live.insert(what);
    const Row* row = findRow(method, pattern);
    if (!row) {
      ADD_FAILURE() << "gerbang serve mounts " << what
                    << " but tests/app/serve_authz_test.cpp has no row for it: decide who may "
                       "call it and add one";
      continue;
    }
    EXPECT_EQ(r->getValue<std::string>("access"), accessKindName(row->access)) << what;
    std::set<std::string> liveRoles, rowRoles;
    for (const auto& v : *r->getArray("roles")) liveRoles.insert(v.toString());
    for (Role role : row->roles) rowRoles.insert(roleName(role));
    EXPECT_EQ(liveRoles, rowRoles) << what;
    EXPECT_EQ(r->getValue<std::string>("scope"), row->scope) << what;
  }
  for (const Row& row : table())
    EXPECT_TRUE(live.count(std::string(row.method) + " " + row.pattern))
        << "the table lists " << row.method << " " << row.pattern
        << " but gerbang serve does not mount it";
}

TEST(ServeAuthzTable, AllowedCallersAreNeverRefusedAndEvaluatorsSeeNoPersonalData) {
  for (const Row& row : table()) {
    const std::string what = std::string(row.method) + " " + row.pattern;
    // Allowed callers are never refused by authorization.
    for (int s : {row.ownStatus, row.otherStatus}) {
      EXPECT_NE(s, 401) << what;
      EXPECT_NE(s, 403) << what;
    }
    // Tenant isolation: another agency's agreement is "not found".
    if (*row.scope) {
      EXPECT_EQ(row.otherStatus, 404) << what;
    }
    // Evaluators see compliance figures only.
    if (row.personal) {
      EXPECT_FALSE(row.roles.count(kEval)) << what << " carries personal data";
    }
  }
}

TEST_P(ServeAuthzTest, EveryRouteEveryCallerOwnAndOtherAgreement) {
  int calls = 0;
  for (const Row& row : table()) {
    for (Caller c : kCallers) {
      for (bool own : {true, false}) {
        const std::string what = std::string(row.method) + " " + row.pattern + " as " +
                                 callerName(c) + (own ? " (own)" : " (other)");
        HttpResult r = callAs(c, row, own);
        ++calls;
        const int want = expectedStatus(row, c, own);
        EXPECT_EQ(r.status, want) << what << ": " << r.body;
        if (want == 401 || want == 403) {
          std::string code = r.json()->getValue<std::string>("error");
          EXPECT_EQ(code, want == 401 ? "not_authenticated" : "forbidden") << what;
        }
      }
    }
  }
  EXPECT_EQ(calls, int(table().size()) * 6 * 2);
}

TEST_P(ServeAuthzTest, StateChangingSessionRoutesRefuseEveryRoleWithoutCsrf) {
  for (const Row& row : table()) {
    if (row.access != Access::kSession || !isStateChanging(row.method)) continue;
    for (Caller c : {Caller::kOperator, Caller::kSupervisor, Caller::kAdmin, Caller::kEvaluator}) {
      HttpResult r = callAs(c, row, true, /*withCsrf=*/false);
      EXPECT_EQ(r.status, 403) << row.method << " " << row.pattern << " as " << callerName(c);
      EXPECT_EQ(r.json()->getValue<std::string>("error"), "csrf_failed") << row.pattern;
    }
  }
}

TEST_P(ServeAuthzTest, ApiTokenRoutesRefuseAnotherAgencysTokenAndGarbage) {
  for (const Row& row : table()) {
    if (row.access != Access::kApiToken) continue;
    const std::string p = path(row, true);
    HttpResult other = call(row.method, p, body(row, true),
                            {{"Authorization", "Bearer " + tokens_.at(row.other)}});
    EXPECT_EQ(other.status, 404) << row.method << " " << p << ": " << other.body;
    HttpResult garbage =
        call(row.method, p, body(row, true), {{"Authorization", "Bearer gbk_bukan-token"}});
    EXPECT_EQ(garbage.status, 401) << row.method << " " << p;
    EXPECT_EQ(garbage.header("www-authenticate"), "Bearer") << p;
  }
}

TEST_P(ServeAuthzTest, EvaluatorsGetNoPersonalDataFromAnyRouteAfterALookup) {
  // A found resident looked up through the agency application's REST entry point: the
  // dashboard, audit and delivery figures now count it.
  const std::string nik =
      trim(gerbang::testing::PortalSimProcess::run({"--print-sample", "1", "--kind", "found"}));
  ASSERT_EQ(nik.size(), 16u) << nik;
  HttpResult found = call("POST", std::string("/api/v1/agreements/") + kPurbalingga + "/lookup",
                          "{\"nik\":\"" + nik +
                              "\",\"operator\":\"demo-purbalingga-01\",\"purpose\":"
                              "\"PLT-3303-2026-00017\"}",
                          {{"Authorization", "Bearer " + tokens_.at(kPurbalingga)}});
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_EQ(found.json()->getValue<std::string>("outcome"), "found") << found.body;
  int checked = 0;
  for (const Row& row : table()) {
    if (row.access != Access::kSession || !row.roles.count(kEval) ||
        std::string(row.method) != "GET")
      continue;
    HttpResult r = callAs(Caller::kEvaluator, row, true);
    EXPECT_EQ(r.status, row.ownStatus) << row.pattern << ": " << r.body;
    EXPECT_EQ(r.body.find(nik), std::string::npos) << row.pattern << " shows the NIK";
    EXPECT_FALSE(std::regex_search(r.body, std::regex(R"((^|\D)\d{16}(\D|$))")))
        << row.pattern << " shows a NIK-like number: " << r.body;
    ++checked;
  }
  EXPECT_GE(checked, 4);  // agreements, one agreement, dashboard, audit, ...
}

TEST_P(ServeAuthzTest, TheOpenApiDocumentHasEveryLiveRouteAndNoOther) {
  std::ifstream in(gerbang::testing::sourceDir() / "docs" / "openapi.json");
  ASSERT_TRUE(in) << "docs/openapi.json";
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = Poco::JSON::Parser().parse(ss.str()).extract<Poco::JSON::Object::Ptr>();
  auto paths = doc->getObject("paths");
  ASSERT_TRUE(paths);
  std::set<std::string> live, documented;
  auto routes = liveRoutes();
  ASSERT_TRUE(routes);
  for (size_t i = 0; i < routes->size(); ++i) {
    auto r = routes->getObject(unsigned(i));
    const std::string method = r->getValue<std::string>("method"),
                      pattern = r->getValue<std::string>("pattern");
    const std::string what = method + " " + pattern;
    live.insert(what);
    auto item = paths->getObject(pattern);
    auto op = item ? item->getObject(lower(method)) : nullptr;
    if (!op) {
      ADD_FAILURE() << what << " is mounted by gerbang serve but not in docs/openapi.json";
      continue;
    }
    EXPECT_EQ(op->getValue<std::string>("x-gerbang-access"), r->getValue<std::string>("access"))
        << what;
    std::set<std::string> docRoles, liveRoles;
    if (auto a = op->getArray("x-gerbang-roles"))
      for (const auto& v : *a) docRoles.insert(v.toString());
    for (const auto& v : *r->getArray("roles")) liveRoles.insert(v.toString());
    EXPECT_EQ(docRoles, liveRoles) << what;
    EXPECT_EQ(op->optValue<std::string>("x-gerbang-scope", "?"), r->getValue<std::string>("scope"))
        << what;
    EXPECT_EQ(op->optValue<std::string>("summary", ""), r->getValue<std::string>("summary"))
        << what;
  }
  static const std::set<std::string> kMethods{"get", "post", "put", "patch", "delete"};
  for (const auto& [pattern, itemVar] : *paths) {
    auto item = itemVar.extract<Poco::JSON::Object::Ptr>();
    for (const auto& [method, op] : *item) {
      if (!kMethods.count(method)) continue;
      std::string m = method;
      for (char& ch : m) ch = char(std::toupper(static_cast<unsigned char>(ch)));
      EXPECT_TRUE(live.count(m + " " + pattern))
          << "docs/openapi.json documents " << m << " " << pattern
          << " but gerbang serve does not mount it";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeAuthzTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) {
                           return gerbang::testing::backendName(info.param);
                         });

}  // namespace
}  // namespace gerbang::web
