// AccountStore, SessionStore and ApiTokenStore on both store backends.
#include "core/web/accounts.hpp"
#include "core/web/api_tokens.hpp"
#include "core/web/sessions.hpp"
#include "tests/support/support.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace gerbang::web {
namespace {

using std::chrono::minutes;

class WebStoresTest : public ::testing::TestWithParam<store::Backend> {
 protected:
  gerbang::testing::TempDir dir_;
  gerbang::testing::TestDatabase tdb_{GetParam(), dir_.path()};
  store::Database db_{tdb_.config()};
  FixedClock clock_{Date(2026, 11, 23)};
  std::vector<SecurityEvent> events_;
  AccountStore accounts_{db_, clock_, [this](const SecurityEvent& e) { events_.push_back(e); }};

  void addOperator(const std::string& name) {
    NewAccount a;
    a.username = name;
    a.role = Role::kOperator;
    a.operatorId = "op-" + name;
    a.agreements = {"karanganyar-ak1", "purbalingga-dinnaker"};
    ASSERT_TRUE(accounts_.create(a, "sandi-uji-0123").ok());
  }
  int count(const std::string& kind) const {
    return int(std::count_if(events_.begin(), events_.end(),
                             [&](const SecurityEvent& e) { return e.kind == kind; }));
  }
};

TEST_P(WebStoresTest, CreateAndAuthenticate) {
  addOperator("operator1");
  auto a = accounts_.authenticate("operator1", "sandi-uji-0123");
  ASSERT_TRUE(a.ok()) << a.error().code;
  EXPECT_EQ(a->role, Role::kOperator);
  EXPECT_EQ(a->operatorId.value_or(""), "op-operator1");
  EXPECT_EQ(a->agreements, (std::vector<std::string>{"karanganyar-ak1", "purbalingga-dinnaker"}));
  EXPECT_EQ(count("account_created"), 1);
  EXPECT_EQ(count("login_ok"), 1);

  auto wrong = accounts_.authenticate("operator1", "salah-salah-99");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "login_failed");
  auto unknown = accounts_.authenticate("tidak.ada", "sandi-uji-0123");
  ASSERT_FALSE(unknown.ok());
  // Unknown account and wrong password look the same to the caller.
  EXPECT_EQ(unknown.error().code, wrong.error().code);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
}

TEST_P(WebStoresTest, RefusesBadInput) {
  NewAccount a;
  a.username = "Bad Name";
  EXPECT_EQ(accounts_.create(a, "sandi-uji-0123").error().code, "invalid_username");
  a.username = "operator2";
  EXPECT_EQ(accounts_.create(a, "pendek").error().code, "weak_password");
  a.agreements = {"bad agreement"};
  EXPECT_EQ(accounts_.create(a, "sandi-uji-0123").error().code, "invalid_agreement");
  a.agreements = {"karanganyar-ak1"};
  ASSERT_TRUE(accounts_.create(a, "sandi-uji-0123").ok());
  EXPECT_EQ(accounts_.create(a, "sandi-uji-0123").error().code, "username_taken");
}

TEST_P(WebStoresTest, LocksAfterFiveFailuresForFifteenMinutes) {
  addOperator("operator1");
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(accounts_.authenticate("operator1", "salah-salah-99").error().code, "login_failed");
  EXPECT_EQ(count("account_locked"), 0);
  EXPECT_EQ(accounts_.authenticate("operator1", "salah-salah-99").error().code, "login_failed");
  EXPECT_EQ(count("account_locked"), 1);
  // Locked: even the right password is refused, and no password is checked.
  auto locked = accounts_.authenticate("operator1", "sandi-uji-0123");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, "account_locked");
  clock_.advance(minutes{14});
  EXPECT_EQ(accounts_.authenticate("operator1", "sandi-uji-0123").error().code, "account_locked");
  clock_.advance(minutes{1} + std::chrono::seconds{1});
  EXPECT_TRUE(accounts_.authenticate("operator1", "sandi-uji-0123").ok());
  EXPECT_EQ(count("login_locked_out"), 2);
}

TEST_P(WebStoresTest, SuccessResetsTheFailureCountAndSetPasswordUnlocks) {
  addOperator("operator1");
  for (int i = 0; i < 4; ++i) (void)accounts_.authenticate("operator1", "salah-salah-99");
  ASSERT_TRUE(accounts_.authenticate("operator1", "sandi-uji-0123").ok());
  for (int i = 0; i < 4; ++i) (void)accounts_.authenticate("operator1", "salah-salah-99");
  EXPECT_TRUE(accounts_.authenticate("operator1", "sandi-uji-0123").ok());  // not locked
  for (int i = 0; i < 5; ++i) (void)accounts_.authenticate("operator1", "salah-salah-99");
  EXPECT_EQ(accounts_.authenticate("operator1", "sandi-uji-0123").error().code, "account_locked");
  ASSERT_TRUE(accounts_.setPassword("operator1", "sandi-baru-4567").ok());
  EXPECT_TRUE(accounts_.authenticate("operator1", "sandi-baru-4567").ok());
  EXPECT_FALSE(accounts_.authenticate("operator1", "sandi-uji-0123").ok());
  EXPECT_EQ(accounts_.setPassword("tidak.ada", "sandi-baru-4567").error().code,
            "account_not_found");
}

