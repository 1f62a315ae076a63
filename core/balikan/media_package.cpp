#include "core/balikan/media_package.hpp"

#include "core/balikan/export.hpp"
#include "core/balikan/zip_parts.hpp"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/SHA2Engine.h>
#include <Poco/Timestamp.h>
#include <Poco/Zip/Compress.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace gerbang::balikan {
namespace {

constexpr char kFormat[] = "gerbang-balikan-media/1";

std::string sha256(std::string_view bytes) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(bytes.data(), unsigned(bytes.size()));
  return Poco::DigestEngine::digestToHex(engine.digest());
}

bool safeName(const std::string& n) {
  return !n.empty() && n.size() <= 128 && n.find('/') == std::string::npos &&
         n.find('\\') == std::string::npos && n != "." && n != ".." &&
         std::all_of(n.begin(), n.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x20; });
}

Error packageError(std::string message, std::string detail = {}) {
  return Error{"package_invalid", std::move(message), std::move(detail)};
}

}  // namespace

void writePackage(std::ostream& out, const std::string& agreementId, std::uint64_t records,
                  const std::vector<PackageFile>& files, TimePoint created) {
  std::set<std::string> names{"manifest.json", "SHA256SUMS"};
  for (const auto& f : files) {
    if (!safeName(f.name) || !names.insert(f.name).second) {
      throw std::invalid_argument("media package: unsafe or duplicate file name '" + f.name + "'");
    }
  }
  Poco::Timestamp ts(created.time_since_epoch().count());
  Poco::JSON::Object manifest(Poco::JSON_PRESERVE_KEY_ORDER);
  manifest.set("format", kFormat);
  manifest.set("agreement", agreementId);
  manifest.set("created",
               Poco::DateTimeFormatter::format(ts, Poco::DateTimeFormat::ISO8601_FORMAT));
  manifest.set("records", Poco::UInt64(records));
  Poco::JSON::Array list;
  std::string sums;
  for (const auto& f : files) {
    Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
    std::string digest = sha256(f.bytes);
    entry.set("name", f.name);
    entry.set("bytes", Poco::UInt64(f.bytes.size()));
    entry.set("sha256", digest);
    list.add(entry);
    sums += digest + "  " + f.name + "\n";
  }
  manifest.set("files", list);
  std::ostringstream json;
  manifest.stringify(json, 2);
  std::string manifestText = json.str() + "\n";
  sums += sha256(manifestText) + "  manifest.json\n";

  Poco::DateTime when(ts);
  Poco::Zip::Compress zip(out, true);
  auto add = [&](const std::string& name, const std::string& bytes) {
    std::istringstream in(bytes);
    zip.addFile(in, when, Poco::Path(name, Poco::Path::PATH_UNIX));
  };
  for (const auto& f : files) add(f.name, f.bytes);
  add("manifest.json", manifestText);
  add("SHA256SUMS", sums);
  zip.close();
  if (!out) throw std::runtime_error("media package: writing failed");
}

void writeMediaPackage(const std::filesystem::path& path, const std::string& agreementId,
                       const Schema& schema, const std::vector<Record>& records,
                       const Clock& clock) {
  TimePoint now = clock.now();
  std::ostringstream csv;
  CsvExportWriter csvWriter(csv, schema);
  XlsxExportWriter xlsxWriter(schema);
  for (const auto& r : records) {
    csvWriter.add(r);
    xlsxWriter.add(r);
  }
  std::ostringstream xlsx;
  xlsxWriter.finish(xlsx, now);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("media package: cannot create " + path.string());
  writePackage(out, agreementId, records.size(),
               {{"balikan.csv", csv.str()}, {"balikan.xlsx", xlsx.str()}}, now);
  out.close();
  if (!out) throw std::runtime_error("media package: writing " + path.string() + " failed");
}

