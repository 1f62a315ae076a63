// The counter check of the juknis flowchart, shared by the agreement plugins' screen routes
// (header-only, standard library only): the officer types the applicant's NIK, the service
// reference and what the documents say; the host looks the NIK up through its compliance
// pipeline (host.lookup); the plugin compares the documents with the registry's permitted
// fields and answers Sesuai / Tidak Sesuai per field WITHOUT the registry's values; when
// the person was found and nothing differs, the service's data balikan is recorded
// through the host (host.submitBalikan), which closes the person's obligation.
//
// The answer (docs/sdk.md, "Screen routes"):
//   {"outcome": <lookup outcome>, "message": <Indonesian>, "quota_remaining": n|null,
//    "pemeriksaan": [{"field", "label", "result": "sesuai"|"tidak_sesuai"|"tidak_tersedia"}],
//    "sesuai": bool, "balikan": {"status": "accepted"|"not_recorded"|"refused"|"error",
//    "message", ...}, <extra members the plugin adds>}
#pragma once

#include <gerbang/sdk/plugin.hpp>

#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugin_json.hpp"

namespace gerbang::plugins {

// Reads a JSON document into "path" → scalar text: {"a":{"b":"x"},"c":[1]} gives "a.b" = "x"
// and "c.0" = "1"; strings unescaped, numbers and true/false/null as written. Returns
// nullopt on malformed JSON. Enough for the host's lookup answer; not a general parser.
inline std::optional<std::map<std::string, std::string>> flattenJson(std::string_view s) {
  std::map<std::string, std::string> out;
  size_t i = 0;
  auto ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  };
  auto utf8 = [](std::string& o, std::uint32_t cp) {
    if (cp < 0x80) {
      o += char(cp);
    } else if (cp < 0x800) {
      o += char(0xC0 | (cp >> 6));
      o += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      o += char(0xE0 | (cp >> 12));
      o += char(0x80 | ((cp >> 6) & 0x3F));
      o += char(0x80 | (cp & 0x3F));
    } else {
      o += char(0xF0 | (cp >> 18));
      o += char(0x80 | ((cp >> 12) & 0x3F));
      o += char(0x80 | ((cp >> 6) & 0x3F));
      o += char(0x80 | (cp & 0x3F));
    }
  };
  auto hex4 = [&](std::uint32_t& v) {
    if (i + 4 > s.size()) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s[i++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= std::uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f') v |= std::uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= std::uint32_t(c - 'A' + 10);
      else return false;
    }
    return true;
  };
  auto str = [&](std::string& o) {
    if (i >= s.size() || s[i] != '"') return false;
    ++i;
    while (i < s.size() && s[i] != '"') {
      char c = s[i++];
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        o += c;
        continue;
      }
      if (i >= s.size()) return false;
      char e = s[i++];
      switch (e) {
        case '"': o += '"'; break;
        case '\\': o += '\\'; break;
        case '/': o += '/'; break;
        case 'b': o += '\b'; break;
        case 'f': o += '\f'; break;
        case 'n': o += '\n'; break;
        case 'r': o += '\r'; break;
        case 't': o += '\t'; break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t lo = 0;
            if (i + 2 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return false;
            i += 2;
            if (!hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          utf8(o, cp);
          break;
        }
        default: return false;
      }
    }
    if (i >= s.size()) return false;
    ++i;
    return true;
  };
  // Depth-limited recursion: the host's answers are two levels deep.
  auto value = [&](auto& self, const std::string& path, int depth) -> bool {
    if (depth > 16) return false;
    ws();
    if (i >= s.size()) return false;
    const std::string prefix = path.empty() ? "" : path + ".";
    if (s[i] == '{' || s[i] == '[') {
      const bool object = s[i] == '{';
      const char close = object ? '}' : ']';
      ++i;
      ws();
      if (i < s.size() && s[i] == close) {
        ++i;
        return true;
      }
      for (size_t n = 0;; ++n) {
        ws();
        std::string key = std::to_string(n);
        if (object) {
          key.clear();
          if (!str(key)) return false;
          ws();
          if (i >= s.size() || s[i] != ':') return false;
          ++i;
        }
        if (!self(self, prefix + key, depth + 1)) return false;
        ws();
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == close) {
          ++i;
          return true;
        }
        return false;
      }
    }
    if (s[i] == '"') {
      std::string v;
      if (!str(v)) return false;
      out[path] = std::move(v);
      return true;
    }
    size_t start = i;
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
           s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
      ++i;
    if (i == start) return false;
    out[path] = std::string(s.substr(start, i - start));
    return true;
  };
  if (!value(value, "", 0)) return std::nullopt;
  ws();
  if (i != s.size()) return std::nullopt;
  return out;
}

