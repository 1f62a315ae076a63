#include "fuzz/balikan/fuzz_schema.hpp"

#include <cstdlib>

namespace gerbang::balikan::fuzz {

const Schema& schema() {
  static const Schema s = [] {
    using T = plugin::BalikanField::Type;
    auto f = [](const char* n, const char* l, T t, bool req, int max, const char* pat) {
      plugin::BalikanField x;
      x.name = n;
      x.label = l;
      x.type = t;
      x.required = req;
      x.maxLength = max;
      x.pattern = pat;
      if (t == T::kEnum) x.values = {"mikro", "kecil", "menengah", "besar"};
      return x;
    };
    plugin::BalikanPolicy p;
    p.fields = {f("nik", "NIK", T::kNik, true, 0, ""),
                f("nomor_id_kartu_pencari_kerja", "Nomor ID Kartu Tanda Pencari Kerja", T::kString,
                  false, 16, "^3313-[0-9]{4}-[0-9]{6}$"),
                f("nomor_register", "Nomor Register Pemohon Kartu AK I", T::kString, true, 22,
                  "^AK1-3313-[0-9]{6}-[0-9]{6}$"),
                f("jenis_usaha", "Jenis Usaha", T::kString, false, 100, "^(Toko|Warung).*$"),
                f("class_usaha", "Class Usaha", T::kEnum, false, 0, ""),
                f("tanggal", "Tanggal", T::kDate, false, 0, ""),
                f("jumlah", "Jumlah", T::kInteger, false, 0, "")};
    auto r = Schema::compile(p);
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return s;
}

}  // namespace gerbang::balikan::fuzz