std::vector<std::string> PackageCheck::findings() const {
  std::vector<std::string> out;
  for (const auto& n : missing) out.push_back("berkas " + n + " hilang dari paket");
  for (const auto& n : altered) out.push_back("berkas " + n + " diubah (SHA-256 tidak cocok)");
  for (const auto& n : unlisted) out.push_back("berkas " + n + " tidak tercantum di SHA256SUMS");
  out.insert(out.end(), problems.begin(), problems.end());
  return out;
}

Result<PackageCheck> verifyPackage(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return packageError("Paket tidak dapat dibuka: " + path.filename().string());
  // A package holds a few files of at most some hundred MB; the limits only stop bombs.
  auto opened = detail::ZipParts::open(in, {1ull << 30, 4ull << 30, 0});
  if (!opened.ok())
    return packageError("Paket bukan arsip zip yang dapat dibaca", opened.error().detail);
  auto& zip = *opened.value();
  if (!zip.has("SHA256SUMS")) return packageError("Paket tidak berisi SHA256SUMS");
  auto sums = zip.readAll("SHA256SUMS");
  if (!sums.ok()) return packageError("SHA256SUMS tidak dapat dibaca", sums.error().message);

  PackageCheck check;
  std::map<std::string, std::string> expected;  // name -> sha256
  std::istringstream lines(sums.value());
  std::string line;
  int lineNo = 0;
  while (std::getline(lines, line)) {
    ++lineNo;
    if (line.empty()) continue;
    // "<64 hex>  <name>" (two spaces, or " *" for binary mode, as sha256sum writes).
    if (line.size() < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*') ||
        line.find_first_not_of("0123456789abcdef") < 64) {
      check.problems.push_back("SHA256SUMS baris " + std::to_string(lineNo) + " tidak sah");
      continue;
    }
    expected[line.substr(66)] = line.substr(0, 64);
    check.files.push_back(line.substr(66));
  }

  std::set<std::string> present;
  for (const auto& n : zip.names()) present.insert(n);
  for (const auto& [name, digest] : expected) {
    if (!present.count(name)) {
      check.missing.push_back(name);
      continue;
    }
    auto bytes = zip.readAll(name);
    if (!bytes.ok() || sha256(bytes.value()) != digest) check.altered.push_back(name);
  }
  for (const auto& n : present) {
    if (n != "SHA256SUMS" && !expected.count(n)) check.unlisted.push_back(n);
  }

  // manifest.json must agree with SHA256SUMS about the data files.
  if (!expected.count("manifest.json")) {
    check.problems.push_back("manifest.json tidak tercantum di SHA256SUMS");
  } else if (present.count("manifest.json")) {
    auto text = zip.readAll("manifest.json");
    try {
      if (!text.ok()) throw std::runtime_error(text.error().message);
      auto obj = Poco::JSON::Parser().parse(text.value()).extract<Poco::JSON::Object::Ptr>();
      if (obj->optValue<std::string>("format", "") != kFormat) {
        check.problems.push_back("manifest.json: format bukan " + std::string(kFormat));
      }
      check.agreement = obj->optValue<std::string>("agreement", "");
      check.records = obj->optValue<Poco::UInt64>("records", 0);
      auto files = obj->getArray("files");
      std::set<std::string> listed;
      for (std::size_t i = 0; files && i < files->size(); ++i) {
        auto f = files->getObject(unsigned(i));
        std::string name = f ? f->optValue<std::string>("name", "") : "";
        listed.insert(name);
        auto it = expected.find(name);
        if (it == expected.end()) {
          check.problems.push_back("manifest.json mencantumkan " + name +
                                   " yang tidak ada di SHA256SUMS");
        } else if (f->optValue<std::string>("sha256", "") != it->second) {
          check.problems.push_back("manifest.json dan SHA256SUMS berbeda untuk " + name);
        }
      }
      for (const auto& [name, digest] : expected) {
        if (name != "manifest.json" && !listed.count(name)) {
          check.problems.push_back(name + " tidak tercantum di manifest.json");
        }
      }
    } catch (const std::exception& e) {
      check.problems.push_back("manifest.json tidak dapat dibaca");
    }
  }
  return check;
}

}  // namespace gerbang::balikan