TEST_P(WebStoresTest, SessionsExpireWhenIdleAndAtTheAbsoluteLimit) {
  addOperator("operator1");
  SessionStore sessions(db_, clock_, SessionPolicy{minutes{30}, std::chrono::hours{2}});
  auto s = sessions.create("operator1");
  EXPECT_EQ(s.csrfToken, SessionStore::csrfTokenFor(s.id));
  EXPECT_EQ(sessions.resume(s.id).value_or(""), "operator1");
  EXPECT_FALSE(sessions.resume(s.id + "x"));
  EXPECT_FALSE(sessions.resume(""));
  // Kept alive by use every 25 minutes, it still ends at the absolute limit (2 h).
  for (int i = 0; i < 4; ++i) {
    clock_.advance(minutes{25});
    EXPECT_TRUE(sessions.resume(s.id)) << i;
  }
  clock_.advance(minutes{25});  // 125 min after creation
  EXPECT_FALSE(sessions.resume(s.id));
  auto idle = sessions.create("operator1");
  clock_.advance(minutes{31});
  EXPECT_FALSE(sessions.resume(idle.id));
  auto gone = sessions.create("operator1");
  sessions.destroy(gone.id);
  EXPECT_FALSE(sessions.resume(gone.id));
  auto a = sessions.create("operator1"), b = sessions.create("operator1");
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(sessions.liveCount(), 2);
  sessions.destroyAllFor("operator1");
  EXPECT_FALSE(sessions.resume(a.id));
  EXPECT_FALSE(sessions.resume(b.id));
}

TEST_P(WebStoresTest, AbandonedSessionsAreSweptAtTheNextSignIn) {
  addOperator("operator1");
  SessionStore sessions(db_, clock_, SessionPolicy{minutes{30}, std::chrono::hours{2}});
  for (int i = 0; i < 3; ++i) (void)sessions.create("operator1");  // never resumed
  auto rows = [&] {
    int n = 0;
    auto s = db_.session();
    s << "SELECT COUNT(*) FROM web_sessions", Poco::Data::Keywords::into(n),
        Poco::Data::Keywords::now;
    return n;
  };
  EXPECT_EQ(rows(), 3);
  clock_.advance(minutes{31});
  (void)sessions.create("operator1");
  EXPECT_EQ(rows(), 1);
}

TEST_P(WebStoresTest, TokensVerifyRevokeAndStayInTheirAgreement) {
  ApiTokenStore tokens(db_, clock_, [this](const SecurityEvent& e) { events_.push_back(e); });
  auto issued = tokens.create("karanganyar-ak1", "Aplikasi loket AK-I", "admin1");
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->secret.rfind("gbk_", 0), 0u);
  auto v = tokens.verify(issued->secret);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->agreementId, "karanganyar-ak1");
  EXPECT_EQ(v->application, "Aplikasi loket AK-I");
  std::string altered = issued->secret;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';  // always a different secret
  EXPECT_FALSE(tokens.verify(altered));
  EXPECT_FALSE(tokens.verify("gbk_short"));
  EXPECT_EQ(tokens.list("karanganyar-ak1").size(), 1u);
  EXPECT_TRUE(tokens.list("purbalingga-dinnaker").empty());
  // Another agreement cannot revoke it.
  EXPECT_EQ(tokens.revoke("purbalingga-dinnaker", issued->token.id, "admin2").error().code,
            "token_not_found");
  EXPECT_TRUE(tokens.verify(issued->secret));
  ASSERT_TRUE(tokens.revoke("karanganyar-ak1", issued->token.id, "admin1").ok());
  EXPECT_FALSE(tokens.verify(issued->secret));
  EXPECT_TRUE(tokens.list("karanganyar-ak1").front().revoked);
  EXPECT_EQ(tokens.create("karanganyar-ak1", "", "admin1").error().code, "invalid_application");
  EXPECT_EQ(tokens.create("Bad Id", "x", "admin1").error().code, "invalid_agreement");
  EXPECT_EQ(count("token_created"), 1);
  EXPECT_EQ(count("token_revoked"), 1);
}

TEST_P(WebStoresTest, NoPasswordSessionIdOrTokenIsStoredInClear) {
  addOperator("operator1");
  SessionStore sessions(db_, clock_);
  ApiTokenStore tokens(db_, clock_);
  auto s = sessions.create("operator1");
  auto t = tokens.create("karanganyar-ak1", "app", "admin1");
  ASSERT_TRUE(t.ok());
  std::vector<std::string> secrets{"sandi-uji-0123", s.id, s.csrfToken, t->secret};
  if (GetParam() == store::Backend::kSqlite) {
    auto hits = gerbang::testing::scanFiles(dir_.path(), secrets);
    for (const auto& h : hits) ADD_FAILURE() << h.file << " holds a secret in clear";
  }
  // Through SQL on either backend: no column holds any of them.
  auto session = db_.session();
  for (const char* table : {"web_accounts", "web_sessions", "web_api_tokens"}) {
    Poco::Data::Statement st(session);
    st << "SELECT * FROM " << table;
    st.execute();
    Poco::Data::RecordSet rs(st);
    for (bool more = rs.moveFirst(); more; more = rs.moveNext())
      for (size_t c = 0; c < rs.columnCount(); ++c) {
        std::string v = rs[c].isEmpty() ? "" : rs[c].convert<std::string>();
        for (const auto& secret : secrets)
          EXPECT_EQ(v.find(secret), std::string::npos) << table << " column " << c;
      }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, WebStoresTest,
                         ::testing::ValuesIn(gerbang::testing::storeBackends()),
                         [](const auto& info) {
                           return gerbang::testing::backendName(info.param);
                         });

}  // namespace
}  // namespace gerbang::web
