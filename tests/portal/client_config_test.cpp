#include "core/portal/client.hpp"

#include "tests/support/support.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace gerbang::portal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ClientConfig valid() {
  ClientConfig c;
  c.baseUrl = "http://127.0.0.1:8181";
  c.userId = "jabar-disnakertrans-01";
  c.password = "s3cret-pass";
  c.clientIp = "127.0.0.1";
  c.dialect.lembaga = "DISNAKERTRANS_JABAR";
  return c;
}

std::string errorOf(const ClientConfig& c) {
  try {
    c.validate();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(ClientConfig, ValidatesWithOneClearMessageNeverThePassword) {
  EXPECT_EQ(errorOf(valid()), "");
  struct Case {
    std::function<void(ClientConfig&)> change;
    std::string expect;
  } cases[] = {
      {[](ClientConfig& c) { c.baseUrl = "ftp://127.0.0.1"; }, "must start with http"},
      {[](ClientConfig& c) { c.baseUrl = "http://127.0.0.1:1/x"; }, "must not have a path"},
      {[](ClientConfig& c) { c.baseUrl = "https://127.0.0.1:1"; }, "ca_file is required"},
      {[](ClientConfig& c) {
         c.baseUrl = "https://127.0.0.1:1";
         c.caFile = "/nonexistent/ca.pem";
       }, "cannot be read"},
      {[](ClientConfig& c) { c.readTimeout = std::chrono::milliseconds(0); }, "read_timeout_ms"},
      {[](ClientConfig& c) { c.maxConnections = 0; }, "max_connections"},
      {[](ClientConfig& c) { c.password = ""; }, "password is empty"},
      {[](ClientConfig& c) { c.dialect.urlTemplate = "/x/{region}/CALL_NIK"; }, "unknown placeholder {region}"},
      {[](ClientConfig& c) { c.dialect.urlTemplate = "/dukcapil/get_json/{kode_wilayah}/{group}/call_nik"; },
       "dialect.kode_wilayah is empty"},
      {[](ClientConfig& c) { c.dialect.nikKey = ""; }, "key name is empty"},
  };
  for (const auto& c : cases) {
    ClientConfig cfg = valid();
    c.change(cfg);
    std::string err = errorOf(cfg);
    EXPECT_THAT(err, HasSubstr(c.expect));
    EXPECT_THAT(err, Not(HasSubstr("s3cret-pass")));
  }
}

TEST(ClientConfig, FromPropertiesReadsEverySetting) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> m = new Poco::Util::MapConfiguration;
  m->setString("portal.url", "http://127.0.0.1:9999");
  m->setString("portal.connect_timeout_ms", "1500");
  m->setString("portal.read_timeout_ms", "2500");
  m->setString("portal.max_connections", "3");
  m->setString("portal.user_id", "u");
  m->setString("portal.password", "p");
  m->setString("portal.client_ip", "127.0.0.5");
  m->setString("portal.dialect.url_template", "/dukcapil/get_json/{kode_wilayah}/{group}/call_nik");
  m->setString("portal.dialect.kode_wilayah", "3303");
  m->setString("portal.dialect.group", "dinnaker");
  m->setString("portal.dialect.nik_key", "nik");
  m->setString("portal.dialect.ip_key", "ip_address");
  m->setString("portal.dialect.nik_as_number", "true");
  ClientConfig c = ClientConfig::fromProperties(*m);
  EXPECT_EQ(c.connectTimeout.count(), 1500);
  EXPECT_EQ(c.readTimeout.count(), 2500);
  EXPECT_EQ(c.maxConnections, 3u);
  EXPECT_TRUE(c.dialect.nikAsNumber);
  Client client(c);
  EXPECT_EQ(client.requestPath(), "/dukcapil/get_json/3303/dinnaker/call_nik");
  EXPECT_EQ(client.requestBody("3303010101900001"),
            R"({"nik":3303010101900001,"user_id":"u","password":"p","ip_address":"127.0.0.5"})");
  // Not all digits: sent as a string even in the number dialect, and escaped.
  EXPECT_EQ(client.requestBody("12\"3"),
            R"({"nik":"12\"3","user_id":"u","password":"p","ip_address":"127.0.0.5"})");
  m->setString("portal.read_timeout_ms", "soon");
  EXPECT_THROW(ClientConfig::fromProperties(*m), std::invalid_argument);
}

TEST(ClientConfig, HttpsRefusesAFileThatIsNotACa) {
  testing::TempDir dir;
  std::ofstream(dir / "ca.pem") << "not a certificate\n";
  ClientConfig c = valid();
  c.baseUrl = "https://127.0.0.1:1";
  c.caFile = (dir / "ca.pem").string();
  try {
    Client client(c);
    FAIL() << "accepted a CA file that is not PEM";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("is not a usable PEM CA"));
  }
}

}  // namespace
}  // namespace gerbang::portal
