// Strict manifest validation. A manifest is the agreement as the plugin declares it; the
// core enforces exactly what it says, so anything unexpected (an unknown key, a wrong type,
// an element the registry does not know) is refused rather than guessed at. Every refusal
// names the JSON path and the reason, so the author of a plugin can fix it without reading
// this file. Manifests carry no personal data, so values are quoted in messages (shortened).
#include "core/plugin/manifest.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <limits>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace gerbang::plugin {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// Deep enough for every real manifest (they nest at most four levels), shallow enough that
// a hostile document cannot exhaust the stack.
constexpr std::size_t kMaxDepth = 32;
constexpr std::size_t kMaxManifestBytes = 1 << 20;
constexpr std::size_t kQuoteLimit = 60;

// Internal: the first problem found, as "path: reason". Never escapes parseManifest().
class Invalid : public std::exception {
 public:
  explicit Invalid(std::string detail) : detail_(std::move(detail)) {}
  const char* what() const noexcept override { return detail_.c_str(); }

 private:
  std::string detail_;
};

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw Invalid((path.empty() ? std::string("$") : path) + ": " + reason);
}

// 'value', shortened and with control characters escaped, for messages.
std::string quote(std::string_view v) {
  std::string out = "'";
  std::size_t n = 0;
  for (char c : v) {
    if (++n > kQuoteLimit) {
      out += "...";
      break;
    }
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string index(const std::string& path, std::size_t i) {
  return (path.empty() ? std::string("$") : path) + "[" + std::to_string(i) + "]";
}

template <std::size_t N>
bool known(const std::string_view (&set)[N], std::string_view v) {
  return std::find(std::begin(set), std::end(set), v) != std::end(set);
}

template <std::size_t N>
std::string listOf(const std::string_view (&set)[N]) {
  std::string out;
  for (std::string_view s : set) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

std::string typeName(const Var& v) {
  if (v.isEmpty()) return "null";
  if (v.type() == typeid(bool)) return "a boolean";
  if (v.isString()) return "a string";
  if (v.isNumeric()) return "a number";
  if (v.type() == typeid(Array::Ptr)) return "an array";
  if (v.type() == typeid(Object::Ptr)) return "an object";
  return "an unsupported value";
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// Compiles an ECMAScript pattern, or fails naming path.
std::regex compilePattern(const std::string& path, const std::string& pattern) {
  if (pattern.size() > kMaxPatternLength)
    fail(path, "pattern longer than " + std::to_string(kMaxPatternLength) + " characters");
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    fail(path, "pattern " + quote(pattern) + " does not compile (" + e.what() + ")");
  }
}

// Tracks where the parser is, so a syntax error or a duplicate key can be placed. Poco's
// own handler silently keeps the last of two equal keys; a manifest with a key given twice
// is ambiguous (which quota was meant?), so it is refused.
class StrictHandler : public Poco::JSON::ParseHandler {
 public:
  StrictHandler() : ParseHandler(false) {}

  void startObject() override {
    enterValue(true);
    frames_.push_back({true, {}, {}, 0});
    ParseHandler::startObject();
  }
  void endObject() override {
    frames_.pop_back();
    ParseHandler::endObject();
  }
  void startArray() override {
    enterValue(false);
    frames_.push_back({false, {}, {}, 0});
    ParseHandler::startArray();
  }
  void endArray() override {
    frames_.pop_back();
    ParseHandler::endArray();
  }
  void key(const std::string& k) override {
    Frame& f = frames_.back();
    f.key = k;
    if (!f.keys.insert(k).second)
      throw Poco::JSON::JSONException("duplicate key " + quote(k) + " at " + path());
    ParseHandler::key(k);
  }
  void null() override {
    enterValue(false);
    ParseHandler::null();
  }
  void value(int v) override {
    enterValue(false);
    ParseHandler::value(v);
  }
  void value(unsigned v) override {
    enterValue(false);
    ParseHandler::value(v);
  }
  void value(Poco::Int64 v) override {
    enterValue(false);
    ParseHandler::value(v);
  }
  void value(Poco::UInt64 v) override {
    enterValue(false);
    ParseHandler::value(v);
  }
  void value(const std::string& v) override {
    enterValue(false);
    ParseHandler::value(v);
  }
  void value(double v) override {
    enterValue(false);
    ParseHandler::value(v);
  }
  void value(bool v) override {
    enterValue(false);
    ParseHandler::value(v);
  }

  // The path of the value being read ("" before the first one).
  std::string path() const {
    std::string p;
    for (const Frame& f : frames_) {
      if (f.object) {
        if (!f.key.empty()) p = child(p, f.key);
      } else if (f.count > 0) {
        p = index(p, f.count - 1);
      }
    }
    return p;
  }

 private:
  struct Frame {
    bool object;
    std::set<std::string> keys;
    std::string key;
    std::size_t count;
  };

  void enterValue(bool isObject) {
    if (frames_.empty()) {
      if (started_) throw Poco::JSON::JSONException("more than one document");
      if (!isObject) throw Poco::JSON::JSONException("the document must be a JSON object");
      started_ = true;
      return;
    }
    if (!frames_.back().object) ++frames_.back().count;
  }

  std::vector<Frame> frames_;
  bool started_ = false;
};

Object::Ptr parseDocument(std::string_view json) {
  if (json.size() > kMaxManifestBytes)
    fail("", "manifest larger than " + std::to_string(kMaxManifestBytes) + " bytes");
  if (blank(json)) fail("", "empty document");
  Poco::SharedPtr<StrictHandler> handler(new StrictHandler);
  Poco::JSON::Parser parser(handler);
  parser.setAllowComments(false);
  parser.setAllowNullByte(false);
  parser.setDepth(kMaxDepth);
  Var root;
  try {
    root = parser.parse(std::string(json));
  } catch (const Poco::Exception& e) {
    std::string where = handler->path();
    fail("", "not valid JSON" + (where.empty() ? std::string() : " (near " + where + ")") + ": " +
                 e.message());
  }
  if (root.type() != typeid(Object::Ptr)) fail("", "the document must be a JSON object");
  return root.extract<Object::Ptr>();
}

// Reads one JSON object, refusing keys it was not told about.
class Reader {
 public:
  Reader(Object::Ptr obj, std::string path, std::initializer_list<std::string_view> keys)
      : obj_(std::move(obj)), path_(std::move(path)) {
    for (const auto& [k, v] : *obj_) {
      (void)v;
      if (std::find(keys.begin(), keys.end(), k) == keys.end())
        fail(child(path_, k), "unknown key");
    }
  }

  const std::string& path() const { return path_; }
  std::string at(std::string_view key) const { return child(path_, key); }
  bool has(std::string_view key) const { return obj_->has(std::string(key)); }
  Var raw(std::string_view key) const { return obj_->get(std::string(key)); }

  void require(std::string_view key) const {
    if (!has(key)) fail(at(key), "required key is missing");
  }

  std::string string(std::string_view key) const {
    require(key);
    return asString(at(key), raw(key));
  }
  std::string optString(std::string_view key, std::string fallback = {}) const {
    return has(key) ? asString(at(key), raw(key)) : std::move(fallback);
  }

  int integer(std::string_view key, int min, int max) const {
    require(key);
    return asInt(at(key), raw(key), min, max);
  }
  int optInteger(std::string_view key, int fallback, int min, int max) const {
    return has(key) ? asInt(at(key), raw(key), min, max) : fallback;
  }

  bool optBool(std::string_view key, bool fallback) const {
    if (!has(key)) return fallback;
    Var v = raw(key);
    if (v.type() != typeid(bool)) fail(at(key), "must be true or false, not " + typeName(v));
    return v.extract<bool>();
  }

  Date date(std::string_view key) const {
    std::string s = string(key);
    return asDate(at(key), s);
  }

  Object::Ptr object(std::string_view key) const {
    require(key);
    Var v = raw(key);
    if (v.type() != typeid(Object::Ptr)) fail(at(key), "must be an object, not " + typeName(v));
    return v.extract<Object::Ptr>();
  }

  Array::Ptr array(std::string_view key) const {
    require(key);
    Var v = raw(key);
    if (v.type() != typeid(Array::Ptr)) fail(at(key), "must be an array, not " + typeName(v));
    return v.extract<Array::Ptr>();
  }

  // An array of non-blank, distinct strings.
  std::vector<std::string> strings(std::string_view key, bool nonEmpty) const {
    Array::Ptr a = array(key);
    if (nonEmpty && a->size() == 0) fail(at(key), "must not be empty");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < a->size(); ++i) {
      std::string p = index(at(key), i);
      std::string s = asString(p, a->get(static_cast<unsigned>(i)));
      if (std::find(out.begin(), out.end(), s) != out.end()) fail(p, "duplicate " + quote(s));
      out.push_back(std::move(s));
    }
    return out;
  }
  std::vector<std::string> optStrings(std::string_view key) const {
    return has(key) ? strings(key, false) : std::vector<std::string>{};
  }

  // strings() restricted to a known set; `what` names one member ("element").
  template <std::size_t N>
  std::vector<std::string> oneOf(std::string_view key, bool nonEmpty,
                                 const std::string_view (&set)[N], std::string_view what) const {
    std::vector<std::string> out = strings(key, nonEmpty);
    for (std::size_t i = 0; i < out.size(); ++i)
      if (!known(set, out[i]))
        fail(index(at(key), i), "unknown " + std::string(what) + " " + quote(out[i]) +
                                    " (known: " + listOf(set) + ")");
    return out;
  }

  static std::string asString(const std::string& path, const Var& v) {
    if (!v.isString()) fail(path, "must be a string, not " + typeName(v));
    std::string s = v.extract<std::string>();
    if (blank(s)) fail(path, "must not be empty");
    return s;
  }

  static int asInt(const std::string& path, const Var& v, int min, int max) {
    if (v.type() == typeid(bool) || !v.isInteger())
      fail(path, "must be an integer, not " + typeName(v));
    long long n = 0;
    if (v.type() == typeid(Poco::UInt64)) {
      Poco::UInt64 u = v.extract<Poco::UInt64>();
      n = u > static_cast<Poco::UInt64>(std::numeric_limits<int>::max())
              ? static_cast<long long>(max) + 1
              : static_cast<long long>(u);
    } else {
      n = v.convert<Poco::Int64>();
    }
    if (n < min || n > max)
      fail(path, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                     ", not " + std::to_string(n));
    return static_cast<int>(n);
  }

  static Date asDate(const std::string& path, const std::string& s) {
    std::optional<Date> d = Date::parseIso(s);
    if (!d) fail(path, quote(s) + " is not a real date in YYYY-MM-DD form");
    return *d;
  }

  static Object::Ptr asObject(const std::string& path, const Var& v) {
    if (v.type() != typeid(Object::Ptr)) fail(path, "must be an object, not " + typeName(v));
    return v.extract<Object::Ptr>();
  }

 private:
  Object::Ptr obj_;
  std::string path_;
};

// Each element of an array of objects, with its path.
template <class Fn>
void forEachObject(const Array::Ptr& a, const std::string& path, Fn&& fn) {
  for (std::size_t i = 0; i < a->size(); ++i) {
    std::string p = index(path, i);
    fn(Reader::asObject(p, a->get(static_cast<unsigned>(i))), p, i);
  }
}

// Character classes of names and ids, checked by hand: std::regex is slow to run and the
// shapes are trivial.
bool lowerOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// [a-z][a-z0-9_]*, at most 64 characters.
bool matchesName(std::string_view s) {
  return !s.empty() && s.size() <= 64 && s[0] >= 'a' && s[0] <= 'z' &&
         std::all_of(s.begin(), s.end(), [](char c) { return lowerOrDigit(c) || c == '_'; });
}

// [a-z0-9][a-z0-9_-]*, at most 64 characters.
bool matchesId(std::string_view s) {
  return !s.empty() && s.size() <= 64 && lowerOrDigit(s[0]) &&
         std::all_of(s.begin(), s.end(),
                     [](char c) { return lowerOrDigit(c) || c == '_' || c == '-'; });
}

// [A-Za-z0-9._~-]+ or {name}.
bool matchesSegment(std::string_view s) {
  if (s.size() >= 2 && s.front() == '{' && s.back() == '}')
    return matchesName(s.substr(1, s.size() - 2));
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return lowerOrDigit(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '~' ||
           c == '-';
  });
}

void parseParties(const Reader& r, Manifest& m) {
  Array::Ptr a = r.array("parties");
  if (a->size() == 0) fail(r.at("parties"), "must not be empty");
  bool registry = false;
  bool agency = false;
  forEachObject(a, r.at("parties"), [&](const Object::Ptr& o, const std::string& p, std::size_t) {
    Reader pr(o, p, {"role", "name"});
    Party party{pr.string("role"), pr.string("name")};
    if (party.role == "pihak_kesatu") {
      registry = true;
    } else if (party.role == "pihak_kedua") {
      agency = true;
    } else {
      fail(pr.at("role"),
           "unknown role " + quote(party.role) + " (known: pihak_kesatu, pihak_kedua)");
    }
    m.parties.push_back(std::move(party));
  });
  // Every PKS is between the registry (PIHAK KESATU) and the using agency (PIHAK KEDUA).
  if (!registry) fail(r.at("parties"), "no party with role 'pihak_kesatu' (the registry)");
  if (!agency) fail(r.at("parties"), "no party with role 'pihak_kedua' (the using agency)");
}

void parseQuota(const Reader& root, Manifest& m) {
  Reader r(root.object("quota"), root.at("quota"),
           {"per_day", "unlimited", "user_ids", "unlimited_after_poc"});
  r.require("per_day");
  bool unlimited = r.optBool("unlimited", false);
  Var perDay = r.raw("per_day");
  // Quotas are counted in hits per day per User ID (juknis). "Unlimited" must be said in so
  // many words: a missing or zero limit is far more often a typo than an agreement.
  if (perDay.isEmpty()) {
    if (!unlimited) fail(r.at("per_day"), "null is only allowed together with \"unlimited\": true");
    m.quota.perDay.reset();
  } else {
    if (unlimited) fail(r.at("unlimited"), "true while per_day gives a limit");
    if (perDay.type() == typeid(bool) || !perDay.isInteger())
      fail(r.at("per_day"), "must be a positive integer, not " + typeName(perDay));
    Poco::Int64 n = perDay.type() == typeid(Poco::UInt64) ? std::numeric_limits<Poco::Int64>::max()
                                                          : perDay.convert<Poco::Int64>();
    if (n <= 0)
      fail(r.at("per_day"), "must be a positive integer (or null with \"unlimited\": true), not " +
                                std::to_string(n));
    if (n > 10'000'000) fail(r.at("per_day"), "must be at most 10000000, not " + std::to_string(n));
    m.quota.perDay = static_cast<int>(n);
  }
  m.quota.userIds = r.optInteger("user_ids", 1, 1, 10'000);
  m.quota.unlimitedAfterPoc = r.optBool("unlimited_after_poc", false);
  if (m.quota.unlimitedAfterPoc && !m.quota.perDay)
    fail(r.at("unlimited_after_poc"), "true while the quota is already unlimited");
}

void parsePurposeReference(const Reader& root, Manifest& m) {
  Reader r(root.object("purpose_reference"), root.at("purpose_reference"),
           {"label", "pattern", "example"});
  PurposeReference& pr = m.purposeReference;
  pr.label = r.string("label");
  pr.pattern = r.string("pattern");
  pr.example = r.string("example");
  std::regex re = compilePattern(r.at("pattern"), pr.pattern);
  if (pr.example.size() > 200 || !std::regex_match(pr.example, re))
    fail(r.at("example"), quote(pr.example) + " does not match the pattern");
}

void parseBalikanField(const Reader& f, BalikanField& out) {
  out.name = f.string("name");
  if (!matchesName(out.name))
    fail(f.at("name"), quote(out.name) + " must match [a-z][a-z0-9_]* (it is a CSV header)");
  out.label = f.string("label");
  std::string type = f.string("type");
  auto it = std::find(std::begin(kBalikanFieldTypes), std::end(kBalikanFieldTypes), type);
  if (it == std::end(kBalikanFieldTypes))
    fail(f.at("type"),
         "unknown type " + quote(type) + " (known: " + listOf(kBalikanFieldTypes) + ")");
  out.type = static_cast<BalikanField::Type>(it - std::begin(kBalikanFieldTypes));
  out.required = f.optBool("required", false);
  out.maxLength = f.optInteger("max_length", 0, 1, 4096);
  if (f.has("pattern")) {
    if (out.type == BalikanField::Type::kEnum || out.type == BalikanField::Type::kDate ||
        out.type == BalikanField::Type::kNik)
      fail(f.at("pattern"),
           "not allowed for type " + quote(type) + " (the host checks that type itself)");
    out.pattern = f.string("pattern");
    compilePattern(f.at("pattern"), out.pattern);
  }
  if (out.type == BalikanField::Type::kEnum) {
    out.values = f.strings("values", true);
  } else if (f.has("values")) {
    fail(f.at("values"), "only allowed for type 'enum'");
  }
}

void parseBalikan(const Reader& root, Manifest& m) {
  Reader r(root.object("balikan"), root.at("balikan"), {"fields", "methods", "due_days"});
  Array::Ptr fields = r.array("fields");
  // Rule 5: the agency must send data balikan; an agreement without a schema could never
  // satisfy it.
  if (fields->size() == 0)
    fail(r.at("fields"),
         "must not be empty (the agreement requires "
         "data balikan)");
  forEachObject(
      fields, r.at("fields"), [&](const Object::Ptr& o, const std::string& p, std::size_t) {
        Reader f(o, p, {"name", "label", "type", "required", "max_length", "pattern", "values"});
        BalikanField field;
        parseBalikanField(f, field);
        for (const BalikanField& other : m.balikan.fields)
          if (other.name == field.name) fail(f.at("name"), "duplicate field " + quote(field.name));
        m.balikan.fields.push_back(std::move(field));
      });
  m.balikan.methods = r.oneOf("methods", true, kBalikanMethods, "method");
  m.balikan.dueDays = r.optInteger("due_days", 30, 1, 366);
}

void parseReports(const Reader& root, Manifest& m) {
  if (!root.has("reports")) return;
  Reader r(root.object("reports"), root.at("reports"),
           {"semester", "deadline_working_days", "channels", "recipient"});
  m.reports.semester = r.optBool("semester", true);
  m.reports.deadlineWorkingDays = r.optInteger("deadline_working_days", 0, 0, 260);
  if (r.has("channels"))
    m.reports.channels = r.oneOf("channels", false, kReportChannels, "channel");
  m.reports.recipient = r.optString("recipient");
}

void parsePatternGuard(const Reader& root, Manifest& m) {
  if (!root.has("pattern_guard")) return;
  Reader r(root.object("pattern_guard"), root.at("pattern_guard"),
           {"window", "serial_distance", "progression_length", "prefix_run_length", "prefix_length",
            "min_interval_seconds", "burst_per_minute", "repeat_same_person_per_day",
            "operators_same_person_per_day"});
  PatternGuardPolicy& g = m.patternGuard;
  g.window = r.optInteger("window", g.window, 1, 10'000);
  g.serialDistance = r.optInteger("serial_distance", g.serialDistance, 1, 9'999);
  g.progressionLength = r.optInteger("progression_length", g.progressionLength, 2, 1'000);
  g.prefixRunLength = r.optInteger("prefix_run_length", g.prefixRunLength, 2, 1'000);
  // A NIK has 16 digits; a prefix of all of them would be the same person, not a walk.
  g.prefixLength = r.optInteger("prefix_length", g.prefixLength, 1, 15);
  g.minIntervalSeconds = r.optInteger("min_interval_seconds", g.minIntervalSeconds, 1, 86'400);
  g.burstPerMinute = r.optInteger("burst_per_minute", g.burstPerMinute, 1, 10'000);
  g.repeatSamePersonPerDay =
      r.optInteger("repeat_same_person_per_day", g.repeatSamePersonPerDay, 1, 10'000);
  g.operatorsSamePersonPerDay =
      r.optInteger("operators_same_person_per_day", g.operatorsSamePersonPerDay, 1, 10'000);
  if (g.window < g.progressionLength)
    fail(r.at("window"), "smaller than progression_length: the progression could never be seen");
  if (g.window < g.prefixRunLength)
    fail(r.at("window"), "smaller than prefix_run_length: the run could never be seen");
}

void parseScreens(const Reader& root, Manifest& m) {
  if (!root.has("screens")) return;
  forEachObject(
      root.array("screens"), root.at("screens"),
      [&](const Object::Ptr& o, const std::string& p, std::size_t) {
        Reader r(o, p, {"id", "title", "description", "feeds", "fields", "route"});
        Screen s;
        s.id = r.string("id");
        if (!matchesId(s.id)) fail(r.at("id"), quote(s.id) + " must match [a-z0-9][a-z0-9_-]*");
        for (const Screen& other : m.screens)
          if (other.id == s.id) fail(r.at("id"), "duplicate screen id " + quote(s.id));
        s.title = r.string("title");
        s.description = r.optString("description");
        s.feeds = r.string("feeds");
        s.route = r.optString("route");
        if (!known(kScreenFeeds, s.feeds))
          fail(r.at("feeds"),
               "unknown value " + quote(s.feeds) + " (known: " + listOf(kScreenFeeds) + ")");
        Array::Ptr fields = r.array("fields");
        if (fields->size() == 0) fail(r.at("fields"), "must not be empty");
        forEachObject(
            fields, r.at("fields"), [&](const Object::Ptr& fo, const std::string& fp, std::size_t) {
              Reader f(fo, fp, {"name", "label", "type", "required", "pattern", "options"});
              ScreenField sf;
              sf.name = f.string("name");
              if (!matchesName(sf.name))
                fail(f.at("name"), quote(sf.name) + " must match [a-z][a-z0-9_]*");
              for (const ScreenField& other : s.fields)
                if (other.name == sf.name) fail(f.at("name"), "duplicate field " + quote(sf.name));
              sf.label = f.string("label");
              sf.type = f.string("type");
              if (!known(kScreenFieldTypes, sf.type))
                fail(f.at("type"), "unknown type " + quote(sf.type) +
                                       " (known: " + listOf(kScreenFieldTypes) + ")");
              sf.required = f.optBool("required", false);
              if (f.has("pattern")) {
                sf.pattern = f.string("pattern");
                compilePattern(f.at("pattern"), sf.pattern);
              }
              if (sf.type == "select") {
                sf.options = f.strings("options", true);
              } else if (f.has("options")) {
                fail(f.at("options"), "only allowed for type 'select'");
              }
              s.fields.push_back(std::move(sf));
            });
        m.screens.push_back(std::move(s));
      });
}

// "ak1/applicants/{register}": relative, segments of safe characters or one {parameter}.
void checkRoutePath(const std::string& at, const std::string& path) {
  if (path.front() == '/') fail(at, quote(path) + " must be relative (no leading '/')");
  if (path.size() > 200) fail(at, "longer than 200 characters");
  std::set<std::string> params;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    std::string seg = path.substr(start, slash == std::string::npos ? slash : slash - start);
    if (seg.empty()) fail(at, quote(path) + " has an empty segment");
    if (seg == "." || seg == "..") fail(at, quote(path) + " must not contain '.' or '..' segments");
    if (!matchesSegment(seg))
      fail(at, "segment " + quote(seg) +
                   " must be letters, digits, '.', '_', '~', '-' or a "
                   "{parameter}");
    if (seg.front() == '{' && !params.insert(seg).second)
      fail(at, "parameter " + quote(seg) + " appears twice");
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
}

void parseRoutes(const Reader& root, Manifest& m) {
  if (!root.has("routes")) return;
  forEachObject(root.array("routes"), root.at("routes"),
                [&](const Object::Ptr& o, const std::string& p, std::size_t) {
                  Reader r(o, p, {"id", "method", "path", "roles", "uses"});
                  Route route;
                  route.id = r.string("id");
                  if (!matchesId(route.id))
                    fail(r.at("id"), quote(route.id) + " must match [a-z0-9][a-z0-9_-]*");
                  route.method = r.string("method");
                  if (!known(kRouteMethods, route.method))
                    fail(r.at("method"), "unknown method " + quote(route.method) +
                                             " (known: " + listOf(kRouteMethods) + ")");
                  route.path = r.string("path");
                  checkRoutePath(r.at("path"), route.path);
                  route.roles = r.oneOf("roles", true, kRoles, "role");
                  if (r.has("uses")) route.uses = r.oneOf("uses", false, kRouteUses, "service");
                  for (const Route& other : m.routes) {
                    if (other.id == route.id)
                      fail(r.at("id"), "duplicate route id " + quote(route.id));
                    if (other.method == route.method && other.path == route.path)
                      fail(r.at("path"), route.method + " " + quote(route.path) +
                                             " is already declared by " + quote(other.id));
                  }
                  m.routes.push_back(std::move(route));
                });
}

Manifest parseRoot(const Object::Ptr& doc) {
  Reader r(doc, "",
           {"schema_version",
            "agency_id",
            "agency_name",
            "short_name",
            "parties",
            "pks_numbers",
            "juknis_numbers",
            "approval_letter",
            "signed",
            "start",
            "end",
            "extension_notice_days",
            "purpose",
            "elements",
            "address_parts",
            "access_methods",
            "quota",
            "purpose_reference",
            "balikan",
            "reports",
            "time_zone",
            "pattern_guard",
            "duties",
            "screens",
            "routes",
            "notes"});
  Manifest m;
  m.schemaVersion =
      r.integer("schema_version", std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  if (m.schemaVersion != 1)
    fail("schema_version",
         "unsupported version " + std::to_string(m.schemaVersion) + " (this host reads version 1)");

  m.agencyId = r.string("agency_id");
  if (m.agencyId.size() > 64 || !std::all_of(m.agencyId.begin(), m.agencyId.end(),
                                             [](char c) { return lowerOrDigit(c) || c == '-'; }))
    fail("agency_id", quote(m.agencyId) + " must match [a-z0-9-]+ (at most 64 characters)");
  m.agencyName = r.string("agency_name");
  m.shortName = r.string("short_name");
  parseParties(r, m);
  m.pksNumbers = r.strings("pks_numbers", true);
  m.juknisNumbers = r.optStrings("juknis_numbers");

  {
    Reader l(r.object("approval_letter"), "approval_letter", {"number", "date"});
    m.approvalLetter.number = l.string("number");
    m.approvalLetter.date = l.date("date");
  }

  // The term: access is allowed from start (the signing day unless stated) to end inclusive.
  m.signedOn = r.date("signed");
  m.start = r.has("start") ? r.date("start") : m.signedOn;
  m.end = r.date("end");
  if (m.start < m.signedOn) fail("start", m.start.iso() + " is before signed " + m.signedOn.iso());
  if (!(m.start < m.end)) fail("end", m.end.iso() + " is not after start " + m.start.iso());
  // 2025 juknis: ask for an extension at least 2 months before the end.
  m.extensionNoticeDays = r.optInteger("extension_notice_days", 60, 1, 366);

  m.purpose = r.string("purpose");

  // Rule 1: only the listed data elements, and access only by NIK.
  m.elements = r.oneOf("elements", true, kElements, "element");
  if (std::find(m.elements.begin(), m.elements.end(), "NIK") == m.elements.end())
    fail("elements", "must include 'NIK' (access is only by NIK)");
  if (r.has("address_parts")) {
    m.addressParts = r.oneOf("address_parts", false, kAddressParts, "address part");
    if (!m.addressParts.empty() &&
        std::find(m.elements.begin(), m.elements.end(), "ALAMAT") == m.elements.end())
      fail("address_parts", "given but 'ALAMAT' is not a permitted element");
  }
  m.accessMethods = r.oneOf("access_methods", true, kAccessMethods, "access method");

  parseQuota(r, m);
  parsePurposeReference(r, m);
  parseBalikan(r, m);
  parseReports(r, m);

  m.timeZone = r.optString("time_zone", std::string(kTimeZone));
  if (m.timeZone != kTimeZone)
    fail("time_zone", "unsupported time zone " + quote(m.timeZone) +
                          " (agreement and quota days are Asia/Jakarta days)");

  parsePatternGuard(r, m);
  m.duties = r.optStrings("duties");
  parseScreens(r, m);
  parseRoutes(r, m);
  // A screen submits its form as a JSON body: it can only name a POST route of this plugin.
  for (std::size_t i = 0; i < m.screens.size(); ++i) {
    const std::string& id = m.screens[i].route;
    if (id.empty()) continue;
    const std::string at = "screens[" + std::to_string(i) + "].route";
    auto route = std::find_if(m.routes.begin(), m.routes.end(),
                              [&](const Route& rt) { return rt.id == id; });
    if (route == m.routes.end()) fail(at, "names no route of this manifest: " + quote(id));
    if (route->method != "POST")
      fail(at, "route " + quote(id) + " is " + route->method + "; a screen submits with POST");
  }
  if (r.has("notes")) {
    Var v = r.raw("notes");
    if (!v.isString()) fail("notes", "must be a string, not " + typeName(v));
    m.notes = v.extract<std::string>();
  }
  return m;
}

}  // namespace

std::string_view balikanTypeName(BalikanField::Type type) {
  auto i = static_cast<std::size_t>(type);
  return i < std::size(kBalikanFieldTypes) ? kBalikanFieldTypes[i] : std::string_view("?");
}

Result<Manifest> parseManifest(std::string_view json) {
  static const std::string kMessage = "Manifest perjanjian tidak valid";
  try {
    return parseRoot(parseDocument(json));
  } catch (const Invalid& e) {
    return Error{"manifest_invalid", kMessage, e.what()};
  } catch (const Poco::Exception& e) {
    return Error{"manifest_invalid", kMessage, "$: " + e.message()};
  } catch (const std::exception& e) {
    return Error{"manifest_invalid", kMessage, std::string("$: ") + e.what()};
  }
}

}  // namespace gerbang::plugin
