#include "core/balikan/export.hpp"

#include "core/balikan/import.hpp"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Timestamp.h>
#include <Poco/Zip/Compress.h>

#include <cctype>
#include <sstream>
#include <stdexcept>

namespace gerbang::balikan {
namespace {

bool plainNumber(std::string_view v) {
  std::size_t i = v.starts_with('-') ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < v.size(); ++i) {
    if (v[i] >= '0' && v[i] <= '9') {
      digits = true;
    } else if (v[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

std::string columnName(std::size_t index) {
  std::string s;
  for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26)
    s.insert(s.begin(), char('A' + (n - 1) % 26));
  return s;
}

// An istream over a string without copying it (Poco's Compress::addFile wants a stream; a
// std::istringstream would duplicate a sheet of hundreds of MB).
class StringViewBuf : public std::streambuf {
 public:
  explicit StringViewBuf(const std::string& s) {
    char* p = const_cast<char*>(s.data());  // read-only use: only the get area is set
    setg(p, p, p + s.size());
  }
};

constexpr char kXmlHead[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr char kMainNs[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr char kRelNs[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

}  // namespace

bool isOoxmlEscape(std::string_view s) {
  if (s.size() < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_') return false;
  for (std::size_t i = 2; i < 6; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

void decodeOoxmlEscapes(std::string& s) {
  if (s.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!isOoxmlEscape(std::string_view(s).substr(i))) {
      out += s[i];
      continue;
    }
    unsigned cp = unsigned(std::stoul(s.substr(i + 2, 4), nullptr, 16));
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      out += "\xEF\xBF\xBD";  // a lone surrogate is not a character
    } else {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
    i += 6;
  }
  s.swap(out);
}

std::string neutraliseFormula(std::string_view value) {
  if (value.empty() || plainNumber(value)) return std::string(value);
  char c = value.front();
  if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
    std::string out;  // built by append: GCC 12 -O3 misreports "'" + std::string (-Wrestrict)
    out.reserve(value.size() + 1);
    out += '\'';
    out.append(value);
    return out;
  }
  return std::string(value);
}

void appendXmlEscaped(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    auto c = static_cast<unsigned char>(ch);
    // Text that looks like an OOXML escape ("_x000D_") would be decoded by readers: escape
    // its underscore as Excel does.
    if (ch == '_' && isOoxmlEscape(s.substr(i))) {
      out += "_x005F_";
      continue;
    }
    switch (ch) {
      case '\r':
        out += "&#13;";
        break;  // a literal CR would become LF when parsed
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        if (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out += ch;
        }
    }
  }
}

CsvExportWriter::CsvExportWriter(std::ostream& out, const Schema& schema, char separator)
    : out_(out), schema_(schema), sep_(separator) {
  line_ = "\xEF\xBB\xBF";
  bool first = true;
  for (const auto& f : schema_.fields()) {
    if (!first) line_ += sep_;
    first = false;
    appendCsvField(line_, f.name, sep_);
  }
  line_ += "\r\n";
  out_ << line_;
}

void CsvExportWriter::add(const Record& record) {
  line_.clear();
  for (std::size_t i = 0; i < schema_.fields().size(); ++i) {
    if (i > 0) line_ += sep_;
    appendCsvField(line_, neutraliseFormula(i < record.values.size() ? record.values[i] : ""),
                   sep_);
  }
  line_ += "\r\n";
  out_ << line_;
  ++rows_;
}

XlsxExportWriter::XlsxExportWriter(const Schema& schema, std::string sheetName)
    : schema_(schema), sheetName_(std::move(sheetName)) {
  std::vector<std::string> names;
  for (const auto& f : schema_.fields()) names.push_back(f.name);
  addRow(names, 1, true);
}

void XlsxExportWriter::add(const Record& record) {
  addRow(record.values, rows_ + 2, false);
  ++rows_;
}

void XlsxExportWriter::addRow(const std::vector<std::string>& values, std::uint64_t number,
                              bool header) {
  std::string r = std::to_string(number);
  sheet_ += "<row r=\"" + r + "\">";
  for (std::size_t i = 0; i < schema_.fields().size(); ++i) {
    std::string_view v = i < values.size() ? std::string_view(values[i]) : std::string_view();
    if (v.empty()) continue;  // a missing cell reads as empty
    std::string ref = columnName(i) + r;
    bool integer = !header && schema_.fields()[i].type == plugin::BalikanField::Type::kInteger &&
                   plainNumber(v);
    if (integer) {
      sheet_ += "<c r=\"" + ref + "\"><v>";
      sheet_ += v;
      sheet_ += "</v></c>";
      continue;
    }
    std::string text = header ? std::string(v) : neutraliseFormula(v);
    sheet_ += "<c r=\"" + ref + "\" s=\"1\" t=\"inlineStr\"><is><t";
    if (text.front() == ' ' || text.back() == ' ' || text.find('\n') != std::string::npos) {
      sheet_ += " xml:space=\"preserve\"";
    }
    sheet_ += ">";
    appendXmlEscaped(sheet_, text);
    sheet_ += "</t></is></c>";
  }
  sheet_ += "</row>";
}

void XlsxExportWriter::finish(std::ostream& out, TimePoint modified) {
  std::string sheetName;
  appendXmlEscaped(sheetName, sheetName_);
  const std::pair<const char*, std::string> parts[] = {
      {"[Content_Types].xml",
       std::string(kXmlHead) +
           "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
           "<Default Extension=\"rels\" "
           "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
           "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
           "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
           "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
           "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/"
           "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
           "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/"
           "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
           "</Types>"},
      {"_rels/.rels",
       std::string(kXmlHead) +
           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId1\" Type=\"" +
           kRelNs +
           "/officeDocument\" "
           "Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml", std::string(kXmlHead) + "<workbook xmlns=\"" + kMainNs + "\" xmlns:r=\"" +
                              kRelNs + "\"><sheets><sheet name=\"" + sheetName +
                              "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       std::string(kXmlHead) +
           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId1\" Type=\"" +
           kRelNs +
           "/worksheet\" "
           "Target=\"worksheets/sheet1.xml\"/>"
           "<Relationship Id=\"rId2\" Type=\"" +
           kRelNs +
           "/styles\" Target=\"styles.xml\"/>"
           "</Relationships>"},
      {"xl/styles.xml",
       std::string(kXmlHead) + "<styleSheet xmlns=\"" + kMainNs +
           "\"><fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
           "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
           "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
           "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border>"
           "</borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
           "borderId=\"0\"/></cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" "
           "fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" "
           "borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>"
           "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
           "</cellStyles></styleSheet>"},
      {"xl/worksheets/sheet1.xml", std::string(kXmlHead) + "<worksheet xmlns=\"" + kMainNs +
                                       "\" xmlns:r=\"" + kRelNs + "\"><sheetData>" + sheet_ +
                                       "</sheetData></worksheet>"},
  };
  Poco::DateTime when(Poco::Timestamp(modified.time_since_epoch().count()));
  Poco::Zip::Compress zip(out, true);
  for (const auto& [name, body] : parts) {
    StringViewBuf buf(body);
    std::istream in(&buf);
    zip.addFile(in, when, Poco::Path(name, Poco::Path::PATH_UNIX));
  }
  zip.close();
  if (!out) throw std::runtime_error("XLSX export: writing the workbook failed");
}

}  // namespace gerbang::balikan
