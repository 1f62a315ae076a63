// Streaming CSV reader for balikan uploads (RFC 4180 as Excel writes it).
//
// - UTF-8 with or without BOM; a UTF-16 file or an XLSX renamed to .csv is refused with a
//   hint;
// - the separator is ',' or ';' (Excel in the Indonesian locale writes ';'), detected from
//   the header line unless given: the one that occurs more often outside quotes;
// - quoted fields with "" for a quote, embedded separators and line breaks; CRLF, LF or CR;
// - byte positions in messages count from 1 at the file's first byte (BOM included);
// - memory is bounded by the buffer and one record (maxRecordBytes), whatever the file
//   size; nothing is allocated per field once the buffers have grown.
#pragma once

#include "core/balikan/row.hpp"

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace gerbang::balikan {

struct CsvOptions {
  char separator = 0;                     // ',' or ';'; 0 = detect from the header
  std::size_t maxFieldBytes = 64 * 1024;  // a longer field is garbage: the read stops
  std::size_t maxColumns = 256;
  std::size_t maxRecordBytes = 1 << 20;  // one record, quotes and line breaks included
  std::size_t bufferBytes = 1 << 20;     // read size
};

class CsvReader final : public RowSource {
 public:
  // Reads from `in` (not owned; must outlive the reader).
  explicit CsvReader(std::istream& in, CsvOptions options = {});

  // See RowSource::read. Structural errors (unterminated quote, text after a closing quote,
  // limits) stop the read; invalid UTF-8 is reported in RawRow::problem with its byte offset
  // and reading continues. Can be called once.
  Status read(RowVisitor& visitor) override;

  // The separator in use (after read() started; 0 before).
  char separator() const { return sep_; }

 private:
  enum class Step { kRecord, kNeedMore, kEnd, kError };
  struct Span {
    std::size_t begin;
    std::size_t size;
    bool unescape;
  };

  bool fill();
  Step parseRecord(Error& error);
  void buildRow();
  char detectSeparator() const;

  std::istream& in_;
  CsvOptions opt_;
  char sep_ = 0;
  std::vector<char> buf_;
  std::size_t pos_ = 0;          // next unread byte in buf_
  std::size_t end_ = 0;          // end of valid data in buf_
  std::uint64_t bufOffset_ = 0;  // file offset of buf_[0]
  bool eof_ = false;
  bool skipLf_ = false;  // the previous record ended with CR: drop a following LF
  std::size_t recordStart_ = 0;
  std::size_t recordEnd_ = 0;  // after the record's content (before its line break)
  std::vector<Span> spans_;
  std::string scratch_;  // unescaped quoted fields of the current record
  RawRow row_;
};

}  // namespace gerbang::balikan
