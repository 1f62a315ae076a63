#include "core/balikan/xlsx_reader.hpp"

#include "core/balikan/export.hpp"
#include "core/balikan/schema.hpp"
#include "core/balikan/zip_parts.hpp"

#include <Poco/Exception.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/SAXParser.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <exception>
#include <optional>
#include <unordered_map>

namespace gerbang::balikan {
namespace {

using Poco::XML::Attributes;
using Poco::XML::XMLChar;
using Poco::XML::XMLString;

// Parts are parsed without namespace processing (it costs a third of the parse time and the
// parts use fixed vocabularies), so names are compared without their prefix: "x:row" and
// "row" are the same element, "r:id" is the relationship id.
std::string_view localOf(const XMLString& qname) {
  auto colon = qname.find(':');
  return colon == XMLString::npos ? std::string_view(qname)
                                  : std::string_view(qname).substr(colon + 1);
}

// A non-negative decimal attribute value, or -1 (std::atoi would be undefined on overflow).
int toIndex(const XMLString& v) {
  int out = -1;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && p == v.data() + v.size() && out >= 0 ? out : -1;
}

const XMLString* attr(const Attributes& a, std::string_view localName) {
  for (int i = 0, n = a.getLength(); i < n; ++i) {
    if (localOf(a.getQName(i)) == localName) return &a.getValue(i);
  }
  return nullptr;
}

// Resolves a relationship target against the folder of the part that owns it.
std::string resolve(const std::string& base, const std::string& target) {
  std::vector<std::string> parts;
  auto push = [&](std::string_view path) {
    std::size_t i = 0;
    while (i <= path.size()) {
      std::size_t j = path.find('/', i);
      if (j == std::string_view::npos) j = path.size();
      std::string_view seg = path.substr(i, j - i);
      if (seg == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.emplace_back(seg);
      }
      i = j + 1;
    }
  };
  if (target.empty() || target[0] != '/') push(base);
  push(target);
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

std::string folderOf(const std::string& part) {
  auto slash = part.rfind('/');
  return slash == std::string::npos ? std::string() : part.substr(0, slash);
}

// Base class: a SAX handler that can stop the parse with a reason. Handlers must not throw
// through the XML parser (expat is C), so failures are recorded and the input stream ends.
class Handler : public Poco::XML::DefaultHandler {
 public:
  bool stop = false;
  std::optional<Error> failure;

  void fail(std::string message) {
    if (!failure) failure = fileError(std::move(message));
    stop = true;
  }
};

// Parses one part with `handler`, mapping every way it can fail to a file error.
Status parsePart(detail::ZipParts& zip, const std::string& name, Handler& handler) {
  auto stream = zip.part(name, &handler.stop);
  if (!stream.ok()) return stream.error();
  try {
    Poco::XML::SAXParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, false);
    parser.setContentHandler(&handler);
    Poco::XML::InputSource source(*stream.value());
    parser.parse(&source);
  } catch (const Poco::Exception& e) {
    if (!handler.failure && !handler.stop) {
      Status st = stream.value()->error();
      if (!st.ok()) return st;
      return fileError("bagian " + name + " bukan XML yang sah", e.displayText());
    }
  }
  if (handler.failure) return *handler.failure;
  return stream.value()->error();
}

class RelsHandler final : public Handler {
 public:
  struct Rel {
    std::string type, target;
  };
  std::unordered_map<std::string, Rel> byId;
  void startElement(const XMLString&, const XMLString&, const XMLString& qname,
                    const Attributes& a) override {
    std::string_view local = localOf(qname);
    if (local != "Relationship") return;
    const auto* id = attr(a, "Id");
    const auto* type = attr(a, "Type");
    const auto* target = attr(a, "Target");
    if (id && type && target) byId[*id] = Rel{*type, *target};
  }
  const Rel* ofType(std::string_view suffix) const {
    for (const auto& [id, r] : byId) {
      if (r.type.size() >= suffix.size() &&
          r.type.compare(r.type.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return &r;
      }
    }
    return nullptr;
  }
};

class WorkbookHandler final : public Handler {
 public:
  struct Sheet {
    std::string name, relId;
  };
  std::vector<Sheet> sheets;
  bool date1904 = false;
  void startElement(const XMLString&, const XMLString&, const XMLString& qname,
                    const Attributes& a) override {
    std::string_view local = localOf(qname);
    if (local == "sheet") {
      const auto* name = attr(a, "name");
      const auto* id = attr(a, "id");  // r:id
      if (name && id) sheets.push_back({*name, *id});
    } else if (local == "workbookPr") {
      const auto* d = attr(a, "date1904");
      date1904 = d && (*d == "1" || *d == "true");
    }
  }
};

bool isDateFormatCode(std::string_view code) {
  bool quoted = false, bracket = false, escaped = false;
  for (char c : code) {
    if (escaped) {
      escaped = false;
      continue;
    }
    if (c == '\\') {
      escaped = true;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (c == '[') {
      bracket = true;
    } else if (c == ']') {
      bracket = false;
    } else if (!bracket && (c == 'd' || c == 'D' || c == 'y' || c == 'Y')) {
      return true;
    }
  }
  return false;
}

bool isBuiltinDateFormat(int id) {
  // ECMA-376 18.8.30: 14-17 and 22 are dates; 27-36 and 50-58 are East Asian dates.
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

class StylesHandler final : public Handler {
 public:
  std::vector<bool> xfIsDate;  // per cellXfs index
  void startElement(const XMLString&, const XMLString&, const XMLString& qname,
                    const Attributes& a) override {
    std::string_view local = localOf(qname);
    if (local == "numFmt") {
      const auto* id = attr(a, "numFmtId");
      const auto* code = attr(a, "formatCode");
      if (id && code && isDateFormatCode(*code)) customDates_.push_back(toIndex(*id));
    } else if (local == "cellXfs") {
      inXfs_ = true;
    } else if (local == "xf" && inXfs_) {
      const auto* id = attr(a, "numFmtId");
      int fmt = id ? toIndex(*id) : 0;
      bool date = isBuiltinDateFormat(fmt);
      for (int c : customDates_) date = date || c == fmt;
      xfIsDate.push_back(date);
    }
  }
  void endElement(const XMLString&, const XMLString&, const XMLString& qname) override {
    std::string_view local = localOf(qname);
    if (local == "cellXfs") inXfs_ = false;
  }

 private:
  bool inXfs_ = false;
  std::vector<int> customDates_;
};

// The shared-string table: one arena of text, offsets per string.
class SharedStringsHandler final : public Handler {
 public:
  SharedStringsHandler(std::uint64_t maxBytes, std::size_t maxCell)
      : maxBytes_(maxBytes), maxCell_(maxCell) {}
  std::string arena;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, size

  std::string_view at(std::size_t i) const {
    return std::string_view(arena).substr(spans[i].first, spans[i].second);
  }
  void startElement(const XMLString&, const XMLString&, const XMLString& qname,
                    const Attributes&) override {
    std::string_view local = localOf(qname);
    if (stop) return;
    if (local == "si") {
      start_ = arena.size();
    } else if (local == "t") {
      inT_ = true;
    } else if (local == "rPh") {
      inPhonetic_ = true;
    }
  }
  void endElement(const XMLString&, const XMLString&, const XMLString& qname) override {
    std::string_view local = localOf(qname);
    if (stop) return;
    if (local == "si") {
      if (arena.find("_x", start_) != std::string::npos) {
        std::string text = arena.substr(start_);
        decodeOoxmlEscapes(text);
        arena.resize(start_);
        arena += text;
      }
      spans.emplace_back(start_, arena.size() - start_);
      // Empty entries cost no text but 16 bytes each: count them against the same budget.
      if (arena.size() + spans.size() * sizeof(spans[0]) > maxBytes_) {
        fail("sharedStrings.xml: tabel teks lebih dari " + std::to_string(maxBytes_) + " byte");
      }
    } else if (local == "t") {
      inT_ = false;
    } else if (local == "rPh") {
      inPhonetic_ = false;
    }
  }
  void characters(const XMLChar ch[], int start, int length) override {
    if (stop || !inT_ || inPhonetic_) return;
    arena.append(ch + start, std::size_t(length));
    if (arena.size() - start_ > maxCell_) {
      fail("sharedStrings.xml: teks ke-" + std::to_string(spans.size() + 1) + " lebih dari " +
           std::to_string(maxCell_) + " byte");
    } else if (arena.size() > maxBytes_) {
      fail("sharedStrings.xml: tabel teks lebih dari " + std::to_string(maxBytes_) + " byte");
    }
  }

 private:
  std::uint64_t maxBytes_;
  std::size_t maxCell_;
  std::size_t start_ = 0;
  bool inT_ = false;
  bool inPhonetic_ = false;
};

std::string columnName(std::size_t index) {
  std::string s;
  for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26)
    s.insert(s.begin(), char('A' + (n - 1) % 26));
  return s;
}

class SheetHandler final : public Handler {
 public:
  SheetHandler(std::string sheetName, const SharedStringsHandler& shared,
               const std::vector<bool>& xfIsDate, bool date1904, const XlsxOptions& opt,
               RowVisitor& visitor)
      : sheet_(std::move(sheetName)),
        shared_(shared),
        xfIsDate_(xfIsDate),
        date1904_(date1904),
        opt_(opt),
        visitor_(visitor) {}

  std::exception_ptr visitorException;
  bool sawHeader() const { return !first_; }

  void startElement(const XMLString&, const XMLString&, const XMLString& qname,
                    const Attributes& a) override {
    std::string_view local = localOf(qname);
    if (stop) return;
    if (local == "c") {
      startCell(a);
    } else if (local == "v") {
      inValue_ = inCell_;
    } else if (local == "t") {
      inValue_ = inInline_ && !inPhonetic_;
    } else if (local == "is") {
      inInline_ = inCell_;
    } else if (local == "rPh") {
      inPhonetic_ = true;
    } else if (local == "row") {
      startRow(a);
    }
  }

  void endElement(const XMLString&, const XMLString&, const XMLString& qname) override {
    std::string_view local = localOf(qname);
    if (stop) return;
    if (local == "c") {
      endCell();
    } else if (local == "v" || local == "t") {
      inValue_ = false;
    } else if (local == "is") {
      inInline_ = false;
    } else if (local == "rPh") {
      inPhonetic_ = false;
    } else if (local == "row") {
      endRow();
    }
  }

  void characters(const XMLChar ch[], int start, int length) override {
    if (!inValue_ || stop) return;
    if (text_.size() + std::size_t(length) > opt_.maxCellBytes) {
      fail(where() + ": isi sel lebih dari " + std::to_string(opt_.maxCellBytes) + " byte");
      return;
    }
    text_.append(ch + start, std::size_t(length));
  }

 private:
  struct Cell {
    std::size_t offset = 0, size = 0;  // in arena_, or in the shared table when shared
    bool shared = false;
    CellKind kind = CellKind::kText;
  };

  std::string where() const {
    return "lembar \"" + sheet_ + "\", sel " + columnName(col_) + std::to_string(rowNumber_);
  }

  void startRow(const Attributes& a) {
    const auto* r = attr(a, "r");
    std::uint64_t n = rowNumber_ + 1;
    if (r != nullptr) {
      auto [p, ec] = std::from_chars(r->data(), r->data() + r->size(), n);
      if (ec != std::errc() || p != r->data() + r->size() || n == 0) {
        fail("lembar \"" + sheet_ + "\": nomor baris tidak sah setelah baris " +
             std::to_string(rowNumber_));
        return;
      }
    }
    if (n <= rowNumber_) {
      fail("lembar \"" + sheet_ + "\": baris " + std::to_string(n) + " muncul setelah baris " +
           std::to_string(rowNumber_));
      return;
    }
    if (n > opt_.maxRows) {
      fail("lembar \"" + sheet_ + "\": lebih dari " + std::to_string(opt_.maxRows) + " baris");
      return;
    }
    rowNumber_ = n;
    cells_.clear();
    arena_.clear();
    col_ = 0;
    nextCol_ = 0;
  }

  void startCell(const Attributes& a) {
    inCell_ = true;
    text_.clear();
    type_ = 'n';
    style_ = -1;
    std::size_t col = nextCol_;
    for (int i = 0, n = a.getLength(); i < n; ++i) {
      std::string_view name = localOf(a.getQName(i));
      const auto& v = a.getValue(i);
      if (name == "r") {
        std::size_t c = 0, k = 0;
        while (k < v.size() && v[k] >= 'A' && v[k] <= 'Z' && k < 4)
          c = c * 26 + std::size_t(v[k++] - 'A' + 1);
        if (k == 0 || c == 0) {
          fail("lembar \"" + sheet_ + "\", baris " + std::to_string(rowNumber_) +
               ": referensi sel tidak sah");
          return;
        }
        col = c - 1;
      } else if (name == "t") {
        // ECMA-376 18.18.11 ST_CellType, mapped to one letter.
        static constexpr std::pair<std::string_view, char> kTypes[] = {
            {"s", 's'}, {"inlineStr", 'i'}, {"str", 'f'}, {"b", 'b'},
            {"e", 'e'}, {"d", 'd'},         {"n", 'n'}};
        type_ = 0;
        for (const auto& [text, letter] : kTypes) {
          if (v == text) type_ = letter;
        }
        if (type_ == 0) {
          col_ = col;
          fail(where() + ": jenis sel tidak dikenal");
          return;
        }
      } else if (name == "s") {
        style_ = toIndex(v);
      }
    }
    col_ = col;
    if (col < nextCol_) {
      fail(where() + ": sel tidak berurutan dalam baris");
      return;
    }
    if (col >= opt_.maxColumns) {
      fail(where() + ": lebih dari " + std::to_string(opt_.maxColumns) + " kolom");
      return;
    }
  }

  void endCell() {
    inCell_ = false;
    inInline_ = false;
    Cell cell;
    std::string_view value = text_;
    std::string converted;
    switch (type_) {
      case 's': {
        std::size_t idx = 0;
        auto [p, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), idx);
        if (ec != std::errc() || p != text_.data() + text_.size() || idx >= shared_.spans.size()) {
          fail(where() + ": rujukan ke tabel teks (sharedStrings) tidak sah");
          return;
        }
        cell.shared = true;
        cell.offset = shared_.spans[idx].first;
        cell.size = shared_.spans[idx].second;
        break;
      }
      case 'b':
        value = text_ == "1" ? "TRUE" : "FALSE";
        cell.kind = CellKind::kBoolean;
        break;
      case 'e':
        cell.kind = CellKind::kError;
        break;
      case 'd':
        // Strict OOXML ISO date ("2025-08-17T00:00:00"): keep the day.
        if (text_.size() >= 10 && text_[4] == '-' && text_[7] == '-') {
          converted = text_.substr(8, 2) + "-" + text_.substr(5, 2) + "-" + text_.substr(0, 4);
          value = converted;
          cell.kind = CellKind::kDate;
        }
        break;
      case 'n':
        if (!text_.empty()) {
          cell.kind = CellKind::kNumber;
          if (style_ >= 0 && std::size_t(style_) < xfIsDate_.size() &&
              xfIsDate_[std::size_t(style_)]) {
            if (auto d = serialToDmy(text_, date1904_)) {
              converted = *d;
              value = converted;
              cell.kind = CellKind::kDate;
            }
          }
        }
        break;
      default:  // inline and formula strings
        decodeOoxmlEscapes(text_);
        value = text_;
        break;
    }
    if (!cell.shared) {
      cell.offset = arena_.size();
      cell.size = value.size();
      arena_.append(value);
    }
    while (cells_.size() < col_) cells_.push_back(Cell{});
    if (cells_.size() >= opt_.maxColumns) {  // nested or row-less cells: still bounded
      fail(where() + ": lebih dari " + std::to_string(opt_.maxColumns) + " kolom");
      return;
    }
    cells_.push_back(cell);
    nextCol_ = col_ + 1;
  }

  void endRow() {
    row_.number = rowNumber_;
    row_.cells.clear();
    row_.kinds.clear();
    for (const auto& c : cells_) {
      row_.cells.push_back(c.shared ? std::string_view(shared_.arena).substr(c.offset, c.size)
                                    : std::string_view(arena_).substr(c.offset, c.size));
      row_.kinds.push_back(c.kind);
    }
    bool more = true;
    try {
      more = first_ ? visitor_.onHeader(row_) : visitor_.onRow(row_);
    } catch (...) {
      visitorException = std::current_exception();
      more = false;
    }
    first_ = false;
    if (!more) stop = true;
  }

  std::string sheet_;
  const SharedStringsHandler& shared_;
  const std::vector<bool>& xfIsDate_;
  bool date1904_;
  const XlsxOptions& opt_;
  RowVisitor& visitor_;

  bool first_ = true;
  bool inCell_ = false, inValue_ = false, inInline_ = false, inPhonetic_ = false;
  char type_ = 'n';
  int style_ = -1;
  std::uint64_t rowNumber_ = 0;
  std::size_t col_ = 0, nextCol_ = 0;
  std::string text_;
  std::string arena_;
  std::vector<Cell> cells_;
  RawRow row_;
};

}  // namespace

XlsxReader::XlsxReader(std::istream& in, XlsxOptions options) : in_(in), opt_(std::move(options)) {}

Status XlsxReader::read(RowVisitor& visitor) {
  detail::ZipLimits limits{opt_.maxPartBytes, opt_.maxTotalBytes, opt_.maxRatio, opt_.maxTagGap};
  auto opened = detail::ZipParts::open(in_, limits);
  if (!opened.ok()) return opened.error();
  auto& zip = *opened.value();

  // Package relationships name the workbook part (xl/workbook.xml for every producer seen).
  std::string workbook = "xl/workbook.xml";
  if (zip.has("_rels/.rels")) {
    RelsHandler rels;
    if (Status st = parsePart(zip, "_rels/.rels", rels); !st.ok()) return st;
    if (const auto* r = rels.ofType("/officeDocument")) workbook = resolve("", r->target);
  }
  if (!zip.has(workbook)) {
    return fileError("Berkas bukan buku kerja Excel (XLSX): bagian " + workbook + " tidak ada");
  }
  WorkbookHandler wb;
  if (Status st = parsePart(zip, workbook, wb); !st.ok()) return st;
  for (const auto& s : wb.sheets) sheetNames_.push_back(s.name);
  if (wb.sheets.empty()) return fileError("Buku kerja tidak berisi lembar (sheet)");

  const WorkbookHandler::Sheet* sheet = &wb.sheets.front();
  if (!opt_.sheet.empty()) {
    sheet = nullptr;
    // Excel treats sheet names case-insensitively ("Data" and "DATA" cannot coexist).
    for (const auto& s : wb.sheets) {
      if (s.name.size() == opt_.sheet.size() &&
          std::equal(s.name.begin(), s.name.end(), opt_.sheet.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          })) {
        sheet = &s;
      }
    }
    if (sheet == nullptr) {
      std::string names;
      for (const auto& s : wb.sheets) names += (names.empty() ? "\"" : ", \"") + s.name + "\"";
      return fileError("Lembar \"" + opt_.sheet + "\" tidak ada; lembar yang ada: " + names);
    }
  }

