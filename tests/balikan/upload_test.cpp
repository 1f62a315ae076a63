#include "core/balikan/upload.hpp"

#include "core/balikan/export.hpp"
#include "core/balikan/import.hpp"
#include "tests/balikan/test_schemas.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace gerbang::balikan {
namespace {

TEST(Upload, FormatComesFromTheBytesNotTheName) {
  EXPECT_EQ(detectUploadFormat(std::string_view("PK\x03\x04\x14\x00", 6)), UploadFormat::kXlsx);
  EXPECT_EQ(detectUploadFormat("\xEF\xBB\xBFnik;nomor_register"), UploadFormat::kCsv);
  EXPECT_EQ(detectUploadFormat(""), UploadFormat::kCsv);
  EXPECT_EQ(detectUploadFormat("PK"), UploadFormat::kCsv);
}

TEST(Upload, OnlyTheAgreementsMethodsAreAllowed) {
  auto p = test::karanganyarPolicy();  // web_service, xlsx_upload, media
  EXPECT_TRUE(checkUploadAllowed(p, UploadFormat::kXlsx).ok());
  Status csv = checkUploadAllowed(p, UploadFormat::kCsv);
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.error().code, "balikan_method_not_allowed");
  EXPECT_EQ(csv.error().message,
            "Perjanjian ini tidak mengizinkan data balikan lewat unggah CSV; cara yang "
            "diizinkan: layanan web, unggah Excel, media penyimpanan");
}

TEST(Upload, OpensTheRightReader) {
  auto schema = Schema::compile(test::karanganyarPolicy()).value();
  XlsxExportWriter w(schema);
  w.add({2, {"3313015708950007", "", "AK1-3313-250101-000101", "", ""}});
  std::ostringstream out;
  w.finish(out, FixedClock(Date(2025, 8, 17)).now());
  for (const std::string& bytes :
       {out.str(),
        std::string("nik;nomor_register\r\n3313015708950007;AK1-3313-250101-000101\r\n")}) {
    std::istringstream in(bytes);
    auto reader = openUpload(in, detectUploadFormat(bytes));
    CollectingSink sink;
    auto r = importRows(*reader, schema, sink);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->valid, 1u);
  }
}

}  // namespace
}  // namespace gerbang::balikan
