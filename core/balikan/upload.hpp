// Choosing the reader for an uploaded file and checking the agreement allows that method.
#pragma once

#include "core/balikan/csv_reader.hpp"
#include "core/balikan/row.hpp"
#include "core/balikan/xlsx_reader.hpp"
#include "core/common/result.hpp"
#include "core/plugin/manifest.hpp"

#include <istream>
#include <memory>
#include <string_view>

namespace gerbang::balikan {

enum class UploadFormat { kCsv, kXlsx };

// The format of an upload from its first bytes: an XLSX file is a zip archive ("PK\3\4");
// anything else is read as CSV (whose reader refuses UTF-16 and other non-CSV with a hint).
// The file name is not trusted: operators rename files.
UploadFormat detectUploadFormat(std::string_view head);

// The manifest method that carries this format ("csv_upload" or "xlsx_upload").
std::string_view methodOf(UploadFormat format);

// Ok when the agreement's balikan.methods lists the format's method; otherwise Error
// "balikan_method_not_allowed" whose Indonesian message names the methods the agreement
// allows (the PKS/juknis fixes them, e.g. Karanganyar: web service, Excel, media).
Status checkUploadAllowed(const plugin::BalikanPolicy& policy, UploadFormat format);

struct UploadOptions {
  CsvOptions csv;
  XlsxOptions xlsx;
};

// A reader for `in` (seekable; the upload held in memory) in the detected format. `in` must
// outlive the reader.
std::unique_ptr<RowSource> openUpload(std::istream& in, UploadFormat format,
                                      const UploadOptions& options = {});

}  // namespace gerbang::balikan
