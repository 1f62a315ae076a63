#include "core/balikan/json_record.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace gerbang::balikan {
namespace {

Error jsonError(std::string message, std::string detail = {}) {
  return Error{"balikan_json_invalid", std::move(message), std::move(detail)};
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> parseRecordJson(std::string_view json,
                                                                         std::size_t maxBytes,
                                                                         std::size_t maxMembers) {
  if (json.size() > maxBytes) {
    return jsonError("Data balikan lebih dari " + std::to_string(maxBytes) + " byte");
  }
  Poco::JSON::Object::Ptr obj;
  try {
    Poco::JSON::Parser parser;
    auto v = parser.parse(std::string(json));
    if (v.type() != typeid(Poco::JSON::Object::Ptr)) {
      return jsonError("Data balikan harus berupa satu objek JSON {\"nama_kolom\": \"nilai\"}");
    }
    obj = v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    // Poco's message may quote the input: keep it out of the operator's message.
    return jsonError("Data balikan bukan JSON yang sah", e.displayText());
  }
  if (obj->size() > maxMembers) {
    return jsonError("Data balikan berisi lebih dari " + std::to_string(maxMembers) + " kolom");
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : *obj) {
    if (value.isEmpty()) {
      out.emplace_back(name, std::string());
    } else if (value.type() == typeid(std::string)) {
      out.emplace_back(name, value.extract<std::string>());
    } else {
      return jsonError("kolom \"" + name + "\": nilai harus berupa teks JSON (dalam tanda kutip)");
    }
  }
  return out;
}

}  // namespace gerbang::balikan
