#include "core/portal/response_parser.hpp"

#include "core/portal/json_reader.hpp"

#include <cctype>

namespace gerbang::portal {
namespace {

// Registry bodies are a few hundred bytes; anything much larger is not a CALL_NIK answer.
constexpr size_t kMaxBody = 1 << 20;

TransportFailure badBody(std::string detail) {
  return TransportFailure{TransportKind::kBadBody, true, 200, std::move(detail)};
}

// Lower case, one space between words, no surrounding spaces or trailing punctuation: the
// deployments differ in exactly these (2025 juknis texts vs older servers).
std::string normaliseText(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += char(std::tolower(u));
  }
  while (!out.empty() && (out.back() == '.' || out.back() == '!' || out.back() == ' '))
    out.pop_back();
  return out;
}

bool has(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

// "5", "05", 5 -> "05"; "" stays ""; anything that is not 1-2 digits is returned as given.
std::string normaliseCode(std::string_view c) {
  std::string s(c);
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.size() == 1 && std::isdigit(static_cast<unsigned char>(s[0]))) return "0" + s;
  return s;
}

}  // namespace

const char* kindName(ConfirmationKind k) {
  switch (k) {
    case ConfirmationKind::kDeceased: return "deceased";
    case ConfirmationKind::kDuplicate: return "duplicate";
    case ConfirmationKind::kNotFound: return "not_found";
    case ConfirmationKind::kInactive: return "inactive";
    case ConfirmationKind::kInvalidFormat: return "invalid_format";
  }
  return "?";
}

const char* kindName(RefusalKind k) {
  switch (k) {
    case RefusalKind::kLoginFailed: return "login_failed";
    case RefusalKind::kQuotaExhausted: return "quota_exhausted";
    case RefusalKind::kAgencyInactive: return "agency_inactive";
    case RefusalKind::kUserInactive: return "user_inactive";
    case RefusalKind::kIpMismatch: return "ip_mismatch";
  }
  return "?";
}

const char* kindName(TransportKind k) {
  switch (k) {
    case TransportKind::kTimeout: return "timeout";
    case TransportKind::kRefused: return "refused";
    case TransportKind::kReset: return "reset";
    case TransportKind::kTls: return "tls";
    case TransportKind::kHttpStatus: return "http_status";
    case TransportKind::kBadBody: return "bad_body";
  }
  return "?";
}

std::string outcomeName(const CallNikResult& r) {
  if (std::holds_alternative<Found>(r)) return "found";
  if (auto* c = std::get_if<Confirmation>(&r)) return kindName(c->kind);
  if (auto* p = std::get_if<ParameterRefusal>(&r)) return kindName(p->kind);
  return kindName(std::get<TransportFailure>(r).kind);
}

std::optional<std::variant<Confirmation, ParameterRefusal>> classifyRespon(std::string_view text,
                                                                         std::string_view code) {
  using R = std::variant<Confirmation, ParameterRefusal>;
  const std::string c = normaliseCode(code);
  auto confirm = [&](ConfirmationKind k) -> R { return Confirmation{k, std::string(text), c}; };
  auto refuse = [&](RefusalKind k) -> R { return ParameterRefusal{k, std::string(text), c}; };
  // A known code decides (2025 juknis numbering).
  if (c == "11") return confirm(ConfirmationKind::kDeceased);
  if (c == "12") return confirm(ConfirmationKind::kDuplicate);
  if (c == "13") return confirm(ConfirmationKind::kNotFound);
  if (c == "14") return confirm(ConfirmationKind::kInactive);
  if (c == "15") return confirm(ConfirmationKind::kInvalidFormat);
  if (c == "05") return refuse(RefusalKind::kQuotaExhausted);

  const std::string t = normaliseText(text);
  // Parameter refusals first: "User ID non aktif" and "Instansi tidak aktif" must not be
  // mistaken for the NIK's "Status Non Aktif".
  if (has(t, "login gagal") || has(t, "gagal login")) return refuse(RefusalKind::kLoginFailed);
  if (has(t, "kuota")) return refuse(RefusalKind::kQuotaExhausted);
  if (has(t, "instansi") && (has(t, "tidak aktif") || has(t, "non aktif") || has(t, "nonaktif")))
    return refuse(RefusalKind::kAgencyInactive);
  if (has(t, "user") && (has(t, "non aktif") || has(t, "nonaktif") || has(t, "tidak aktif")))
    return refuse(RefusalKind::kUserInactive);
  if ((has(t, "ip address") || has(t, " ip ") || t.rfind("ip ", 0) == 0) &&
      has(t, "tidak sesuai") && !has(t, "format"))
    return refuse(RefusalKind::kIpMismatch);
  if (has(t, "meninggal")) return confirm(ConfirmationKind::kDeceased);
  if (has(t, "ganda")) return confirm(ConfirmationKind::kDuplicate);
  if (has(t, "status non aktif") || has(t, "status nonaktif") || has(t, "status tidak aktif"))
    return confirm(ConfirmationKind::kInactive);
  if (has(t, "tidak sesuai format")) return confirm(ConfirmationKind::kInvalidFormat);
  if (has(t, "tidak terdapat") || has(t, "tidak ditemukan"))
    return confirm(ConfirmationKind::kNotFound);
  return std::nullopt;
}

