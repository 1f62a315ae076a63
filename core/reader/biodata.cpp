#include "core/reader/biodata.hpp"

#include "core/common/clock.hpp"
#include "core/reader/bytes.hpp"

#include <algorithm>
#include <cstdio>

namespace gerbang::reader {
namespace {

constexpr const char* kFieldNames[kBiodataFields] = {"NIK",
                                                     "alamat",
                                                     "RT",
                                                     "RW",
                                                     "tempat lahir",
                                                     "kecamatan",
                                                     "kelurahan",
                                                     "kabupaten",
                                                     "jenis kelamin",
                                                     "golongan darah",
                                                     "agama",
                                                     "status perkawinan",
                                                     "pekerjaan",
                                                     "nama",
                                                     "tanggal lahir",
                                                     "field 15",
                                                     "field 16",
                                                     "field 17",
                                                     "field 18",
                                                     "kewarganegaraan",
                                                     "field 20"};

Error invalid(const std::string& detail) {
  return Error{"biodata_invalid",
               "Data biodata pada KTP-el tidak dapat dibaca (format tidak dikenal).", detail};
}

std::string where(size_t field, size_t offset) {
  return "field " + std::to_string(field) + " (" + kFieldNames[field] + ") at byte " +
         std::to_string(offset);
}

std::string hexByte(uint8_t c) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%02X", unsigned(c));
  return b;
}

bool allDigits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

void Biodata::wipe() {
  for (auto& f : fields) reader::wipe(f);
}

Result<Biodata> parseBiodata(std::string_view raw) {
  if (raw.empty()) return invalid("biodata is empty");
  if (raw.size() > kBiodataMaxBytes)
    return invalid("biodata is " + std::to_string(raw.size()) + " bytes, limit " +
                   std::to_string(kBiodataMaxBytes));
  // Fixed-size card files are padded after the content.
  size_t end = raw.size();
  while (end > 0 && (uint8_t(raw[end - 1]) == 0x00 || uint8_t(raw[end - 1]) == 0xFF)) --end;
  if (end == 0) return invalid("biodata holds only padding");

  Biodata out;
  size_t pos = 0;
  size_t starts[kBiodataFields] = {};
  for (size_t f = 0; f < kBiodataFields; ++f) {
    if (pos >= end)
      return invalid("only " + std::to_string(f) + " fields, expected " +
                     std::to_string(kBiodataFields) + " (input ends at byte " +
                     std::to_string(pos) + ")");
    if (raw[pos] != '"')
      return invalid(where(f, pos) + ": expected '\"' opening the field, found " +
                     hexByte(uint8_t(raw[pos])));
    ++pos;
    starts[f] = pos;
    size_t close = pos;
    while (close < end && raw[close] != '"') {
      uint8_t c = uint8_t(raw[close]);
      if (c < 0x20 || c > 0x7E)
        return invalid(where(f, close) + ": non-printable or non-ASCII byte " + hexByte(c));
      ++close;
    }
    if (close >= end) return invalid(where(f, starts[f] - 1) + ": closing '\"' missing");
    out.fields[f].assign(raw.substr(pos, close - pos));
    pos = close + 1;
    if (f + 1 < kBiodataFields) {
      if (pos >= end)
        return invalid("only " + std::to_string(f + 1) + " fields, expected " +
                       std::to_string(kBiodataFields) + " (input ends at byte " +
                       std::to_string(pos) + ")");
      if (raw[pos] != ',')
        return invalid("byte " + std::to_string(pos) + " after field " + std::to_string(f) +
                       ": expected ',', found " + hexByte(uint8_t(raw[pos])));
      ++pos;
    }
  }
  if (pos != end) {
    if (raw[pos] == ',')
      return invalid("byte " + std::to_string(pos) + ": more than " +
                     std::to_string(kBiodataFields) + " fields");
    return invalid("byte " + std::to_string(pos) + ": unexpected " + hexByte(uint8_t(raw[pos])) +
                   " after the last field");
  }

  const auto& nik = out.fields[kNik];
  if (nik.size() != 16 || !allDigits(nik))
    return invalid(where(kNik, starts[kNik]) + ": expected 16 digits, got " +
                   std::to_string(nik.size()) + " characters" +
                   (allDigits(nik) ? "" : " with a non-digit"));
  if (!Date::parseDmy(out.fields[kTanggalLahir]))
    return invalid(where(kTanggalLahir, starts[kTanggalLahir]) + ": not a DD-MM-YYYY date");
  const auto& sex = out.fields[kJenisKelamin];
  if (sex != "LAKI-LAKI" && sex != "PEREMPUAN")
    return invalid(where(kJenisKelamin, starts[kJenisKelamin]) +
                   ": expected LAKI-LAKI or PEREMPUAN");
  for (size_t f : {size_t(kRt), size_t(kRw)}) {
    const auto& v = out.fields[f];
    if (v.empty() || v.size() > 3 || !allDigits(v))
      return invalid(where(f, starts[f]) + ": expected 1 to 3 digits");
  }
  return out;
}

std::map<std::string, std::string> minimise(const Biodata& b, const PermittedFields& p) {
  std::map<std::string, std::string> out;
  const bool alamat = contains(p.elements, "ALAMAT");
  for (const auto& e : kCardElements) {
    bool allowed;
    if (e.addressPart) {
      allowed = alamat && contains(p.addressParts, e.name);
    } else if (e.name == "ALAMAT") {
      allowed = alamat && (p.addressParts.empty() || contains(p.addressParts, "ALAMAT"));
    } else {
      allowed = contains(p.elements, e.name);
    }
    if (allowed) out.emplace(std::string(e.name), b.fields[e.field]);
  }
  return out;
}

}  // namespace gerbang::reader
