#include "core/balikan/intake.hpp"

#include "core/audit/crypto.hpp"
#include "core/balikan/csv_reader.hpp"
#include "core/balikan/json_record.hpp"
#include "core/balikan/xlsx_reader.hpp"
#include "core/outbox/delivery_client.hpp"
#include "core/plugin/loader.hpp"

#include <stdexcept>

namespace gerbang::balikan {

struct IntakeService::Agreement {
  std::string id;
  Schema schema;
  CrossFieldHook hook;
  std::size_t nikField = 0;
};

namespace {

Error unknownAgreement() {
  return Error{"agreement_not_found", "Perjanjian kerja sama tidak ditemukan",
               "balikan intake: agreement not registered"};
}

Error invalidRecord(const std::vector<RowError>& errs) {
  std::string msg = "Data balikan tidak sah: ";
  for (size_t i = 0; i < errs.size(); ++i) {
    if (i) msg += "; ";
    msg += errs[i].message();
  }
  return Error{"balikan_invalid", msg, "balikan intake: record failed the schema or the hook"};
}

// Collects the outcome of an upload: valid rows go through the intake, every reason for an
// invalid or refused row goes to the report.
class IntakeSink final : public ImportSink {
 public:
  using Accept = std::function<Result<Accepted>(const Record&)>;
  IntakeSink(Accept accept, const plugin::BalikanField& nikField, ErrorReportWriter* report,
             UploadResult& result)
      : accept_(std::move(accept)), nik_(nikField), report_(report), result_(result) {}

  void onValid(const Record& record) override {
    Result<Accepted> r = accept_(record);
    if (r.ok()) {
      ++result_.accepted;
      if (r->alreadyQueued) ++result_.alreadyQueued;
      return;
    }
    ++result_.refused;
    write(RowError{record.row, nik_.name, nik_.label, r.error().message});
  }
  void onInvalid(std::uint64_t, const std::vector<RowError>& errors) override {
    for (const RowError& e : errors) write(e);
  }