CallNikResult parseCallNikResponse(std::string_view body) {
  if (body.size() > kMaxBody)
    return badBody("body of " + std::to_string(body.size()) + " bytes exceeds the " +
                   std::to_string(kMaxBody) + "-byte limit");
  json::Value root;
  std::string error;
  if (!json::parse(body, root, error)) return badBody("body is not JSON: " + error);
  if (root.type != json::Value::Type::kObject)
    return badBody(std::string("body is ") + json::typeName(root.type) + ", expected an object");
  const json::Value* content = root.findCaseless("content");
  if (content == nullptr) return badBody("body has no 'content'");
  if (content->type != json::Value::Type::kArray)
    return badBody(std::string("'content' is ") + json::typeName(content->type) +
                   ", expected an array");
  if (content->items.empty()) return badBody("'content' is an empty array");
  const json::Value& record = content->items[0];
  if (record.type != json::Value::Type::kObject)
    return badBody(std::string("content[0] is ") + json::typeName(record.type) +
                   ", expected an object");

  const json::Value* respon = record.findCaseless("RESPON");
  if (respon == nullptr) respon = record.findCaseless("RESPONSE");
  // A data record that also carries an empty or null RESPON is data, not a refusal.
  if (respon != nullptr && record.findCaseless("NIK") != nullptr &&
      (respon->type == json::Value::Type::kNull ||
       (respon->type == json::Value::Type::kString && normaliseText(respon->text).empty())))
    respon = nullptr;
  if (respon != nullptr) {
    if (respon->type != json::Value::Type::kString)
      return badBody(std::string("content[0].RESPON is ") + json::typeName(respon->type) +
                     ", expected a string");
    std::string code;
    if (const json::Value* rc = record.findCaseless("RESPONSE_CODE")) {
      if (rc->type == json::Value::Type::kString) code = rc->text;
      else if (rc->type == json::Value::Type::kNumber) code = json::normaliseNumber(rc->text);
      else if (rc->type != json::Value::Type::kNull)
        return badBody(std::string("content[0].RESPONSE_CODE is ") + json::typeName(rc->type));
    }
    auto classified = classifyRespon(respon->text, code);
    if (!classified)
      return badBody("content[0].RESPON is not a known registry text (" +
                     std::to_string(respon->text.size()) + " characters" +
                     (code.empty() ? "" : ", RESPONSE_CODE " + normaliseCode(code).substr(0, 8)) +
                     ")");
    if (auto* c = std::get_if<Confirmation>(&*classified)) return *c;
    return std::get<ParameterRefusal>(*classified);
  }

  if (record.findCaseless("NIK") == nullptr)
    return badBody("content[0] has neither NIK nor RESPON");
  Found found;
  for (const auto& [key, v] : record.members) {
    switch (v.type) {
      case json::Value::Type::kString: found.fields[key] = v.text; break;
      case json::Value::Type::kNumber: found.fields[key] = json::normaliseNumber(v.text); break;
      case json::Value::Type::kNull: found.fields[key] = ""; break;
      case json::Value::Type::kBool: found.fields[key] = v.boolean ? "true" : "false"; break;
      default:
        // Key names are the registry's field names, never personal data.
        return badBody("content[0]." + key.substr(0, 64) + " is " + json::typeName(v.type) +
                       ", expected a scalar");
    }
  }
  if (const json::Value* q = root.findCaseless("quotaLimiter")) {
    if (q->type == json::Value::Type::kNumber) {
      std::string n = json::normaliseNumber(q->text);
      try {
        size_t used = 0;
        long v = std::stol(n, &used);
        if (used == n.size()) found.quotaRemaining = v;
      } catch (...) {
        // Out of range or not an integer: treated as absent; the data is still valid.
      }
    }
  }
  return found;
}

}  // namespace gerbang::portal
