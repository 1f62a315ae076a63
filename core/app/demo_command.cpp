// gerbang demo seed [--seed FILE]
// Applies the demo seed (config/demo-seed.json; all synthetic) to the configured store:
// the host key file when missing, operators with NDAs, each agreement's SPTJM, the Adendum
// that extends Jawa Barat, one API token per agreement, and the web accounts (operators,
// penanggung jawab, admin, evaluator). Idempotent: what exists is left as it is (a token's
// secret and an account's generated password are printed to stdout only when created,
// never to the log).
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/app/table.hpp"
#include "core/lookup/lookup_host.hpp"
#include "core/operator/operator_repository.hpp"
#include "core/web/accounts.hpp"
#include "core/web/api_tokens.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <spdlog/spdlog.h>
#include <sys/random.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gerbang::app {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string str(const Object::Ptr& o, const std::string& key, const std::string& where) {
  if (!o->has(key) || !o->get(key).isString())
    throw std::runtime_error(where + "." + key + ": missing or not a string");
  return o->getValue<std::string>(key);
}

Date date(const Object::Ptr& o, const std::string& key, const std::string& where) {
  auto d = Date::parseIso(str(o, key, where));
  if (!d) throw std::runtime_error(where + "." + key + ": not a date (YYYY-MM-DD)");
  return *d;
}

Array::Ptr arr(const Object::Ptr& o, const std::string& key, const std::string& where) {
  if (!o->has(key)) return new Array;
  Array::Ptr a = o->getArray(key);
  if (!a) throw std::runtime_error(where + "." + key + ": not an array");
  return a;
}

// `n` random bytes from the kernel.
void randomBytes(unsigned char* bytes, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(bytes + got, n - got, 0);
    if (r < 0) throw std::runtime_error("getrandom failed");
    got += size_t(r);
  }
}

// A generated web password: 16 characters from 56 unambiguous letters and digits (about
// 92 bits), in groups of four so it can be read aloud and typed.
std::string generatePassword() {
  static const char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  constexpr unsigned kSize = sizeof kAlphabet - 1;
  std::string out;
  while (out.size() < 19) {
    unsigned char b;
    randomBytes(&b, 1);
    if (b >= 256 - 256 % kSize) continue;  // no modulo bias
    if (out.size() % 5 == 4) out += '-';
    out += kAlphabet[b % kSize];
  }
  return out;
}

// Creates the host's master secret (32 random bytes, hex) with mode 0600, when absent.
bool ensureKeyFile(const fs::path& file) {
  if (fs::exists(file)) return false;
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  unsigned char bytes[32];
  randomBytes(bytes, sizeof bytes);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : bytes) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  std::ofstream out(file);
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  out << "# Gerbang master secret (demo). Mode 0600. Never share or commit.\n" << hex << "\n";
  if (!out) throw std::runtime_error("cannot write " + file.string());
  return true;
}

// The web accounts of the seed: each with a generated password, printed once here (stdout
// only; the security log records the creation, never the password). An account that
// exists keeps its password.
void seedAccounts(AppContext& ctx, const Array::Ptr& accounts) {
  web::AccountStore store(ctx.database(), ctx.clock(), [](const web::SecurityEvent& e) {
    spdlog::info("web security (demo seed): {} subject='{}' {}", e.kind, e.subject, e.detail);
  });
  Table t({"AKUN", "PERAN", "OPERATOR", "PERJANJIAN", "KATA SANDI"});
  size_t created = 0;
  for (size_t i = 0; i < accounts->size(); ++i) {
    const std::string w = "accounts[" + std::to_string(i) + "]";
    Object::Ptr o = accounts->getObject(unsigned(i));
    if (!o) throw std::runtime_error("demo seed: " + w + ": not an object");
    web::NewAccount na;
    na.username = str(o, "username", w);
    auto role = web::parseRole(str(o, "role", w));
    if (!role) throw std::runtime_error("demo seed: " + w + ".role: unknown role");
    na.role = *role;
    if (o->has("operator")) na.operatorId = str(o, "operator", w);
    Array::Ptr ags = arr(o, "agreements", w);
    for (size_t j = 0; j < ags->size(); ++j) na.agreements.push_back(ags->getElement<std::string>(unsigned(j)));
    std::string agreements;
    for (const auto& g : na.agreements) agreements += (agreements.empty() ? "" : ",") + g;
    std::string password = "(sudah ada; tidak diubah)";
    if (!store.find(na.username)) {
      std::string generated = generatePassword();
      if (Status st = store.create(na, generated); !st.ok())
        throw std::runtime_error("demo seed: " + w + ": " + st.error().message);
      password = std::move(generated);
      ++created;
    }
    t.add({na.username, web::roleName(na.role), na.operatorId.value_or("-"), agreements,
           password});
  }
  if (t.size() == 0) return;
  ctx.out() << "\nAkun web demo";
  if (created > 0)
    ctx.out() << " (kata sandi baru hanya ditampilkan sekali ini; simpan sekarang)";
  ctx.out() << ":\n";
  t.print(ctx.out());
  if (created < t.size())
    ctx.out() << "Akun yang sudah ada tidak diubah. Ganti kata sandinya dengan: gerbang "
                 "accounts passwd --username AKUN\n";
  ctx.out() << "\n";
}

