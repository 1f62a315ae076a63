// HTTPS with a test CA and server certificate made by the openssl CLI: TLS 1.2 and 1.3
// are served, TLS 1.1 is refused, cookies get Secure and responses get HSTS.
#include "tests/web/web_fixture.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <fstream>

namespace gerbang::web {
namespace {

namespace fs = std::filesystem;

void run(const std::string& cmd) {
  int rc = std::system((cmd + " >/dev/null 2>&1").c_str());
  ASSERT_EQ(rc, 0) << cmd;
}

// A CA and a server certificate for 127.0.0.1 (EC P-256), valid for a day.
struct TestPki {
  gerbang::testing::TempDir dir;
  fs::path ca = dir / "ca.pem", cert = dir / "server.pem", key = dir / "server.key";

  TestPki() {
    const std::string d = dir.path().string();
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj '/CN=Gerbang Test CA' -keyout " +
        d + "/ca.key -out " + d + "/ca.pem");
    run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-subj '/CN=127.0.0.1' -keyout " +
        d + "/server.key -out " + d + "/server.csr");
    std::ofstream(dir / "ext.cnf") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                      "extendedKeyUsage=serverAuth\n";
    run("openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
        "/ca.key -CAcreateserial -days 1 -extfile " + d + "/ext.cnf -out " + d + "/server.pem");
  }
};

// A raw TLS handshake with the protocol range [minV, maxV]; returns the negotiated version
// or 0 when the handshake fails. Verifies the server against the test CA and its IP.
int handshake(int port, const fs::path& ca, int minV, int maxV) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  // Security level 0 lets *this client* offer TLS 1.1, so a refusal is the server's doing.
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
  SSL_CTX_set_min_proto_version(ctx, minV);
  SSL_CTX_set_max_proto_version(ctx, maxV);
  SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  BIO* bio = BIO_new_ssl_connect(ctx);
  SSL* ssl = nullptr;
  BIO_get_ssl(bio, &ssl);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
  BIO_set_conn_hostname(bio, ("127.0.0.1:" + std::to_string(port)).c_str());
  int version = 0;
  if (BIO_do_connect(bio) == 1 && BIO_do_handshake(bio) == 1 &&
      SSL_get_verify_result(ssl) == X509_V_OK)
    version = SSL_version(ssl);
  ERR_clear_error();
  BIO_free_all(bio);
  SSL_CTX_free(ctx);
  return version;
}

class WebTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Poco::Net::initializeSSL(); }
  TestPki pki_;
};

TEST_F(WebTlsTest, ServesTls12And13AndRefusesTls11) {
  testing::WebEnv env(store::Backend::kSqlite, TlsConfig{pki_.cert.string(), pki_.key.string()});
  EXPECT_TRUE(env.server->secure());
  EXPECT_EQ(handshake(env.port(), pki_.ca, TLS1_2_VERSION, TLS1_2_VERSION), TLS1_2_VERSION);
  EXPECT_EQ(handshake(env.port(), pki_.ca, TLS1_3_VERSION, TLS1_3_VERSION), TLS1_3_VERSION);
  EXPECT_EQ(handshake(env.port(), pki_.ca, TLS1_1_VERSION, TLS1_1_VERSION), 0);
  EXPECT_EQ(handshake(env.port(), pki_.ca, TLS1_VERSION, TLS1_VERSION), 0);
}

TEST_F(WebTlsTest, HttpsCookiesAreSecureAndResponsesCarryHsts) {
  testing::WebEnv env(store::Backend::kSqlite, TlsConfig{pki_.cert.string(), pki_.key.string()});
  env.addAccount("operator1", Role::kOperator, {testing::kPurbalingga});
  Poco::Net::Context::Params p;
  p.caLocation = pki_.ca.string();
  p.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
  Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
  Poco::Net::HTTPSClientSession s("127.0.0.1", Poco::UInt16(env.port()), ctx);
  Poco::Net::HTTPRequest req("POST", "/api/v1/session", Poco::Net::HTTPMessage::HTTP_1_1);
  std::string body =
      "{\"username\":\"operator1\",\"password\":\"" + std::string(testing::kPassword) + "\"}";
  req.setContentType("application/json");
  req.setContentLength64(Poco::Int64(body.size()));
  s.sendRequest(req) << body;
  Poco::Net::HTTPResponse res;
  std::string out;
  Poco::StreamCopier::copyToString(s.receiveResponse(res), out);
  ASSERT_EQ(int(res.getStatus()), 200) << out;
  EXPECT_EQ(res.get("Strict-Transport-Security", ""), "max-age=31536000");
  std::vector<Poco::Net::HTTPCookie> cookies;
  res.getCookies(cookies);
  std::string setCookie;
  for (const auto& [n, v] : res)
    if (n == "Set-Cookie") setCookie = v;
  EXPECT_NE(setCookie.find("; Secure"), std::string::npos) << setCookie;
  EXPECT_NE(setCookie.find("; HttpOnly"), std::string::npos) << setCookie;
  EXPECT_NE(setCookie.find("; SameSite=Strict"), std::string::npos) << setCookie;
}

TEST_F(WebTlsTest, TlsOnALanAddressIsAllowedAndBadFilesAreClearErrors) {
  ServerConfig c;
  c.bindAddress = "0.0.0.0";  // the LAN: allowed with TLS
  c.port = 0;
  c.tls = TlsConfig{pki_.cert.string(), pki_.key.string()};
  EXPECT_NO_THROW(Server(c, [](Request&, Response&) {}));
  c.tls = TlsConfig{(pki_.dir / "missing.pem").string(), pki_.key.string()};
  try {
    Server s(c, [](Request&, Response&) {});
    ADD_FAILURE() << "started without a certificate";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.pem"), std::string::npos) << e.what();
  }
  // A key that does not belong to the certificate.
  c.tls = TlsConfig{pki_.cert.string(), (pki_.dir / "ca.key").string()};
  EXPECT_THROW(Server(c, [](Request&, Response&) {}), std::runtime_error);
}

}  // namespace
}  // namespace gerbang::web
