// The parsed, validated form of a plugin's manifest: what one agreement (PKS + juknis)
// allows. Everything the core enforces for an agreement comes from here, adjusted by any
// Adendum recorded in the store. The JSON schema is documented in docs/manifest.md.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::plugin {

// Registry field names an agreement may permit (the portal's record keys).
inline constexpr std::string_view kElements[] = {"NO_KK",        "NIK",         "NAMA_LGKP",
                                                 "TMPT_LHR",     "TGL_LHR",     "JENIS_KLMIN",
                                                 "STATUS_KAWIN", "JENIS_PKRJN", "ALAMAT"};
// Parts of "Alamat" an agreement may permit, when it permits ALAMAT.
inline constexpr std::string_view kAddressParts[] = {"ALAMAT",    "NO_RT",  "NO_RW",    "NO_PROP",
                                                     "PROP_NAME", "NO_KAB", "KAB_NAME", "NO_KEC",
                                                     "KEC_NAME",  "NO_KEL", "KEL_NAME", "KODE_POS"};
// Access methods ("metode akses").
inline constexpr std::string_view kAccessMethods[] = {"web_portal", "card_reader"};
// Balikan delivery methods.
inline constexpr std::string_view kBalikanMethods[] = {"web_service", "csv_upload", "xlsx_upload",
                                                       "online_form", "media"};
// Types of a balikan field, in manifest spelling (same order as BalikanField::Type).
inline constexpr std::string_view kBalikanFieldTypes[] = {"string", "integer", "date", "enum",
                                                          "nik"};
// Channels of the semester report ("laporan semester").
inline constexpr std::string_view kReportChannels[] = {"hard_copy", "email", "online_portal",
                                                       "manual"};
// What a plugin screen feeds: the lookup form, the balikan form, or both.
inline constexpr std::string_view kScreenFeeds[] = {"lookup", "balikan", "lookup+balikan"};
// Input types of a screen field the host knows how to render.
inline constexpr std::string_view kScreenFieldTypes[] = {"text", "textarea", "nik",
                                                         "date", "number",   "select"};
// HTTP methods a plugin route may declare.
inline constexpr std::string_view kRouteMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
// Host services a route may use while it runs (gerbang_host_v1.lookup, .submit_balikan).
inline constexpr std::string_view kRouteUses[] = {"lookup", "balikan"};
// Operator roles a route may be opened to.
inline constexpr std::string_view kRoles[] = {"operator", "supervisor", "admin", "evaluator"};
// The only time zone the host computes agreement and quota days in (WIB).
inline constexpr std::string_view kTimeZone = "Asia/Jakarta";
// Longest regular expression a manifest may carry (std::regex compiles recursively; a
// bounded pattern keeps a bad manifest from exhausting the stack).
inline constexpr std::size_t kMaxPatternLength = 200;

struct Party {
  std::string role;  // "pihak_kesatu" (registry) or "pihak_kedua" (using agency)
  std::string name;
};

struct Letter {
  std::string number;
  Date date;
};

// The service reference an operator must give with every lookup (e.g. AK-I register
// number): what the lookup is for. Rule 1: access only for the agreement's purpose.
struct PurposeReference {
  std::string label;    // Indonesian label shown to operators
  std::string pattern;  // ECMAScript regex the whole reference must match
  std::string example;  // a synthetic example that matches
};

struct QuotaPolicy {
  // Hits per calendar day (Asia/Jakarta) per User ID; nullopt = unlimited.
  std::optional<int> perDay;
  int userIds = 1;
  // The agreement lifts the limit once a passed PoC is recorded (Purbalingga juknis).
  bool unlimitedAfterPoc = false;
};

// One field of the data-balikan schema.
struct BalikanField {
  enum class Type { kString, kInteger, kDate, kEnum, kNik };
  std::string name;   // machine name, also the CSV/XLSX header and the JSON key
  std::string label;  // Indonesian label
  Type type = Type::kString;
  bool required = false;
  int maxLength = 0;                // 0 = no limit beyond the host's
  std::string pattern;              // ECMAScript regex, empty = none
  std::vector<std::string> values;  // for kEnum
};

