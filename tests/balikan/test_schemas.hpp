// Schemas the balikan tests use. `karanganyarPolicy` mirrors the balikan of
// plugins/karanganyar-ak1/manifest.json (AK-I job-seeker cards); `allTypesPolicy` has one
// field of every type. All NIKs in these tests are synthetic.
#pragma once

#include "core/plugin/manifest.hpp"

#include <string>

namespace gerbang::balikan::test {

using Type = plugin::BalikanField::Type;

inline plugin::BalikanField field(std::string name, std::string label, Type type, bool required,
                                  int maxLength = 0, std::string pattern = {},
                                  std::vector<std::string> values = {}) {
  plugin::BalikanField f;
  f.name = std::move(name);
  f.label = std::move(label);
  f.type = type;
  f.required = required;
  f.maxLength = maxLength;
  f.pattern = std::move(pattern);
  f.values = std::move(values);
  return f;
}

inline plugin::BalikanPolicy karanganyarPolicy() {
  plugin::BalikanPolicy p;
  p.fields = {
      field("nik", "NIK", Type::kNik, true),
      field("nomor_id_kartu_pencari_kerja", "Nomor ID Kartu Tanda Pencari Kerja", Type::kString,
            false, 16, "^3313-[0-9]{4}-[0-9]{6}$"),
      field("nomor_register", "Nomor Register Pemohon Kartu AK I", Type::kString, true, 22,
            "^AK1-3313-[0-9]{6}-[0-9]{6}$"),
      field("jenis_usaha", "Jenis Usaha", Type::kString, false, 100),
      field("class_usaha", "Class Usaha", Type::kEnum, false, 0, {},
            {"mikro", "kecil", "menengah", "besar"}),
  };
  p.methods = {"web_service", "xlsx_upload", "media"};
  return p;
}

inline plugin::BalikanPolicy allTypesPolicy() {
  plugin::BalikanPolicy p;
  p.fields = {
      field("nik", "NIK", Type::kNik, true),
      field("nama_usaha", "Nama Usaha", Type::kString, false, 5),
      field("jumlah", "Jumlah Pekerja", Type::kInteger, false),
      field("tanggal", "Tanggal Penempatan", Type::kDate, false),
      field("status", "Status", Type::kEnum, false, 0, {}, {"DITERIMA", "DITOLAK"}),
      field("nomor", "Nomor Sertifikat", Type::kString, false, 0, "^SRT-[0-9]{4}$"),
  };
  return p;
}

}  // namespace gerbang::balikan::test
