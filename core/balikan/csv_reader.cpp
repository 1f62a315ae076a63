#include "core/balikan/csv_reader.hpp"

#include "core/balikan/utf8.hpp"

#include <algorithm>
#include <cstring>

namespace gerbang::balikan {

CsvReader::CsvReader(std::istream& in, CsvOptions options) : in_(in), opt_(options) {
  buf_.resize(std::max<std::size_t>(opt_.bufferBytes, 1));
}

// Moves the unread tail to the front and reads more. False when nothing more can be read.
bool CsvReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    bufOffset_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buf_.size()) {
    // One record fills the whole buffer: grow, up to the record limit.
    if (buf_.size() >= opt_.maxRecordBytes + 2) return false;
    buf_.resize(std::min(buf_.size() * 2, opt_.maxRecordBytes + 2));
  }
  in_.read(buf_.data() + end_, std::streamsize(buf_.size() - end_));
  auto got = std::size_t(in_.gcount());
  end_ += got;
  if (got == 0 || !in_) eof_ = true;
  return got > 0;
}

char CsvReader::detectSeparator() const {
  // Only the first physical line counts (even inside quotes), and at most one record's worth
  // of bytes, so the answer never depends on how much the first read happened to return.
  std::size_t commas = 0, semis = 0;
  bool quoted = false;
  std::size_t stop = std::min(end_, pos_ + opt_.maxRecordBytes);
  for (std::size_t i = pos_; i < stop; ++i) {
    char c = buf_[i];
    if (c == '\n' || c == '\r') break;
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    commas += c == ',';
    semis += c == ';';
  }
  return semis > commas ? ';' : ',';
}

CsvReader::Step CsvReader::parseRecord(Error& error) {
  spans_.clear();
  std::size_t i = pos_;
  const char* b = buf_.data();
  const char sep = sep_;
  auto at = [&](std::size_t k) { return bufOffset_ + k; };
  auto where = [&](std::size_t k) {
    return "baris " + std::to_string(row_.number + 1) + " (byte ke-" + std::to_string(at(k) + 1) +
           ")";
  };
  if (skipLf_) {
    // The previous record ended with CR: a following LF is the rest of its CRLF.
    if (i == end_ && !eof_) return Step::kNeedMore;
    if (i < end_ && b[i] == '\n') pos_ = ++i;
    skipLf_ = false;
  }
  recordStart_ = i;
  if (i == end_) return eof_ ? Step::kEnd : Step::kNeedMore;
  for (;;) {
    if (spans_.size() >= opt_.maxColumns) {
      error = fileError(where(i) + ": lebih dari " + std::to_string(opt_.maxColumns) + " kolom");
      return Step::kError;
    }
    Span span{i, 0, false};
    if (i < end_ && b[i] == '"') {
      std::size_t j = i + 1;
      for (;;) {
        const void* q = j < end_ ? std::memchr(b + j, '"', end_ - j) : nullptr;
        if (q == nullptr) {
          if (!eof_) return Step::kNeedMore;
          error = fileError(where(i) + ": tanda kutip dibuka tetapi tidak pernah ditutup");
          return Step::kError;
        }
        j = std::size_t(static_cast<const char*>(q) - b);
        if (j + 1 == end_ && !eof_) return Step::kNeedMore;
        if (j + 1 < end_ && b[j + 1] == '"') {
          span.unescape = true;
          j += 2;
          continue;
        }
        break;
      }
      span.begin = i + 1;
      span.size = j - i - 1;
      i = j + 1;
      if (i < end_ && b[i] != sep && b[i] != '\n' && b[i] != '\r') {
        error = fileError(where(i) +
                          ": ada karakter setelah tanda kutip penutup; tanda kutip di "
                          "dalam isian harus ditulis dua kali (\"\")");
        return Step::kError;
      }
    } else {
      std::size_t j = i;
      while (j < end_) {
        char c = b[j];
        if (c == sep || c == '\n' || c == '\r') break;
        ++j;
      }
      if (j == end_ && !eof_) return Step::kNeedMore;
      span.size = j - i;
      i = j;
    }
    if (span.size > opt_.maxFieldBytes) {
      error =
          fileError(where(span.begin) + ": isian kolom ke-" + std::to_string(spans_.size() + 1) +
                    " lebih dari " + std::to_string(opt_.maxFieldBytes) + " byte");
      return Step::kError;
    }
    spans_.push_back(span);
    if (i == end_) {  // end of file without a final line break
      recordEnd_ = i;
      pos_ = i;
      skipLf_ = false;
      return Step::kRecord;
    }
    if (b[i] == sep) {
      ++i;
      if (i == end_ && !eof_) return Step::kNeedMore;
      if (i == end_) {  // "a,b," at end of file: a last empty field
        spans_.push_back(Span{i, 0, false});
        recordEnd_ = i;
        pos_ = i;
        return Step::kRecord;
      }
      continue;
    }
    recordEnd_ = i;
    skipLf_ = b[i] == '\r';
    pos_ = i + 1;
    return Step::kRecord;
  }
}

