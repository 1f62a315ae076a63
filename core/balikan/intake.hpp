// IntakeService: where a data-balikan record enters Gerbang, from any input (the online
// form / REST record, a CSV or XLSX upload, `gerbang balikan import`), and what happens to it:
//
//   schema + plugin hook (Schema, LoadedPlugin::validateBalikan)
//   → the person must have been accessed under this agreement: an obligation exists for
//     HMAC(agreement, NIK) (ObligationRepository::exists); otherwise the record is refused
//     with "NIK ini tidak pernah diakses dalam PKS ini; data balikan tidak dapat diterima"
//     (it would be data about someone the agency had no business looking up, rule 1)
//   → the outbox (OutboxRepository::enqueue, idempotency key = HMAC of agreement + record)
//   → the person's open obligation closes (fulfilled by that record; delivered later, when
//     the registry acknowledges it).
//
// Order matters for crashes: the record is queued before the obligation closes, so a crash
// in between leaves an open obligation and a queued record; the same record submitted again
// finds itself queued (idempotent) and closes the obligation. Never the reverse (an
// obligation closed with nothing to deliver).
//
// No message, error or report carries a NIK or any other value of a record.
#pragma once

#include "core/audit/nik_hmac.hpp"
#include "core/balikan/import.hpp"
#include "core/balikan/schema.hpp"
#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/obligation/obligation_repository.hpp"
#include "core/outbox/outbox_repository.hpp"
#include "core/plugin/manifest.hpp"

#include <cstdint>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace gerbang::plugin {
class Registry;
}

namespace gerbang::balikan {

// The refusal for a person never accessed under the agreement.
inline constexpr const char* kNotAccessedCode = "balikan_not_accessed";
inline constexpr const char* kNotAccessedMessage =
    "NIK ini tidak pernah diakses dalam PKS ini; data balikan tidak dapat diterima";

struct Accepted {
  std::string key;                // the record's idempotency key (its balikan record id)
  bool alreadyQueued = false;     // the same record was accepted before: nothing new queued
  bool obligationClosed = false;  // this record fulfilled the person's open obligation
};

enum class FileKind { kAuto, kCsv, kXlsx };

struct UploadOptions {
  FileKind kind = FileKind::kAuto;  // auto: XLSX when the file starts with "PK\3\4"
  std::string sheet;                // XLSX: the sheet's name; empty = the first
  char reportSeparator = ';';
};

struct UploadResult {
  ImportSummary summary;       // rows read, schema-valid, schema-invalid, blank
  std::uint64_t accepted = 0;  // queued (new or already queued)
  std::uint64_t alreadyQueued = 0;
  std::uint64_t refused = 0;     // schema-valid but refused (never accessed, store error)
  std::uint64_t errorLines = 0;  // lines written to the error report
};

// One agreement's obligation and outbox figures, and its records (no NIKs).
struct IntakeStatus {
  obligation::ObligationCounts obligations;
  outbox::OutboxCounts outbox;
  std::vector<outbox::Item> records;  // without payloads
};

class IntakeService {
 public:
  // Everything passed must outlive the service.
  IntakeService(obligation::ObligationRepository& obligations, outbox::OutboxRepository& outbox,
                const audit::NikHasher& hasher, const Clock& clock);
  ~IntakeService();

  // Registers an agreement's schema and cross-field hook (startup). Throws
  // std::invalid_argument when the schema does not compile or has no field of type "nik".
  void addAgreement(const std::string& agreementId, const plugin::BalikanPolicy& policy,
                    CrossFieldHook hook = {});
  // addAgreement() for every loaded plugin, with its validateBalikan hook. `plugins` must
  // outlive the service.
  void addPlugins(const plugin::Registry& plugins);

  bool knows(const std::string& agreementId) const;
  // The compiled schema of a registered agreement, or nullptr.
  const Schema* schema(const std::string& agreementId) const;

  // One record as (field name, value) pairs (the online form). Errors:
  // "agreement_not_found"; "balikan_invalid" with the RowErrors' messages joined (and
  // `errors` filled when given); kNotAccessedCode; "store_unavailable".
  Result<Accepted> acceptFields(const std::string& agreementId,
                                const std::vector<std::pair<std::string, std::string>>& fields,
                                std::vector<RowError>* errors = nullptr);
  // One record as a JSON object (POST /api/v1/agreements/{id}/balikan); see parseRecordJson.
  Result<Accepted> acceptJson(const std::string& agreementId, std::string_view json,
                              std::vector<RowError>* errors = nullptr);

  // A CSV or XLSX upload, streamed: each valid row is accepted as acceptFields() would;
  // every invalid or refused row gets one line per reason in `errorReport` (CSV, see
  // ErrorReportWriter; may be null). Valid rows are kept even when others fail. Errors:
  // "agreement_not_found", "balikan_header_invalid" (nothing imported),
  // "balikan_file_invalid" (the file is broken: rows before the break were accepted, the
  // message names where it broke).
  Result<UploadResult> importFile(const std::string& agreementId, std::istream& in,
                                  const UploadOptions& options, std::ostream* errorReport);

  // Obligation counts (overdue as of today), outbox counts and up to `limit` records.
  Result<IntakeStatus> status(const std::string& agreementId, int limit = 100);

  // The payload the registry's service wants for one validated record:
  // {"NIK": "...", "param": [{"<field>": "<value>", ...}]} with every field but the NIK.
  std::string payload(const std::string& agreementId, const Record& record) const;

 private:
  struct Agreement;
  Result<Accepted> acceptRecord(const Agreement& a, const Record& record);
  const Agreement* find(const std::string& agreementId) const;

  obligation::ObligationRepository& obligations_;
  outbox::OutboxRepository& outbox_;
  const audit::NikHasher& hasher_;
  const Clock& clock_;
  std::string keyKey_;  // HMAC key of the idempotency keys (derived from the master secret)
  std::map<std::string, std::unique_ptr<Agreement>> agreements_;
};

}  // namespace gerbang::balikan