int run(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"seed"}}, 1);
  if (a.positionals().size() != 1 || a.positionals().front() != "seed")
    throw UsageError("expected the subcommand 'seed'");
  std::string seedFile = a.value("seed").value_or(ctx.config().getString("demo.seed_file", ""));
  if (seedFile.empty()) throw UsageError("--seed FILE is required (or set demo.seed_file)");
  std::ifstream in(seedFile);
  if (!in) throw std::runtime_error("demo seed: cannot read " + seedFile);
  std::stringstream text;
  text << in.rdbuf();
  Object::Ptr seed;
  try {
    seed = Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>();
  } catch (const std::exception& e) {
    throw std::runtime_error("demo seed: " + seedFile + ": not a JSON object: " + e.what());
  }

  const std::string keyFile = ctx.config().getString(lookup::kAuditKeyFileKey, "");
  if (keyFile.empty()) throw std::runtime_error("config: audit.key_file is empty");
  if (ensureKeyFile(keyFile)) ctx.out() << "Kunci host dibuat: " << keyFile << "\n";

  auto& agreements = ctx.agreements();
  op::OperatorRepository ops(ctx.database());

  Array::Ptr adenda = arr(seed, "adenda", "seed");
  for (size_t i = 0; i < adenda->size(); ++i) {
    const std::string w = "adenda[" + std::to_string(i) + "]";
    Object::Ptr o = adenda->getObject(unsigned(i));
    agreement::Adendum ad;
    ad.agencyId = str(o, "agreement", w);
    ad.number = str(o, "number", w);
    ad.date = date(o, "date", w);
    if (o->has("end")) ad.newEnd = date(o, "end", w);
    ad.recordedBy = "demo-seed";
    auto r = agreements.addAdendum(ad);
    if (r.ok())
      ctx.out() << "Adendum " << ad.number << " dicatat untuk " << ad.agencyId << ".\n";
    else if (r.error().code != "adendum_duplicate")
      throw std::runtime_error("demo seed: " + w + ": " + r.error().message);
  }

  Array::Ptr sptjms = arr(seed, "sptjm", "seed");
  for (size_t i = 0; i < sptjms->size(); ++i) {
    const std::string w = "sptjm[" + std::to_string(i) + "]";
    Object::Ptr o = sptjms->getObject(unsigned(i));
    op::Sptjm s{str(o, "agreement", w), str(o, "number", w), date(o, "date", w),
                str(o, "name", w), str(o, "position", w)};
    if (!agreements.find(s.agreementId)) continue;
    if (ops.sptjm(s.agreementId).ok()) continue;
    if (Status st = ops.recordSptjm(s); !st.ok())
      throw std::runtime_error("demo seed: " + w + ": " + st.error().message);
    ctx.out() << "SPTJM " << s.number << " dicatat untuk " << s.agreementId << ".\n";
  }

  Array::Ptr operators = arr(seed, "operators", "seed");
  for (size_t i = 0; i < operators->size(); ++i) {
    const std::string w = "operators[" + std::to_string(i) + "]";
    Object::Ptr o = operators->getObject(unsigned(i));
    op::Operator x;
    x.userId = str(o, "user_id", w);
    if (ops.find(x.userId).ok()) continue;
    x.fullName = str(o, "full_name", w);
    auto opt = [&](const char* k) { return o->has(k) ? str(o, k, w) : std::string(); };
    x.nip = opt("nip");
    x.employmentStatus = opt("employment_status");
    x.position = opt("position");
    x.officeRegionCode = opt("office_region_code");
    x.officeName = opt("office_name");
    x.officeAddress = opt("office_address");
    auto role = op::parseRole(o->has("role") ? str(o, "role", w) : "operator");
    if (!role) throw std::runtime_error("demo seed: " + w + ".role: unknown role");
    x.role = *role;
    Array::Ptr ags = arr(o, "agreements", w);
    for (size_t j = 0; j < ags->size(); ++j) x.agreements.push_back(ags->getElement<std::string>(unsigned(j)));
    if (o->has("nda")) {
      Object::Ptr n = o->getObject("nda");
      x.nda = op::Nda{str(n, "number", w + ".nda"), date(n, "date", w + ".nda")};
    }
    if (Status st = ops.add(x); !st.ok())
      throw std::runtime_error("demo seed: " + w + ": " + st.error().message);
    ctx.out() << "Operator " << x.userId << " ditambahkan.\n";
  }

  Array::Ptr tokens = arr(seed, "tokens", "seed");
  web::ApiTokenStore store(ctx.database(), ctx.clock());
  for (size_t i = 0; i < tokens->size(); ++i) {
    const std::string w = "tokens[" + std::to_string(i) + "]";
    Object::Ptr o = tokens->getObject(unsigned(i));
    const std::string ag = str(o, "agreement", w), app = str(o, "application", w);
    bool exists = false;
    for (const auto& t : store.list(ag)) exists = exists || (t.application == app && !t.revoked);
    if (exists) continue;
    auto issued = store.create(ag, app, "demo-seed");
    if (!issued.ok()) throw std::runtime_error("demo seed: " + w + ": " + issued.error().message);
    ctx.out() << "Token API " << ag << " / " << app << ": id " << issued->token.id
              << ", rahasia " << issued->secret << " (simpan sekarang; tidak ditampilkan lagi)\n";
  }
  seedAccounts(ctx, arr(seed, "accounts", "seed"));
  spdlog::info("demo: seed {} applied", seedFile);
  ctx.out() << "Data demo siap.\n";
  return kExitOk;
}

}  // namespace

Command demoCommand() {
  return {"demo",
          "prepare the demo (synthetic operators, NDAs, SPTJMs, Adendum, tokens, web accounts)",
          "Usage: gerbang demo seed [--seed FILE]\n\n"
          "Applies the seed file (default demo.seed_file, config/demo-seed.json in the demo\n"
          "configuration) to the configured store; creates audit.key_file when missing.\n"
          "Web accounts get a generated password, printed once when the account is created.\n"
          "Running it again changes nothing (existing passwords are kept). Everything in the\n"
          "seed is synthetic.\n",
          run};
}

}  // namespace gerbang::app