// A field of the applicant's documents a screen may carry, and the registry element it is
// compared with (the element must be one the agreement permits, or the result is
// "tidak_tersedia": the host never hands the plugin a field outside the agreement).
struct DocumentField {
  const char* name;     // the screen field / request body key
  const char* element;  // the registry field
  const char* label;    // Indonesian, for the operator
  bool isDate;
};
inline constexpr DocumentField kDocumentFields[] = {
    {"nama_lengkap", "NAMA_LGKP", "Nama lengkap", false},
    {"tempat_lahir", "TMPT_LHR", "Tempat lahir", false},
    {"tanggal_lahir", "TGL_LHR", "Tanggal lahir", true},
};

// Upper case (ASCII), runs of spaces collapsed, trimmed; dates "YYYY-MM-DD" (a date input)
// and "DD/MM/YYYY" as the registry's "DD-MM-YYYY".
inline std::string normaliseDocumentValue(std::string_view v, bool isDate) {
  std::string out;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += char(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (isDate) {
    if (out.size() == 10 && out[4] == '-' && out[7] == '-')
      return out.substr(8, 2) + "-" + out.substr(5, 2) + "-" + out.substr(0, 4);
    if (out.size() == 10 && out[2] == '/' && out[5] == '/')
      return out.substr(0, 2) + "-" + out.substr(3, 2) + "-" + out.substr(6, 4);
  }
  return out;
}

// A request body of a counter-check route: a flat JSON object of strings whose keys are
// all in `allowed` (plus the document fields). On failure *error is the Indonesian reason.
inline std::optional<std::map<std::string, std::string>> counterCheckBody(
    std::string_view body, const std::vector<std::string>& allowed, std::string* error) {
  std::string why;
  auto obj = parseFlatObject(body, &why);
  if (!obj) {
    *error = "Isi permintaan tidak sah: " + why;
    return std::nullopt;
  }
  for (const auto& [key, value] : *obj) {
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    for (const DocumentField& f : kDocumentFields) known = known || key == f.name;
    if (!known) {
      *error = "Field '" + key.substr(0, 40) + "' tidak dikenal pada rute ini";
      return std::nullopt;
    }
    if (value.size() > 255) {
      *error = "Field '" + key + "' lebih dari 255 karakter";
      return std::nullopt;
    }
  }
  return obj;
}

// A 400 answer naming the first of `required` that is missing or empty in `body`.
inline std::optional<sdk::RouteResponse> missingField(const std::map<std::string, std::string>& body,
                                                      std::initializer_list<const char*> required) {
  for (const char* name : required) {
    auto it = body.find(name);
    if (it == body.end() || it->second.empty())
      return sdk::RouteResponse{400, jsonMessage(std::string("Field '") + name + "' wajib diisi")};
  }
  return std::nullopt;
}

inline std::string_view valueOf(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? std::string_view{} : std::string_view(it->second);
}

// Runs the counter check for one applicant: lookup as the request's operator with
// `purposeRef`, compare `body`'s document fields, and when found and all match record
// `balikan` (the record without its NIK, empty values dropped). `extra` is appended to
// the answer object (",\"key\":value..." or ""). Returns the route's response.
inline sdk::RouteResponse runCounterCheck(const sdk::Host& host, const sdk::RouteRequest& req,
                                          const std::string& nik, const std::string& purposeRef,
                                          const std::map<std::string, std::string>& body,
                                          sdk::Fields balikan, const std::string& extra) {
  std::optional<std::string> result = host.lookup(req.operatorId, nik, purposeRef);
  if (!result) return {503, jsonMessage("Pemeriksaan data kependudukan tidak tersedia")};
  auto answer = flattenJson(*result);
  if (!answer) return {502, jsonMessage("Jawaban pemeriksaan dari host tidak dapat dibaca")};
  auto get = [&](const std::string& k) {
    auto it = answer->find(k);
    return it == answer->end() ? std::string() : it->second;
  };
  const std::string outcome = get("outcome");
  std::string checks;
  bool anyDiffers = false;
  for (const DocumentField& f : kDocumentFields) {
    std::string_view typed = valueOf(body, f.name);
    if (normaliseDocumentValue(typed, f.isDate).empty()) continue;
    auto reg = answer->find(std::string("data.") + f.element);
    std::string verdict = "tidak_tersedia";
    if (reg != answer->end())
      verdict = normaliseDocumentValue(typed, f.isDate) == normaliseDocumentValue(reg->second, f.isDate)
                    ? "sesuai"
                    : "tidak_sesuai";
    anyDiffers = anyDiffers || verdict == "tidak_sesuai";
    checks += std::string(checks.empty() ? "" : ",") + "{\"field\":" + jsonString(f.element) +
              ",\"label\":" + jsonString(f.label) + ",\"result\":\"" + verdict + "\"}";
  }
  const bool matches = outcome == "found" && !anyDiffers;
  std::string balikanJson;
  if (!matches) {
    // Juknis flowchart: not found or not matching → the applicant corrects the documents
    // and the check repeats; nothing is returned to the registry yet.
    balikanJson = "{\"status\":\"not_recorded\",\"message\":" +
                  jsonString(outcome == "found"
                                 ? "Data balikan belum dicatat: dokumen pemohon tidak sesuai"
                                 : "Data balikan tidak dicatat: data kependudukan tidak ditemukan "
                                   "atau pemeriksaan ditolak") +
                  "}";
  } else {
    for (auto it = balikan.begin(); it != balikan.end();)
      it = it->second.empty() ? balikan.erase(it) : std::next(it);
    balikan["nik"] = nik;
    sdk::Host::Answer a = host.submitBalikan(balikan);
    if (a.ok()) {
      balikanJson = "{\"status\":\"accepted\",\"message\":" +
                    jsonString("Data balikan dicatat dan akan dikirim ke Dukcapil") +
                    ",\"host\":" + (a.json.empty() ? "null" : a.json) + "}";
    } else if (a.status == GERBANG_INVALID) {
      balikanJson = "{\"status\":\"refused\",\"message\":" +
                    jsonString("Data balikan ditolak; perbaiki isian lalu periksa lagi") +
                    ",\"host\":" + (a.json.empty() ? "null" : a.json) + "}";
    } else {
      balikanJson = "{\"status\":\"error\",\"message\":" +
                    jsonString("Data balikan belum dapat dicatat; coba lagi") + "}";
    }
  }
  std::string quota = get("quota_remaining");
  if (quota.empty() || quota.find_first_not_of("0123456789") != std::string::npos) quota = "null";
  return {200, "{\"outcome\":" + jsonString(outcome) + ",\"message\":" +
                   jsonString(get("message")) + ",\"quota_remaining\":" + quota +
                   ",\"pemeriksaan\":[" + checks + "],\"sesuai\":" + (matches ? "true" : "false") +
                   ",\"balikan\":" + balikanJson + extra + "}"};
}

}  // namespace gerbang::plugins
