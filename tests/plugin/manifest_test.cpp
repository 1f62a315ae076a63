// parseManifest(): one valid base manifest (the fixture plugins' base.json), then one defect
// at a time, each with the JSON path and reason an author must see.
#include "core/plugin/manifest.hpp"

#include "tests/support/support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace gerbang::plugin {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string baseManifest() {
  return readFile(testing::sourceDir() / "tests/fixtures/plugins/manifests/base.json");
}

// base.json with `from` replaced by `to`; fails the test if `from` is not there (a stale
// case would otherwise pass without testing anything).
std::string edited(const std::string& from, const std::string& to) {
  std::string s = baseManifest();
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "base.json has no " << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(ManifestTest, BaseManifestParsesWithDefaults) {
  Result<Manifest> m = parseManifest(baseManifest());
  ASSERT_TRUE(m.ok()) << m.error().detail;
  EXPECT_EQ(m->schemaVersion, 1);
  EXPECT_EQ(m->agencyId, "fixture-base");
  EXPECT_EQ(m->shortName, "Dinas Contoh");
  ASSERT_EQ(m->parties.size(), 2u);
  EXPECT_EQ(m->parties[0].role, "pihak_kesatu");
  EXPECT_EQ(m->pksNumbers, std::vector<std::string>{"000/0001/FIKTIF/2025"});
  EXPECT_EQ(m->approvalLetter.number, "000/0003/Dukcapil");
  EXPECT_EQ(m->approvalLetter.date, Date(2025, 1, 10));
  EXPECT_EQ(m->signedOn, Date(2025, 2, 1));
  EXPECT_EQ(m->start, m->signedOn);  // start defaults to the signing day
  EXPECT_EQ(m->end, Date(2027, 2, 1));
  EXPECT_EQ(m->extensionNoticeDays, 60);
  EXPECT_EQ(m->elements, (std::vector<std::string>{"NIK", "NAMA_LGKP", "TGL_LHR", "ALAMAT"}));
  EXPECT_EQ(m->addressParts, (std::vector<std::string>{"ALAMAT", "KEC_NAME"}));
  EXPECT_EQ(m->quota.perDay, 50);
  EXPECT_EQ(m->quota.userIds, 1);
  EXPECT_FALSE(m->quota.unlimitedAfterPoc);
  EXPECT_EQ(m->purposeReference.pattern, "^LAY-[0-9]{6}$");
  ASSERT_EQ(m->balikan.fields.size(), 3u);
  EXPECT_EQ(m->balikan.fields[0].type, BalikanField::Type::kNik);
  EXPECT_TRUE(m->balikan.fields[0].required);
  EXPECT_EQ(m->balikan.fields[1].type, BalikanField::Type::kEnum);
  EXPECT_EQ(m->balikan.fields[1].values, (std::vector<std::string>{"diproses", "ditempatkan"}));
  EXPECT_EQ(m->balikan.fields[2].maxLength, 100);
  EXPECT_FALSE(m->balikan.fields[2].required);
  EXPECT_EQ(m->balikan.methods, (std::vector<std::string>{"web_service", "csv_upload"}));
  EXPECT_EQ(m->balikan.dueDays, 30);
  EXPECT_TRUE(m->reports.semester);
  EXPECT_EQ(m->timeZone, "Asia/Jakarta");
  EXPECT_EQ(m->patternGuard.window, 50);
  EXPECT_EQ(m->patternGuard.minIntervalSeconds, 5);
  ASSERT_EQ(m->routes.size(), 3u);
  EXPECT_EQ(m->routes[0].path, "ringkasan/{nomor}");
  EXPECT_EQ(m->routes[1].roles, (std::vector<std::string>{"operator", "supervisor"}));
}

TEST(ManifestTest, OptionalSectionsAreRead) {
  std::string json = edited("\"routes\": [", R"("start": "2025-03-01",
  "extension_notice_days": 90,
  "reports": {"semester": true, "deadline_working_days": 10, "channels": ["hard_copy", "email"],
              "recipient": "Dinas Kependudukan Kabupaten Fiktif"},
  "time_zone": "Asia/Jakarta",
  "pattern_guard": {"window": 80, "serial_distance": 20, "progression_length": 4,
                    "prefix_run_length": 6, "prefix_length": 12, "min_interval_seconds": 7,
                    "burst_per_minute": 5, "repeat_same_person_per_day": 2,
                    "operators_same_person_per_day": 3},
  "duties": ["SPTJM ditandatangani kepala dinas"],
  "screens": [{"id": "periksa", "title": "Pemeriksaan", "feeds": "lookup+balikan",
               "fields": [{"name": "jenis", "label": "Jenis", "type": "select", "required": true,
                           "options": ["a", "b"]},
                          {"name": "nomor", "label": "Nomor", "type": "text",
                           "pattern": "^LAY-[0-9]{6}$"}]}],
  "notes": "catatan",
  "routes": [)");
  Result<Manifest> m = parseManifest(json);
  ASSERT_TRUE(m.ok()) << m.error().detail;
  EXPECT_EQ(m->start, Date(2025, 3, 1));
  EXPECT_EQ(m->extensionNoticeDays, 90);
  EXPECT_EQ(m->reports.deadlineWorkingDays, 10);
  EXPECT_EQ(m->reports.channels, (std::vector<std::string>{"hard_copy", "email"}));
  EXPECT_EQ(m->reports.recipient, "Dinas Kependudukan Kabupaten Fiktif");
  EXPECT_EQ(m->patternGuard.window, 80);
  EXPECT_EQ(m->patternGuard.serialDistance, 20);
  EXPECT_EQ(m->patternGuard.progressionLength, 4);
  EXPECT_EQ(m->patternGuard.prefixRunLength, 6);
  EXPECT_EQ(m->patternGuard.prefixLength, 12);
  EXPECT_EQ(m->patternGuard.minIntervalSeconds, 7);
  EXPECT_EQ(m->patternGuard.burstPerMinute, 5);
  EXPECT_EQ(m->patternGuard.repeatSamePersonPerDay, 2);
  EXPECT_EQ(m->patternGuard.operatorsSamePersonPerDay, 3);
  EXPECT_EQ(m->duties, std::vector<std::string>{"SPTJM ditandatangani kepala dinas"});
  ASSERT_EQ(m->screens.size(), 1u);
  EXPECT_EQ(m->screens[0].feeds, "lookup+balikan");
  ASSERT_EQ(m->screens[0].fields.size(), 2u);
  EXPECT_EQ(m->screens[0].fields[0].options, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(m->screens[0].fields[0].required);
  EXPECT_EQ(m->screens[0].fields[1].pattern, "^LAY-[0-9]{6}$");
  EXPECT_EQ(m->notes, "catatan");
}

TEST(ManifestTest, UnlimitedQuotaMustBeSaidExplicitly) {
  Result<Manifest> m =
      parseManifest(edited("\"per_day\": 50", "\"per_day\": null, \"unlimited\": true"));
  ASSERT_TRUE(m.ok()) << m.error().detail;
  EXPECT_FALSE(m->quota.perDay.has_value());

  m = parseManifest(edited("\"per_day\": 50", "\"per_day\": 200, \"unlimited_after_poc\": true"));
  ASSERT_TRUE(m.ok()) << m.error().detail;
  EXPECT_EQ(m->quota.perDay, 200);
  EXPECT_TRUE(m->quota.unlimitedAfterPoc);
}

// The manifests the product ships (plugins/*/manifest.json) must pass the same checks the
// loader applies, or those plugins would be refused at startup.
TEST(ManifestTest, ShippedAgreementManifestsAreValid) {
  auto dir = testing::sourceDir() / "plugins";
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    auto mf = e.path() / "manifest.json";
    if (!std::filesystem::exists(mf)) continue;
    Result<Manifest> m = parseManifest(readFile(mf));
    EXPECT_TRUE(m.ok()) << mf << ": " << (m.ok() ? "" : m.error().detail);
    if (m.ok()) {
      EXPECT_EQ(m->agencyId, e.path().filename().string());
    }
    ++n;
  }
  EXPECT_GE(n, 1) << "no plugins/*/manifest.json found under " << dir;
}

// The complete example in docs/manifest.md is what authors copy; it must stay valid.
TEST(ManifestTest, DocumentedExampleIsValid) {
  std::string doc = readFile(testing::sourceDir() / "docs/manifest.md");
  auto open = doc.find("```json\n");
  ASSERT_NE(open, std::string::npos);
  auto close = doc.find("```", open + 8);
  ASSERT_NE(close, std::string::npos);
  Result<Manifest> m = parseManifest(doc.substr(open + 8, close - open - 8));
  ASSERT_TRUE(m.ok()) << m.error().detail;
  EXPECT_EQ(m->agencyId, "contoh-disnaker");
  EXPECT_EQ(m->patternGuard.minIntervalSeconds, 10);
  EXPECT_EQ(m->patternGuard.window, 50);  // absent keys keep the host default
}

struct BadCase {
  const char* name;
  const char* from;
  const char* to;
  const char* detail;  // expected prefix of Error::detail
};

// Shown by gtest instead of the struct's bytes.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class ManifestRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(ManifestRejects, NamesPathAndReason) {
  const BadCase& c = GetParam();
  Result<Manifest> m = parseManifest(edited(c.from, c.to));
  ASSERT_FALSE(m.ok()) << "accepted: " << c.name;
  EXPECT_EQ(m.error().code, "manifest_invalid");
  EXPECT_FALSE(m.error().message.empty());
  EXPECT_THAT(m.error().detail, StartsWith(c.detail));
}

const BadCase kBadCases[] = {
    // Structure and types.
    {"unknown_top_key", "\"schema_version\": 1,", "\"schema_version\": 1, \"agama\": true,",
     "agama: unknown key"},
    {"unknown_nested_key", "\"name\": \"Dinas Contoh Kabupaten Fiktif\"}",
     "\"name\": \"Dinas Contoh Kabupaten Fiktif\", \"nip\": \"x\"}", "parties[1].nip: unknown key"},
    {"schema_version_2", "\"schema_version\": 1", "\"schema_version\": 2",
     "schema_version: unsupported version 2 (this host reads version 1)"},
    {"schema_version_string", "\"schema_version\": 1", "\"schema_version\": \"1\"",
     "schema_version: must be an integer, not a string"},
    {"schema_version_missing", "\"schema_version\": 1,", "",
     "schema_version: required key is missing"},
    {"agency_id_pattern", "\"agency_id\": \"fixture-base\"", "\"agency_id\": \"Fixture_Base\"",
     "agency_id: 'Fixture_Base' must match [a-z0-9-]+"},
    {"agency_name_empty", "\"agency_name\": \"Dinas Contoh Kabupaten Fiktif\"",
     "\"agency_name\": \"  \"", "agency_name: must not be empty"},
    {"agency_name_missing", "\"agency_name\": \"Dinas Contoh Kabupaten Fiktif\",", "",
     "agency_name: required key is missing"},
    {"short_name_number", "\"short_name\": \"Dinas Contoh\"", "\"short_name\": 7",
     "short_name: must be a string, not a number"},
    {"party_role", "\"role\": \"pihak_kedua\"", "\"role\": \"pihak_ketiga\"",
     "parties[1].role: unknown role 'pihak_ketiga'"},
    {"party_missing_agency", "\"role\": \"pihak_kedua\"", "\"role\": \"pihak_kesatu\"",
     "parties: no party with role 'pihak_kedua'"},
    {"pks_numbers_empty", "[\"000/0001/FIKTIF/2025\"]", "[]", "pks_numbers: must not be empty"},
    {"pks_numbers_not_array", "[\"000/0001/FIKTIF/2025\"]", "\"000/0001/FIKTIF/2025\"",
     "pks_numbers: must be an array, not a string"},
    // Dates and term.
    {"approval_date_unreal", "\"date\": \"2025-01-10\"", "\"date\": \"2025-02-30\"",
     "approval_letter.date: '2025-02-30' is not a real date in YYYY-MM-DD form"},
    {"signed_dmy", "\"signed\": \"2025-02-01\"", "\"signed\": \"01-02-2025\"",
     "signed: '01-02-2025' is not a real date"},
    {"end_before_start", "\"end\": \"2027-02-01\"", "\"end\": \"2024-12-31\"",
     "end: 2024-12-31 is not after start 2025-02-01"},
    {"end_equals_start", "\"end\": \"2027-02-01\"", "\"end\": \"2025-02-01\"",
     "end: 2025-02-01 is not after start 2025-02-01"},
    {"start_before_signed", "\"end\": \"2027-02-01\"",
     "\"start\": \"2025-01-01\", \"end\": \"2027-02-01\"",
     "start: 2025-01-01 is before signed 2025-02-01"},
    {"extension_notice_zero", "\"end\": \"2027-02-01\"",
     "\"end\": \"2027-02-01\", \"extension_notice_days\": 0",
     "extension_notice_days: must be between 1 and 366, not 0"},
    // Elements and address parts (rule 1).
    {"unknown_element", "\"TGL_LHR\", \"ALAMAT\"]", "\"TGL_LHR\", \"ALAMAT\", \"AGAMA\"]",
     "elements[4]: unknown element 'AGAMA'"},
    {"duplicate_element", "\"TGL_LHR\", \"ALAMAT\"]", "\"TGL_LHR\", \"ALAMAT\", \"NIK\"]",
     "elements[4]: duplicate 'NIK'"},
    {"element_lowercase", "\"NAMA_LGKP\"", "\"nama_lgkp\"", "elements[1]: unknown element"},
    {"no_nik", "[\"NIK\", \"NAMA_LGKP\"", "[\"NAMA_LGKP\"", "elements: must include 'NIK'"},
    {"address_without_alamat", "\"TGL_LHR\", \"ALAMAT\"]", "\"TGL_LHR\"]",
     "address_parts: given but 'ALAMAT' is not a permitted element"},
    {"unknown_address_part", "\"KEC_NAME\"]", "\"RT\"]",
     "address_parts[1]: unknown address part 'RT'"},
    {"access_method", "[\"web_portal\"]", "[\"internet\"]",
     "access_methods[0]: unknown access method 'internet'"},
    {"access_methods_empty", "[\"web_portal\"]", "[]", "access_methods: must not be empty"},
    // Quota.
    {"quota_zero", "\"per_day\": 50", "\"per_day\": 0",
     "quota.per_day: must be a positive integer (or null with \"unlimited\": true), not 0"},
    {"quota_negative", "\"per_day\": 50", "\"per_day\": -5",
     "quota.per_day: must be a positive integer (or null with \"unlimited\": true), not -5"},
    {"quota_fraction", "\"per_day\": 50", "\"per_day\": 50.5",
     "quota.per_day: must be a positive integer, not a number"},
    {"quota_null_silently", "\"per_day\": 50", "\"per_day\": null",
     "quota.per_day: null is only allowed together with \"unlimited\": true"},
    {"quota_missing", "{\"per_day\": 50}", "{\"user_ids\": 1}",
     "quota.per_day: required key is missing"},
    {"quota_contradiction", "\"per_day\": 50", "\"per_day\": 50, \"unlimited\": true",
     "quota.unlimited: true while per_day gives a limit"},
    {"quota_user_ids_zero", "\"per_day\": 50", "\"per_day\": 50, \"user_ids\": 0",
     "quota.user_ids: must be between 1 and 10000, not 0"},
    {"quota_poc_bool", "\"per_day\": 50", "\"per_day\": 50, \"unlimited_after_poc\": 1",
     "quota.unlimited_after_poc: must be true or false, not a number"},
    // Purpose reference.
    {"purpose_pattern_broken", "\"pattern\": \"^LAY-[0-9]{6}$\"", "\"pattern\": \"^LAY-[0-9\"",
     "purpose_reference.pattern: pattern '^LAY-[0-9' does not compile"},
    {"purpose_example_mismatch", "\"example\": \"LAY-000123\"", "\"example\": \"LAY-12\"",
     "purpose_reference.example: 'LAY-12' does not match the pattern"},
    {"purpose_reference_missing", "\"purpose_reference\"", "\"purpose_ref\"",
     "purpose_ref: unknown key"},
    // Balikan (rule 5).
    {"balikan_type", "\"type\": \"string\"", "\"type\": \"boolean\"",
     "balikan.fields[2].type: unknown type 'boolean'"},
    {"balikan_enum_no_values", ", \"values\": [\"diproses\", \"ditempatkan\"]", "",
     "balikan.fields[1].values: required key is missing"},
    {"balikan_enum_empty_values", "[\"diproses\", \"ditempatkan\"]", "[]",
     "balikan.fields[1].values: must not be empty"},
    {"balikan_values_on_string", "\"max_length\": 100", "\"values\": [\"a\"]",
     "balikan.fields[2].values: only allowed for type 'enum'"},
    {"balikan_duplicate_name", "{\"name\": \"perusahaan\"", "{\"name\": \"nik\"",
     "balikan.fields[2].name: duplicate field 'nik'"},
    {"balikan_name_header", "{\"name\": \"perusahaan\"", "{\"name\": \"Nama Perusahaan\"",
     "balikan.fields[2].name: 'Nama Perusahaan' must match [a-z][a-z0-9_]*"},
    {"balikan_pattern_broken", "\"max_length\": 100", "\"pattern\": \"(unclosed\"",
     "balikan.fields[2].pattern: pattern '(unclosed' does not compile"},
    {"balikan_max_length_zero", "\"max_length\": 100", "\"max_length\": 0",
     "balikan.fields[2].max_length: must be between 1 and 4096, not 0"},
    {"balikan_method", "[\"web_service\", \"csv_upload\"]", "[\"web_service\", \"fax\"]",
     "balikan.methods[1]: unknown method 'fax'"},
    {"balikan_methods_missing", ",\n    \"methods\": [\"web_service\", \"csv_upload\"]", "",
     "balikan.methods: required key is missing"},
    // Time zone, pattern guard.
    {"time_zone", "\"routes\": [", "\"time_zone\": \"Asia/Makassar\", \"routes\": [",
     "time_zone: unsupported time zone 'Asia/Makassar'"},
    {"guard_zero", "\"routes\": [", "\"pattern_guard\": {\"window\": 0}, \"routes\": [",
     "pattern_guard.window: must be between 1 and 10000, not 0"},
    {"guard_unknown", "\"routes\": [", "\"pattern_guard\": {\"windows\": 5}, \"routes\": [",
     "pattern_guard.windows: unknown key"},
    {"guard_window_too_small", "\"routes\": [",
     "\"pattern_guard\": {\"window\": 2, \"progression_length\": 3}, \"routes\": [",
     "pattern_guard.window: smaller than progression_length"},
    // Screens and routes.
    {"screen_select_options", "\"routes\": [",
     "\"screens\": [{\"id\": \"s\", \"title\": \"S\", \"feeds\": \"lookup\", \"fields\": "
     "[{\"name\": \"jenis\", \"label\": \"Jenis\", \"type\": \"select\"}]}], \"routes\": [",
     "screens[0].fields[0].options: required key is missing"},
    {"screen_feeds", "\"routes\": [",
     "\"screens\": [{\"id\": \"s\", \"title\": \"S\", \"feeds\": \"report\", \"fields\": "
     "[{\"name\": \"a\", \"label\": \"A\", \"type\": \"text\"}]}], \"routes\": [",
     "screens[0].feeds: unknown value 'report'"},
    {"route_absolute", "\"path\": \"cek\"", "\"path\": \"/cek\"",
     "routes[1].path: '/cek' must be relative"},
    {"route_dotdot", "\"path\": \"cek\"", "\"path\": \"../admin\"",
     "routes[1].path: '../admin' must not contain '.' or '..' segments"},
    {"route_empty_segment", "\"path\": \"cek\"", "\"path\": \"cek//x\"",
     "routes[1].path: 'cek//x' has an empty segment"},
    {"route_method", "\"method\": \"POST\"", "\"method\": \"TRACE\"",
     "routes[1].method: unknown method 'TRACE'"},
    {"route_role", "[\"operator\", \"supervisor\"]", "[\"operator\", \"root\"]",
     "routes[1].roles[1]: unknown role 'root'"},
    {"route_roles_empty", "[\"admin\"]", "[]", "routes[2].roles: must not be empty"},
    {"route_duplicate_id", "{\"id\": \"gagal\"", "{\"id\": \"cek\"",
     "routes[2].id: duplicate route id 'cek'"},
    {"route_uses", "[\"admin\"]", "[\"admin\"], \"uses\": [\"lookup\", \"shell\"]",
     "routes[2].uses[1]: unknown service 'shell'"},
    {"screen_route_unknown", "\"routes\": [",
     "\"screens\": [{\"id\": \"s\", \"title\": \"S\", \"feeds\": \"lookup\", \"route\": \"x\", "
     "\"fields\": [{\"name\": \"a\", \"label\": \"A\", \"type\": \"text\"}]}], \"routes\": [",
     "screens[0].route: names no route of this manifest: 'x'"},
    {"screen_route_get", "\"routes\": [",
     "\"screens\": [{\"id\": \"s\", \"title\": \"S\", \"feeds\": \"lookup\", \"route\": "
     "\"ringkasan\", \"fields\": [{\"name\": \"a\", \"label\": \"A\", \"type\": \"text\"}]}], "
     "\"routes\": [",
     "screens[0].route: route 'ringkasan' is GET; a screen submits with POST"},
    // Not JSON, or ambiguous JSON.
    {"trailing_comma", "[\"web_portal\"]", "[\"web_portal\",]",
     "$: not valid JSON (near access_methods[0])"},
    {"duplicate_key", "\"short_name\": \"Dinas Contoh\",",
     "\"short_name\": \"Dinas Contoh\", \"short_name\": \"Lain\",",
     "$: not valid JSON (near short_name): duplicate key 'short_name'"},
    {"comment", "\"schema_version\": 1,", "\"schema_version\": 1, // versi\n", "$: not valid JSON"},
    {"truncated", "\"routes\": [", "\"routes\": [{", "$: not valid JSON"},
};

INSTANTIATE_TEST_SUITE_P(Cases, ManifestRejects, ::testing::ValuesIn(kBadCases),
                         [](const ::testing::TestParamInfo<BadCase>& i) {
                           return std::string(i.param.name);
                         });

TEST(ManifestTest, RejectsAnEmptyBalikanSchema) {
  std::string json = baseManifest();
  auto from = json.find("\"fields\": [");
  auto to = json.find("],", from);
  ASSERT_NE(to, std::string::npos);
  json.replace(from, to + 1 - from, "\"fields\": []");
  Result<Manifest> m = parseManifest(json);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().detail,
            "balikan.fields: must not be empty (the agreement requires data balikan)");
}