  std::string base = folderOf(workbook);
  std::string relsPart = (base.empty() ? "" : base + "/") + "_rels/" +
                         workbook.substr(workbook.rfind('/') + 1) + ".rels";
  RelsHandler rels;
  if (zip.has(relsPart)) {
    if (Status st = parsePart(zip, relsPart, rels); !st.ok()) return st;
  }
  auto rel = rels.byId.find(sheet->relId);
  if (rel == rels.byId.end()) {
    return fileError("Lembar \"" + sheet->name + "\" tidak ditemukan di dalam berkas (" + relsPart +
                     ")");
  }
  std::string sheetPart = resolve(base, rel->second.target);

  SharedStringsHandler shared(opt_.maxSharedStringBytes, opt_.maxCellBytes);
  std::string sharedPart = base + "/sharedStrings.xml";
  if (const auto* r = rels.ofType("/sharedStrings")) sharedPart = resolve(base, r->target);
  if (zip.has(sharedPart)) {
    if (Status st = parsePart(zip, sharedPart, shared); !st.ok()) return st;
  }
  StylesHandler styles;
  std::string stylesPart = base + "/styles.xml";
  if (const auto* r = rels.ofType("/styles")) stylesPart = resolve(base, r->target);
  if (zip.has(stylesPart)) {
    if (Status st = parsePart(zip, stylesPart, styles); !st.ok()) return st;
  }

  SheetHandler handler(sheet->name, shared, styles.xfIsDate, wb.date1904, opt_, visitor);
  Status st = parsePart(zip, sheetPart, handler);
  if (handler.visitorException) std::rethrow_exception(handler.visitorException);
  if (!st.ok()) return st;
  if (handler.failure) return *handler.failure;
  if (!handler.sawHeader()) {
    return fileError("Lembar \"" + sheet->name + "\" kosong: tidak ada baris judul");
  }
  return Status::Ok();
}

}  // namespace gerbang::balikan
