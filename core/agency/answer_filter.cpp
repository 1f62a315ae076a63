#include "core/agency/answer_filter.hpp"

#include "core/plugin/manifest.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace gerbang::agency {
namespace {

using Poco::Dynamic::Var;

std::string upper(std::string s) {
  for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

constexpr int kMaxDepth = 64;

// Returns false when the document nests deeper than kMaxDepth.
bool strip(Var& v, const std::set<std::string>& permitted, std::set<std::string>& dropped,
           int depth) {
  if (depth > kMaxDepth) return false;
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
    auto obj = v.extract<Poco::JSON::Object::Ptr>();
    std::vector<std::string> names;
    obj->getNames(names);
    for (const std::string& name : names) {
      const std::string key = upper(name);
      if (registryFieldNames().count(key) && !permitted.count(key)) {
        obj->remove(name);
        dropped.insert(key);
        continue;
      }
      Var child = obj->get(name);
      if (!strip(child, permitted, dropped, depth + 1)) return false;
    }
  } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    auto arr = v.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < arr->size(); ++i) {
      Var child = arr->get(unsigned(i));
      if (!strip(child, permitted, dropped, depth + 1)) return false;
    }
  }
  return true;
}

Error badAnswer(std::string detail) {
  return Error{"plugin_bad_answer",
               "Jawaban plugin perjanjian bukan JSON yang sah sehingga tidak diteruskan. "
               "Hubungi admin.",
               std::move(detail)};
}

}  // namespace

const std::set<std::string>& registryFieldNames() {
  static const std::set<std::string> kNames = [] {
    std::set<std::string> s;
    for (auto e : plugin::kElements) s.emplace(e);
    for (auto p : plugin::kAddressParts) s.emplace(p);
    // Fields the registry returns that no agreement may list (core/compliance/minimiser.hpp).
    for (const char* f : {"AGAMA", "NAMA_LGKP_IBU", "NAMA_LGKP_AYAH", "GOL_DARAH", "PDDK_AKH",
                          "STAT_HBKEL", "EKTP_STATUS", "NO_AKTA_LHR", "NO_AKTA_KWN",
                          "NO_AKTA_CRAI", "PENYANDANG_CACAT", "NIK_IBU", "NIK_AYAH",
                          "STATUS_KAWIN_TGL", "DSC_NO_KK"})
      s.emplace(f);
    return s;
  }();
  return kNames;
}

Result<FilteredAnswer> minimiseAnswer(std::string_view body,
                                      const std::set<std::string>& permitted) {
  Var doc;
  try {
    // Members keep the plugin's order (a screen shows them as written).
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    doc = parser.parse(std::string(body));
  } catch (const std::exception&) {
    // e.what() may quote the answer, which may hold personal data: not kept.
    return badAnswer("answer is not JSON");
  }
  std::set<std::string> dropped;
  if (!strip(doc, permitted, dropped, 0)) return badAnswer("answer nests too deeply");
  FilteredAnswer out;
  std::ostringstream s;
  Poco::JSON::Stringifier::stringify(doc, s, 0, -1);
  out.json = s.str();
  out.dropped.assign(dropped.begin(), dropped.end());
  return out;
}

}  // namespace gerbang::agency