TEST(ManifestTest, RejectsDocumentsThatAreNotObjects) {
  for (const char* doc : {"", "   ", "[]", "\"manifest\"", "42", "null", "{} {}"}) {
    Result<Manifest> m = parseManifest(doc);
    ASSERT_FALSE(m.ok()) << doc;
    EXPECT_THAT(m.error().detail, StartsWith("$: ")) << doc;
  }
  EXPECT_THAT(parseManifest("[1]").error().detail, HasSubstr("must be a JSON object"));
  EXPECT_THAT(parseManifest("{}").error().detail,
              StartsWith("schema_version: required key is missing"));
}

TEST(ManifestTest, RejectsHostileInputWithoutCrashing) {
  EXPECT_THAT(parseManifest(std::string(100000, '[')).error().detail, StartsWith("$: "));
  EXPECT_THAT(parseManifest(std::string(2 << 20, ' ') + "{}").error().detail,
              HasSubstr("larger than"));
  std::string longPattern(kMaxPatternLength + 1, 'a');
  EXPECT_THAT(parseManifest(
                  edited("\"pattern\": \"^LAY-[0-9]{6}$\"", "\"pattern\": \"" + longPattern + "\""))
                  .error()
                  .detail,
              StartsWith("purpose_reference.pattern: pattern longer than 200 characters"));
  // Control characters in quoted values are escaped, not copied into logs.
  EXPECT_THAT(parseManifest(edited("\"access_methods\": [\"web_portal\"]",
                                   "\"access_methods\": [\"web\\u0007portal\"]"))
                  .error()
                  .detail,
              HasSubstr("'web\\x07portal'"));
}

TEST(ManifestTest, BalikanTypeNamesRoundTrip) {
  EXPECT_EQ(balikanTypeName(BalikanField::Type::kString), "string");
  EXPECT_EQ(balikanTypeName(BalikanField::Type::kInteger), "integer");
  EXPECT_EQ(balikanTypeName(BalikanField::Type::kDate), "date");
  EXPECT_EQ(balikanTypeName(BalikanField::Type::kEnum), "enum");
  EXPECT_EQ(balikanTypeName(BalikanField::Type::kNik), "nik");
}

}  // namespace
}  // namespace gerbang::plugin
