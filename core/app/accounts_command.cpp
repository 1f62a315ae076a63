// gerbang accounts list | add | passwd
// Web accounts (core/web): who may sign in to the operator screens, with which role, for
// which agreements. Passwords are read from stdin, never from the command line (where
// other users could see them in the process list).
#include "core/app/app_context.hpp"
#include "core/app/args.hpp"
#include "core/app/command.hpp"
#include "core/app/table.hpp"
#include "core/web/accounts.hpp"

#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace gerbang::app {
namespace {

std::string joinedIds(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

// One line from stdin; without echo when stdin is a terminal.
std::string readSecretLine(AppContext& ctx, const std::string& prompt) {
  const bool tty = isatty(STDIN_FILENO) == 1;
  termios old{};
  if (tty) {
    ctx.err() << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    ctx.err() << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string newPassword(AppContext& ctx) {
  std::string p = readSecretLine(ctx, "Kata sandi baru: ");
  if (isatty(STDIN_FILENO) == 1 && readSecretLine(ctx, "Ulangi kata sandi: ") != p)
    throw std::runtime_error("kedua kata sandi tidak sama");
  return p;
}

web::SecurityAuditSink logSink() {
  return [](const web::SecurityEvent& e) {
    spdlog::info("web security (cli): {} subject='{}' {}", e.kind, e.subject, e.detail);
  };
}

int run(AppContext& ctx, const std::vector<std::string>& args) {
  Args a(args, {{"username"}, {"role"}, {"agreement"}, {"operator"}}, 1);
  if (a.positionals().empty()) throw UsageError("missing subcommand (list, add or passwd)");
  const std::string sub = a.positionals().front();
  web::AccountStore accounts(ctx.database(), ctx.clock(), logSink());
  if (sub == "list") {
    Table t({"USERNAME", "PERAN", "OPERATOR", "PERJANJIAN", "AKTIF"});
    for (const auto& acc : accounts.list())
      t.add({acc.username, web::roleName(acc.role), acc.operatorId.value_or("-"),
             joinedIds(acc.agreements), acc.disabled ? "tidak" : "ya"});
    t.print(ctx.out());
    return kExitOk;
  }
  if (sub == "add") {
    web::NewAccount na;
    na.username = a.required("username");
    auto role = web::parseRole(a.required("role"));
    if (!role) throw UsageError("--role must be operator, supervisor, admin or evaluator");
    na.role = *role;
    na.agreements = a.list("agreement").value_or(std::vector<std::string>{});
    if (na.agreements.empty()) throw UsageError("--agreement is required (comma-separated ids)");
    na.operatorId = a.value("operator");
    Status st = accounts.create(na, newPassword(ctx));
    if (!st.ok()) {
      ctx.err() << "gerbang accounts: " << st.error().message << "\n";
      return kExitFailed;
    }
    ctx.out() << "Akun " << na.username << " (" << web::roleName(na.role) << ") dibuat untuk "
              << joinedIds(na.agreements) << ".\n";
    return kExitOk;
  }
  if (sub == "passwd") {
    const std::string user = a.required("username");
    Status st = accounts.setPassword(user, newPassword(ctx));
    if (!st.ok()) {
      ctx.err() << "gerbang accounts: " << st.error().message << "\n";
      return kExitFailed;
    }
    ctx.out() << "Kata sandi " << user << " diganti; kunci akun (jika ada) dibuka.\n";
    return kExitOk;
  }
  throw UsageError("unknown subcommand '" + sub + "' (list, add or passwd)");
}

}  // namespace

Command accountsCommand() {
  return {"accounts", "manage web accounts (operators, supervisors, admins, evaluators)",
          "Usage: gerbang accounts list\n"
          "       gerbang accounts add --username NAME --role ROLE --agreement ID[,ID...]\n"
          "                            [--operator OPERATOR_ID]\n"
          "       gerbang accounts passwd --username NAME\n\n"
          "The password is read from stdin (asked twice, without echo, on a terminal); it is\n"
          "at least 10 characters. passwd also lifts a lockout.\n\n"
          "Options:\n"
          "  --username NAME     3-64 of a-z 0-9 . _ -\n"
          "  --role ROLE         operator, supervisor, admin or evaluator\n"
          "  --agreement IDS     the agreements (agency ids) the account belongs to\n"
          "  --operator ID       the operator record the account acts as\n",
          run};
}

}  // namespace gerbang::app