 private:
  void write(const RowError& e) {
    ++result_.errorLines;
    if (report_ != nullptr) report_->write(e);
  }
  Accept accept_;
  const plugin::BalikanField& nik_;
  ErrorReportWriter* report_;
  UploadResult& result_;
};

}  // namespace

IntakeService::IntakeService(obligation::ObligationRepository& obligations,
                             outbox::OutboxRepository& outbox, const audit::NikHasher& hasher,
                             const Clock& clock)
    : obligations_(obligations),
      outbox_(outbox),
      hasher_(hasher),
      clock_(clock),
      keyKey_(hasher.deriveKey("balikan-outbox-key")) {}

IntakeService::~IntakeService() = default;

void IntakeService::addAgreement(const std::string& agreementId,
                                 const plugin::BalikanPolicy& policy, CrossFieldHook hook) {
  Result<Schema> schema = Schema::compile(policy);
  if (!schema.ok())
    throw std::invalid_argument("balikan schema of " + agreementId + ": " + schema.error().detail);
  auto a = std::make_unique<Agreement>(
      Agreement{agreementId, std::move(schema).value(), std::move(hook), 0});
  bool found = false;
  for (size_t i = 0; i < a->schema.fields().size(); ++i)
    if (a->schema.fields()[i].type == plugin::BalikanField::Type::kNik) {
      a->nikField = i;
      found = true;
      break;
    }
  if (!found)
    throw std::invalid_argument("balikan schema of " + agreementId +
                                ": no field of type \"nik\" (a record must name its person)");
  agreements_[agreementId] = std::move(a);
}

void IntakeService::addPlugins(const plugin::Registry& plugins) {
  for (const plugin::LoadedPlugin* p : plugins.loaded()) {
    if (p->manifest().balikan.fields.empty()) continue;
    addAgreement(p->manifest().agencyId, p->manifest().balikan,
                 [p](const std::vector<std::pair<std::string, std::string>>& fields) {
                   return p->validateBalikan(fields);
                 });
  }
}

bool IntakeService::knows(const std::string& agreementId) const {
  return find(agreementId) != nullptr;
}

const Schema* IntakeService::schema(const std::string& agreementId) const {
  const Agreement* a = find(agreementId);
  return a == nullptr ? nullptr : &a->schema;
}

const IntakeService::Agreement* IntakeService::find(const std::string& agreementId) const {
  auto it = agreements_.find(agreementId);
  return it == agreements_.end() ? nullptr : it->second.get();
}

std::string IntakeService::payload(const std::string& agreementId, const Record& record) const {
  const Agreement* a = find(agreementId);
  if (a == nullptr) return {};
  const auto& fields = a->schema.fields();
  std::string p = "{\"NIK\":" + outbox::jsonString(record.values[a->nikField]) + ",\"param\":[{";
  bool first = true;
  for (size_t i = 0; i < fields.size() && i < record.values.size(); ++i) {
    if (i == a->nikField) continue;
    if (!first) p += ',';
    first = false;
    p += outbox::jsonString(fields[i].name) + ":" + outbox::jsonString(record.values[i]);
  }
  p += "}]}";
  return p;
}

Result<Accepted> IntakeService::acceptRecord(const Agreement& a, const Record& record) {
  const std::string& nik = record.values[a.nikField];
  Result<std::string> hmac = hasher_.hash(a.id, nik);
  if (!hmac.ok()) return hmac.error();
  Result<bool> accessed = obligations_.exists(a.id, *hmac);
  if (!accessed.ok()) return accessed.error();
  // Rule 1 of every PKS: data only about people accessed for the agreement's purpose. A
  // record about anyone else is data the agency should not hold; it is refused, not queued.
  if (!*accessed)
    return Error{kNotAccessedCode, kNotAccessedMessage,
                 "balikan intake: no obligation for that person under the agreement"};
  const std::string body = payload(a.id, record);
  const std::string key =
      audit::toHex(audit::hmacSha256(keyKey_, a.id + std::string(1, '\0') + body));
  auto queued = outbox_.enqueue(a.id, key, body, clock_.now());
  if (!queued.ok()) return queued.error();
  Accepted acc;
  acc.key = key;
  acc.alreadyQueued = !queued->created;
  Status closed = obligations_.close(a.id, *hmac, key, clock_.now());
  if (closed.ok()) {
    acc.obligationClosed = true;
  } else if (closed.error().code != "obligation_not_open") {
    // Queued but the obligation could not be closed now: the record is kept (it will be
    // delivered); submitting it again closes the obligation.
    return closed.error();
  }
  return acc;
}

Result<Accepted> IntakeService::acceptFields(
    const std::string& agreementId, const std::vector<std::pair<std::string, std::string>>& fields,
    std::vector<RowError>* errors) {
  const Agreement* a = find(agreementId);
  if (a == nullptr) return unknownAgreement();
  Record record;
  std::vector<RowError> errs;
  if (!a->schema.validateFields(fields, a->hook, record, errs)) {
    if (errors != nullptr) *errors = errs;
    return invalidRecord(errs);
  }
  return acceptRecord(*a, record);
}

Result<Accepted> IntakeService::acceptJson(const std::string& agreementId, std::string_view json,
                                           std::vector<RowError>* errors) {
  auto fields = parseRecordJson(json);
  if (!fields.ok()) return fields.error();
  return acceptFields(agreementId, *fields, errors);
}

Result<UploadResult> IntakeService::importFile(const std::string& agreementId, std::istream& in,
                                               const UploadOptions& options,
                                               std::ostream* errorReport) {
  const Agreement* a = find(agreementId);
  if (a == nullptr) return unknownAgreement();
  FileKind kind = options.kind;
  if (kind == FileKind::kAuto) {
    char magic[4] = {0, 0, 0, 0};
    in.read(magic, 4);
    const std::streamsize got = in.gcount();
    in.clear();
    in.seekg(0);
    kind = got == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4
               ? FileKind::kXlsx
               : FileKind::kCsv;
  }
  std::optional<ErrorReportWriter> report;
  if (errorReport != nullptr) report.emplace(*errorReport, options.reportSeparator);
  UploadResult result;
  IntakeSink sink([this, a](const Record& r) { return acceptRecord(*a, r); },
                  a->schema.fields()[a->nikField], report ? &*report : nullptr, result);
  Result<ImportSummary> summary = [&]() -> Result<ImportSummary> {
    if (kind == FileKind::kXlsx) {
      XlsxOptions xo;
      xo.sheet = options.sheet;
      XlsxReader reader(in, xo);
      return importRows(reader, a->schema, sink, a->hook);
    }
    CsvReader reader(in);
    return importRows(reader, a->schema, sink, a->hook);
  }();
  if (!summary.ok()) return summary.error();
  result.summary = *summary;
  return result;
}

Result<IntakeStatus> IntakeService::status(const std::string& agreementId, int limit) {
  if (find(agreementId) == nullptr) return unknownAgreement();
  IntakeStatus st;
  auto ob = obligations_.counts(agreementId, clock_.today());
  if (!ob.ok()) return ob.error();
  st.obligations = *ob;
  auto oc = outbox_.counts(agreementId);
  if (!oc.ok()) return oc.error();
  st.outbox = *oc;
  auto list = outbox_.list(agreementId, limit);
  if (!list.ok()) return list.error();
  st.records = std::move(list).value();
  return st;
}

}  // namespace gerbang::balikan