void CsvReader::buildRow() {
  row_.byteOffset = bufOffset_ + recordStart_;
  row_.cells.clear();
  row_.problem.clear();
  row_.problemCell = -1;
  const char* b = buf_.data();
  std::size_t needed = 0;
  for (const auto& s : spans_) needed += s.unescape ? s.size : 0;
  if (needed > scratch_.capacity()) scratch_.reserve(needed);
  scratch_.clear();  // capacity kept: views into it stay valid while we append below
  for (const auto& s : spans_) {
    if (!s.unescape) {
      row_.cells.emplace_back(b + s.begin, s.size);
      continue;
    }
    std::size_t start = scratch_.size();
    for (std::size_t k = s.begin; k < s.begin + s.size; ++k) {
      scratch_.push_back(b[k]);
      if (b[k] == '"') ++k;  // "" → "
    }
    row_.cells.emplace_back(scratch_.data() + start, scratch_.size() - start);
  }
  std::string_view raw(b + recordStart_, recordEnd_ - recordStart_);
  std::size_t bad = firstInvalidUtf8(raw);
  if (bad != std::string_view::npos) {
    std::size_t abs = recordStart_ + bad;
    for (std::size_t c = 0; c < spans_.size(); ++c) {
      std::size_t from = spans_[c].begin - (spans_[c].begin > recordStart_ ? 1 : 0);
      if (abs >= from) row_.problemCell = int(c);
    }
    row_.problem = "bukan teks UTF-8 yang sah (byte ke-" + std::to_string(bufOffset_ + abs + 1) +
                   " dari awal berkas); simpan berkas sebagai \"CSV UTF-8\"";
  }
}

Status CsvReader::read(RowVisitor& visitor) {
  // The whole first line is needed to recognise the file and detect the separator.
  while (std::memchr(buf_.data(), '\n', end_) == nullptr &&
         std::memchr(buf_.data(), '\r', end_) == nullptr && end_ < opt_.maxRecordBytes) {
    if (!fill()) break;
  }
  // What else people upload as "CSV".
  std::string_view head(buf_.data(), end_);
  if (head.size() >= 2 &&
      ((head[0] == '\xFF' && head[1] == '\xFE') || (head[0] == '\xFE' && head[1] == '\xFF'))) {
    return fileError(
        "Berkas berformat UTF-16 (\"Unicode Text\"); simpan ulang sebagai \"CSV UTF-8\"");
  }
  if (head.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    return fileError(
        "Berkas ini XLSX (Excel), bukan CSV; unggah sebagai XLSX atau simpan "
        "sebagai \"CSV UTF-8\"");
  }
  if (head.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  if (pos_ == end_ && eof_) return fileError("Berkas kosong: tidak ada baris judul");
  sep_ = opt_.separator != 0 ? opt_.separator : detectSeparator();

  Error error;
  for (;;) {
    Step step = parseRecord(error);
    if (step == Step::kNeedMore) {
      if (!fill()) {
        if (end_ - pos_ >= opt_.maxRecordBytes) {
          return fileError("baris " + std::to_string(row_.number + 1) + " (byte ke-" +
                           std::to_string(bufOffset_ + pos_ + 1) + "): satu baris lebih dari " +
                           std::to_string(opt_.maxRecordBytes) + " byte");
        }
        if (!eof_) return fileError("Berkas tidak dapat dibaca sampai selesai");
      }
      continue;
    }
    if (step == Step::kError) return error;
    if (step == Step::kEnd) {
      if (row_.number == 0) return fileError("Berkas kosong: tidak ada baris judul");
      return Status::Ok();
    }
    ++row_.number;
    buildRow();
    bool more = row_.number == 1 ? visitor.onHeader(row_) : visitor.onRow(row_);
    if (!more) return Status::Ok();
  }
}

}  // namespace gerbang::balikan
