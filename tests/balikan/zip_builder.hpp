// Builds zip files in memory for XLSX tests (hand-written workbook parts, broken archives).
#pragma once

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace gerbang::balikan::test {

using Parts = std::vector<std::pair<std::string, std::string>>;

inline std::string zipOf(const Parts& parts) {
  std::ostringstream out;
  Poco::Zip::Compress zip(out, true);
  for (const auto& [name, body] : parts) {
    std::istringstream in(body);
    zip.addFile(in, Poco::DateTime(2025, 8, 17), Poco::Path(name, Poco::Path::PATH_UNIX));
  }
  zip.close();
  return out.str();
}

inline constexpr char kHead[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";
inline constexpr char kMain[] =
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
inline constexpr char kRel[] =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// The parts of a workbook shaped like Excel's own output: three sheets ("Petunjuk", "Data",
// "Arsip") whose relationship ids are not in sheet order, shared strings with rich-text and
// phonetic runs, styles with a built-in and a custom date format. Replace or add parts to
// make variants.
inline Parts excelLikeWorkbook(const std::string& dataSheet) {
  std::string rel(kRel);
  return {
      {"[Content_Types].xml",
       std::string(kHead) +
           "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
           "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
           "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
           "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd."
           "openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>"},
      {"_rels/.rels",
       std::string(kHead) +
           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/package/2006/"
           "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
           "<Relationship Id=\"rId1\" Type=\"" +
           rel +
           "/officeDocument\" "
           "Target=\"xl/workbook.xml\"/></Relationships>"},
      {"docProps/core.xml", std::string(kHead) + "<cp:coreProperties xmlns:cp=\"x\"/>"},
      {"xl/workbook.xml", std::string(kHead) + "<workbook " + kMain +
                              "><fileVersion appName=\"xl\" lastEdited=\"7\"/><workbookPr "
                              "defaultThemeVersion=\"166925\"/>"
                              "<bookViews><workbookView activeTab=\"1\"/></bookViews><sheets>"
                              "<sheet name=\"Petunjuk\" sheetId=\"3\" r:id=\"rId3\"/>"
                              "<sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/>"
                              "<sheet name=\"Arsip\" sheetId=\"2\" r:id=\"rId2\"/></sheets>"
                              "<calcPr calcId=\"191029\"/></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       std::string(kHead) +
           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId3\" Type=\"" +
           rel +
           "/worksheet\" Target=\"worksheets/sheet3.xml\"/>"
           "<Relationship Id=\"rId2\" Type=\"" +
           rel +
           "/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
           "<Relationship Id=\"rId1\" Type=\"" +
           rel +
           "/worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/>"
           "<Relationship Id=\"rId6\" Type=\"" +
           rel +
           "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
           "<Relationship Id=\"rId5\" Type=\"" +
           rel +
           "/styles\" Target=\"styles.xml\"/>"
           "</Relationships>"},
      {"xl/styles.xml",
       std::string(kHead) + "<styleSheet " + kMain +
           "><numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"dd\\-mm\\-yyyy\"/>"
           "<numFmt numFmtId=\"165\" formatCode=\"[Red]0.00;&quot;day&quot;\"/></numFmts>"
           "<fonts count=\"1\"><font><sz val=\"11\"/></font></fonts>"
           "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
           "<cellXfs count=\"5\"><xf numFmtId=\"0\" xfId=\"0\"/><xf numFmtId=\"14\" xfId=\"0\" "
           "applyNumberFormat=\"1\"/><xf numFmtId=\"164\" xfId=\"0\" applyNumberFormat=\"1\"/>"
           "<xf numFmtId=\"49\" xfId=\"0\"/><xf numFmtId=\"165\" xfId=\"0\"/></cellXfs>"
           "</styleSheet>"},
      {"xl/sharedStrings.xml",
       std::string(kHead) + "<sst " + kMain +
           " count=\"12\" uniqueCount=\"10\">"
           "<si><t>NIK</t></si>"                                         // 0
           "<si><t>Nama Usaha</t></si>"                                  // 1
           "<si><t>Jumlah Pekerja</t></si>"                              // 2
           "<si><t>Tanggal Penempatan</t></si>"                          // 3
           "<si><r><rPr><b/></rPr><t>Sta</t></r><r><t>tus</t></r></si>"  // 4 rich text
           "<si><t>Nomor Sertifikat</t></si>"                            // 5
           "<si><t>3313015708950007</t></si>"                            // 6 synthetic NIK
           "<si><t xml:space=\"preserve\">Toko </t><rPh sb=\"0\" eb=\"1\"><t>x</t></rPh></si>"  // 7
           "<si><t>diterima</t></si>"                                                           // 8
           "<si><t>SRT-0001</t></si>"                                                           // 9
           "</sst>"},
      {"xl/worksheets/sheet3.xml",
       std::string(kHead) + "<worksheet " + kMain +
           "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Isi lembar Data"
           "</t></is></c></row></sheetData></worksheet>"},
      {"xl/worksheets/sheet2.xml",
       std::string(kHead) + "<worksheet " + kMain + "><sheetData/></worksheet>"},
      {"xl/worksheets/sheet1.xml", std::string(kHead) + "<worksheet " + kMain +
                                       "><dimension ref=\"A1:F5\"/><sheetData>" + dataSheet +
                                       "</sheetData></worksheet>"},
  };
}

}  // namespace gerbang::balikan::test
