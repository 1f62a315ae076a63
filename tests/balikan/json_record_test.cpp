#include "core/balikan/json_record.hpp"

#include "core/balikan/schema.hpp"
#include "tests/balikan/test_schemas.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace gerbang::balikan {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(RecordJson, ParsesStringsAndNullIntoPairsForTheSchema) {
  auto r = parseRecordJson(
      R"({"nik": "3313015708950007", "nomor_register": "AK1-3313-250101-000101",
          "class_usaha": null, "jenis_usaha": "Toko \"Maju\" \u00e9"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::map<std::string, std::string> m(r->begin(), r->end());
  EXPECT_EQ(m["nik"], "3313015708950007");
  EXPECT_EQ(m["class_usaha"], "");
  EXPECT_EQ(m["jenis_usaha"], "Toko \"Maju\" \xC3\xA9");

  auto schema = Schema::compile(test::karanganyarPolicy()).value();
  Record rec;
  std::vector<RowError> errors;
  EXPECT_TRUE(schema.validateFields(*r, {}, rec, errors));
}

TEST(RecordJson, RefusesNumbersArraysAndGarbageWithoutEchoingValues) {
  auto n = parseRecordJson(R"({"nik": 3313015708950007})");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, "balikan_json_invalid");
  EXPECT_EQ(n.error().message, "kolom \"nik\": nilai harus berupa teks JSON (dalam tanda kutip)");
  EXPECT_FALSE(parseRecordJson(R"({"nik": ["3313015708950007"]})").ok());
  EXPECT_FALSE(parseRecordJson(R"(["3313015708950007"])").ok());
  auto bad = parseRecordJson(R"({"nik": "3313015708950007",)");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "Data balikan bukan JSON yang sah");
  EXPECT_THAT(bad.error().message, Not(HasSubstr("3313")));
  EXPECT_FALSE(parseRecordJson(std::string(70000, ' ')).ok());
  std::string many = "{";
  for (int i = 0; i < 65; ++i) many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":\"v\"";
  EXPECT_THAT(parseRecordJson(many + "}").error().message, HasSubstr("lebih dari 64 kolom"));
}

}  // namespace
}  // namespace gerbang::balikan
