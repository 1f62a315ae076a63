#include "core/portal/json_reader.hpp"
#include "core/portal/response_parser.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gerbang::portal {
namespace {

using ::testing::HasSubstr;

std::string wrap(const std::string& record, const std::string& extra = "") {
  return "{\"content\":[" + record +
         "],\"lastPage\":true,\"numberOfElements\":1,\"sort\":null,\"totalElements\":1,"
         "\"firstPage\":true,\"number\":0,\"size\":1" + extra + "}";
}

TEST(ParseCallNikResponse, FoundKeepsFieldsAndNormalisesNumbers) {
  auto r = parseCallNikResponse(wrap(
      R"({"NO_KK":3303010101050001,"NIK":3.303010101900001E15,"NAMA_LGKP":"BUDI \u0053ANTOSO",)"
      R"("NO_RT":3,"NO_AKTA_LHR":null,"EXTRA":true})",
      ",\"quotaLimiter\":74"));
  auto* f = std::get_if<Found>(&r);
  ASSERT_NE(f, nullptr) << outcomeName(r);
  EXPECT_EQ(f->fields.at("NO_KK"), "3303010101050001");
  EXPECT_EQ(f->fields.at("NIK"), "3303010101900001");
  EXPECT_EQ(f->fields.at("NAMA_LGKP"), "BUDI SANTOSO");
  EXPECT_EQ(f->fields.at("NO_RT"), "3");
  EXPECT_EQ(f->fields.at("NO_AKTA_LHR"), "");
  EXPECT_EQ(f->fields.at("EXTRA"), "true");
  EXPECT_EQ(f->quotaRemaining, 74);
}

TEST(ParseCallNikResponse, AnEmptyResponBesideDataIsStillData) {
  for (const std::string rec : {R"({"NIK":"3303010101900001","RESPON":""})",
                                R"({"NIK":"3303010101900001","RESPONSE":null})"}) {
    auto r = parseCallNikResponse(wrap(rec));
    ASSERT_TRUE(std::holds_alternative<Found>(r)) << rec;
  }
  // Without data, an empty RESPON is not an answer.
  auto r = parseCallNikResponse(wrap(R"({"RESPON":""})"));
  ASSERT_TRUE(std::holds_alternative<TransportFailure>(r));
  EXPECT_EQ(std::get<TransportFailure>(r).kind, TransportKind::kBadBody);
}

TEST(ParseCallNikResponse, EveryConfirmationByTextAndByCode) {
  struct Case {
    std::string text;
    ConfirmationKind kind;
    std::string code;
  } cases[] = {
      {"Data Ditemukan, Meninggal Dunia", ConfirmationKind::kDeceased, "11"},
      {"Data Ditemukan, Data Ganda", ConfirmationKind::kDuplicate, "12"},
      {"Data Tidak Ditemukan, NIK tidak terdapat di database Kependudukan",
       ConfirmationKind::kNotFound, "13"},
      {"Data Ditemukan, Status Non Aktif silahkan hubungi Dinas Dukcapil",
       ConfirmationKind::kInactive, "14"},
      {"Data Tidak Ditemukan, NIK tidak sesuai format Dukcapil", ConfirmationKind::kInvalidFormat,
       "15"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    // Text alone, in the juknis's lower-case variant with doubled spaces, under RESPONSE.
    std::string varied;
    for (char ch : c.text) varied += ch == ' ' ? std::string("  ") : std::string(1, char(std::tolower(ch)));
    for (const std::string& body :
         {wrap("{\"RESPON\":\"" + c.text + "\"}"), wrap("{\"RESPONSE\":\"" + varied + ".\"}"),
          wrap("{\"respon\":\"" + c.text + "\",\"RESPONSE_CODE\":\"" + c.code + "\"}")}) {
      auto r = parseCallNikResponse(body);
      auto* conf = std::get_if<Confirmation>(&r);
      ASSERT_NE(conf, nullptr) << outcomeName(r);
      EXPECT_EQ(conf->kind, c.kind);
    }
    // The code decides even when the text is unfamiliar; a numeric code is normalised.
    auto r = parseCallNikResponse(
        wrap("{\"RESPON\":\"teks lain\",\"RESPONSE_CODE\":" + std::to_string(std::stoi(c.code)) + "}"));
    auto* conf = std::get_if<Confirmation>(&r);
    ASSERT_NE(conf, nullptr);
    EXPECT_EQ(conf->kind, c.kind);
    EXPECT_EQ(conf->code, c.code);
  }
}

TEST(ParseCallNikResponse, EveryParameterRefusal) {
  struct Case {
    std::string text;
    RefusalKind kind;
  } cases[] = {
      {"Login Gagal", RefusalKind::kLoginFailed},
      {"GAGAL LOGIN", RefusalKind::kLoginFailed},
      {"Kuota Akses Hari ini telah Habis", RefusalKind::kQuotaExhausted},
      {"Kuota akses hari ini telah habis", RefusalKind::kQuotaExhausted},
      {"Instansi tidak aktif", RefusalKind::kAgencyInactive},
      {"User ID non aktif, silahkan menghubungi Admin", RefusalKind::kUserInactive},
      {"USER  ID  NON  AKTIF,  SILAHKAN  MENGHUBUNGI  ADMIN", RefusalKind::kUserInactive},
      {"IP Address Tidak Sesuai", RefusalKind::kIpMismatch},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = parseCallNikResponse(wrap("{\"RESPON\":\"" + c.text + "\"}"));
    auto* p = std::get_if<ParameterRefusal>(&r);
    ASSERT_NE(p, nullptr) << outcomeName(r);
    EXPECT_EQ(p->kind, c.kind);
    EXPECT_EQ(p->text, c.text);
  }
  auto r = parseCallNikResponse(wrap("{\"RESPONSE\":\"?\",\"RESPONSE_CODE\":\"05\"}"));
  ASSERT_TRUE(std::holds_alternative<ParameterRefusal>(r));
  EXPECT_EQ(std::get<ParameterRefusal>(r).kind, RefusalKind::kQuotaExhausted);
}

TEST(ParseCallNikResponse, GarbageIsABadBodySayingWhatAndWhere) {
  struct Case {
    std::string body, expect;
  } cases[] = {
      {"", "expected a JSON value, found end of input at byte 0"},
      {"<html>Bad Gateway</html>", "found character '<' at byte 0"},
      {"{\"content\":[{\"NIK\":\"1\"}", "expected ',' or ']', found end of input at byte 23"},
      {"{\"content\":[{\"NIK\":\"1\"}]} x", "after the JSON value at byte 26"},
      {"[1,2]", "body is an array, expected an object"},
      {"{\"status\":\"ok\"}", "body has no 'content'"},
      {"{\"content\":{}}", "'content' is an object, expected an array"},
      {"{\"content\":[]}", "'content' is an empty array"},
      {"{\"content\":[7]}", "content[0] is a number, expected an object"},
      {"{\"content\":[{\"NAMA_LGKP\":\"X\"}]}", "content[0] has neither NIK nor RESPON"},
      {"{\"content\":[{\"NIK\":\"1\",\"ALAMAT\":{\"a\":1}}]}", "content[0].ALAMAT is an object"},
      {"{\"content\":[{\"RESPON\":5}]}", "content[0].RESPON is a number"},
      {"{\"content\":[{\"RESPON\":\"Selamat pagi\"}]}", "not a known registry text (12 characters)"},
      {"{\"a\":\"\\x\"}", "invalid escape at byte 7"},
      {"{\"a\":01}", "expected ',' or '}', found character '1' at byte 6"},
      {std::string(40, '[') + std::string(40, ']'), "nesting deeper than 32"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    auto r = parseCallNikResponse(c.body);
    auto* t = std::get_if<TransportFailure>(&r);
    ASSERT_NE(t, nullptr) << outcomeName(r);
    EXPECT_EQ(t->kind, TransportKind::kBadBody);
    EXPECT_TRUE(t->mayHaveReached);
    EXPECT_THAT(t->detail, HasSubstr(c.expect));
  }
}

TEST(ParseCallNikResponse, BadBodyNeverQuotesPersonalData) {
  auto r = parseCallNikResponse("{\"content\":[{\"NIK\":\"3303010101900001\",\"NAMA_LGKP\":\"SITI\" x");
  auto& t = std::get<TransportFailure>(r);
  EXPECT_EQ(t.detail.find("3303010101900001"), std::string::npos);
  EXPECT_EQ(t.detail.find("SITI"), std::string::npos);
}

TEST(JsonReader, NumbersAndStrings) {
  EXPECT_EQ(json::normaliseNumber("3303010101900001"), "3303010101900001");
  EXPECT_EQ(json::normaliseNumber("3.303010101900001e15"), "3303010101900001");
  EXPECT_EQ(json::normaliseNumber("33030101019000010e-1"), "3303010101900001");
  EXPECT_EQ(json::normaliseNumber("-0"), "0");
  EXPECT_EQ(json::normaliseNumber("1.5"), "1.5");
  EXPECT_EQ(json::normaliseNumber("12345678901234567890123"), "12345678901234567890123");
  json::Value v;
  std::string err;
  ASSERT_TRUE(json::parse(R"({"s":"\ud83d\ude00\u00e9\n"})", v, err)) << err;
  EXPECT_EQ(v.members[0].value.text, "\xF0\x9F\x98\x80\xC3\xA9\n");
  EXPECT_FALSE(json::parse(R"({"s":"\ud83d"})", v, err));
  EXPECT_THAT(err, HasSubstr("unpaired surrogate"));
  EXPECT_FALSE(json::parse("{\"s\":\"a\x01\"}", v, err));
  EXPECT_THAT(err, HasSubstr("control character in string at byte 7"));
}

TEST(ClassifyRespon, StatusNonAktifIsNotUserNonAktif) {
  auto a = classifyRespon("Data Ditemukan, Status Non Aktif silahkan hubungi Dinas Dukcapil", "");
  ASSERT_TRUE(a && std::holds_alternative<Confirmation>(*a));
  auto b = classifyRespon("User ID non aktif, silahkan menghubungi Admin", "");
  ASSERT_TRUE(b && std::holds_alternative<ParameterRefusal>(*b));
  auto c = classifyRespon("Data Tidak Ditemukan, NIK tidak sesuai format Dukcapil", "");
  ASSERT_TRUE(c && std::holds_alternative<Confirmation>(*c));
  EXPECT_EQ(std::get<Confirmation>(*c).kind, ConfirmationKind::kInvalidFormat);
  EXPECT_FALSE(classifyRespon("", "").has_value());
}

}  // namespace
}  // namespace gerbang::portal