struct BalikanPolicy {
  std::vector<BalikanField> fields;
  std::vector<std::string> methods;  // from kBalikanMethods
  int dueDays = 30;                  // an obligation is overdue this many days after access
};

struct ReportDuty {
  bool semester = true;               // S1 by June, S2 by December
  int deadlineWorkingDays = 0;        // after the semester ends; 0 = not stated
  std::vector<std::string> channels;  // "hard_copy", "email", "online_portal", ...
  std::string recipient;
};

// Thresholds of the anti-enumeration rule ("tidak boleh dilakukan dengan cara berurutan,
// berpola, dan dalam waktu yang berdekatan"). Defaults are the host's.
struct PatternGuardPolicy {
  int window = 50;                    // recent lookups remembered per operator / agreement
  int serialDistance = 10;            // same first 12 digits, serial within this = sequential
  int progressionLength = 3;          // this many NIKs in arithmetic progression = patterned
  int prefixRunLength = 5;            // this many lookups sharing a region+birth prefix = walk
  int prefixLength = 10;              // digits that make that prefix (PPKKCC + DDMM)
  int minIntervalSeconds = 5;         // between two lookups of one operator
  int burstPerMinute = 6;             // per operator
  int repeatSamePersonPerDay = 3;     // the same NIK looked up this often in a day is flagged
  int operatorsSamePersonPerDay = 2;  // ... or by this many operators
};

// A screen the plugin supplies: a form spec the host renders (issue: web app).
struct ScreenField {
  std::string name;
  std::string label;
  std::string type;  // "text", "nik", "date", "select", ...
  bool required = false;
  std::string pattern;
  std::vector<std::string> options;
};
struct Screen {
  std::string id;
  std::string title;
  std::string description;
  std::string feeds;  // "lookup", "balikan", "lookup+balikan"
  std::vector<ScreenField> fields;
  // The id of a POST route of this manifest the screen submits to (its fields as a JSON
  // object); empty = the host's own lookup endpoint.
  std::string route;
};

// A REST route under /api/v1/agencies/{agency_id}/... handled by the plugin.
struct Route {
  std::string id;
  std::string method;
  std::string path;  // relative, e.g. "ak1/applicants/{register}"
  std::vector<std::string> roles;
  // Host services the handler may call during the request (from kRouteUses). The host
  // refuses the others, and requires an operator with an NDA for "lookup" and "balikan".
  std::vector<std::string> uses;
};

struct Manifest {
  int schemaVersion = 1;
  std::string agencyId;    // unique, [a-z0-9-]+
  std::string agencyName;  // the using agency (Lembaga Pengguna)
  std::string shortName;   // for tables
  std::vector<Party> parties;
  std::vector<std::string> pksNumbers;
  std::vector<std::string> juknisNumbers;
  Letter approvalLetter;
  Date signedOn;  // the day the PKS was signed ("signed" in JSON; `signed` is a C++ keyword)
  Date start;     // first day access is allowed; defaults to signedOn
  Date end;       // last day of the term, before any Adendum
  int extensionNoticeDays = 60;  // "expiring" when this many days or fewer are left
  std::string purpose;
  std::vector<std::string> elements;      // from kElements
  std::vector<std::string> addressParts;  // from kAddressParts; empty unless ALAMAT permitted
  std::vector<std::string> accessMethods;
  QuotaPolicy quota;
  PurposeReference purposeReference;
  BalikanPolicy balikan;
  ReportDuty reports;
  std::string timeZone = "Asia/Jakarta";
  PatternGuardPolicy patternGuard;
  std::vector<std::string>
      duties;  // other obligations in plain words (reader per unit, ISO 27001...)
  std::vector<Screen> screens;
  std::vector<Route> routes;
  std::string notes;
};

// Parses and strictly validates a manifest. On failure the error's detail names the JSON
// path and the reason (e.g. "elements[3]: unknown element 'AGAMA'"). Never throws.
// The Error's code is "manifest_invalid".
Result<Manifest> parseManifest(std::string_view json);

// The manifest spelling of a balikan field type ("string", "integer", ...).
std::string_view balikanTypeName(BalikanField::Type type);

}  // namespace gerbang::plugin
