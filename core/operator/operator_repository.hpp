// Operators: who may look up, under which agreement (issue 4 item 2).
//
// Every juknis: the registry issues a User ID only on a complete User ID application (NIK,
// full name, NIP, employment status, position, office region code, office name and
// address; the 2020-2021 juknis add the local user ID), every operator signs an NDA, and
// the agency head signs an SPTJM (DOMAIN.md rule 7). The repository keeps those records in
// the store (module "operator") and answers the one question the lookup path asks:
// authorize(operator, agreement).
//
// The operator's own NIK is stored as given (see docs/compliance.md, "Operator NIK"):
// operators are the agency's staff who supply it for the User ID application, not
// residents whose data the agreements protect. It is only read back by find()/list() and
// userIdForm(), never logged and never put in an error.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/read_cache.hpp"
#include "core/common/result.hpp"
#include "core/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gerbang::op {

enum class Role { kOperator, kSupervisor, kAdmin };
// "operator", "supervisor", "admin".
std::string_view roleName(Role role);
std::optional<Role> parseRole(std::string_view name);

// The confidentiality statement (NDA, "surat pernyataan kerahasiaan") an operator signed.
struct Nda {
  std::string number;
  Date date;
};

struct Operator {
  // Local user ID in the agency's own application: unique, [A-Za-z0-9._-]{1,64}. It is the
  // operator id everywhere else (audit, pattern guard, quota).
  std::string userId;
  // User ID application fields. Only fullName is required to add an operator; the others
  // may be filled in later, and userIdForm() names what is still missing.
  std::string nik;               // 16 digits, or empty
  std::string fullName;          // nama lengkap
  std::string nip;               // NIP, 18 digits, or empty
  std::string employmentStatus;  // status kepegawaian (PNS, PPPK, ...)
  std::string position;          // jabatan
  std::string officeRegionCode;  // kode wilayah kantor: "33", "33.03", "33.03.01" or
                                 // "33.03.01.2001" (dots optional)
  std::string officeName;
  std::string officeAddress;
  Role role = Role::kOperator;
  std::vector<std::string> agreements;  // agency ids of the plugins they work under, sorted
  std::optional<Nda> nda;
  bool active = true;
};

// Surat Pernyataan Tanggung Jawab Mutlak: signed by the agency head, one per agreement.
struct Sptjm {
  std::string agreementId;
  std::string number;
  Date date;
  std::string signerName;
  std::string signerPosition;
};

class OperatorRepository {
 public:
  // Applies the "operator" migrations. Throws std::runtime_error if the store fails
  // (startup). The Database must outlive the repository. Thread-safe.
  explicit OperatorRepository(store::Database& db);

  // Adds an operator with their agreements and NDA. Refuses "operator_invalid" (message
  // names the field, never its value) or "operator_exists". Every method below answers
  // "store_unavailable" when the database fails, so callers fail closed.
  Status add(const Operator& op);

  // The operator, or "operator_unknown".
  Result<Operator> find(std::string_view userId) const;
  // All operators, by user id.
  Result<std::vector<Operator>> list() const;

  // Disable (false) or re-enable an operator. "operator_unknown" if absent.
  Status setActive(std::string_view userId, bool active);
  // Records or replaces the operator's NDA.
  Status recordNda(std::string_view userId, const Nda& nda);
  // Membership of an agreement; adding twice or removing an absent one is not an error.
  Status addAgreement(std::string_view userId, std::string_view agreementId);
  Status removeAgreement(std::string_view userId, std::string_view agreementId);

  // Records or replaces the SPTJM of an agreement. "sptjm_invalid" names an empty field.
  Status recordSptjm(const Sptjm& sptjm);
  // The agreement's SPTJM, or "no_sptjm".
  Result<Sptjm> sptjm(std::string_view agreementId) const;

  // Whether `userId` may look up under `agreementId` now, in this order of refusal:
  // "operator_unknown", "operator_disabled" (the registry's "User ID non aktif, silahkan
  // menghubungi Admin"), "not_member", "no_nda", "no_sptjm"; each with an Indonesian message.
  Status authorize(std::string_view userId, std::string_view agreementId) const;

  // The completed User ID application as printable text, or "form_incomplete" whose message
  // lists the missing fields by their Indonesian labels.
  Result<std::string> userIdForm(std::string_view userId) const;

  // Labels of the User ID application fields `op` still lacks (empty when complete).
  static std::vector<std::string> missingUserIdFields(const Operator& op);

  // How long authorize() may serve a cached grant (default 2 s; 0 = always read the store).
  // A change through this object is seen at once; one by another process (the CLI beside
  // `gerbang serve`) within the ttl. Refusals are never cached.
  void setCacheTtl(std::chrono::steady_clock::duration ttl) { granted_.setTtl(ttl); }

 private:
  Status authorizeUncached(std::string_view userId, std::string_view agreementId) const;

  store::Database& db_;
  ReadCache<std::pair<std::string, std::string>, bool> granted_;
};

}  // namespace gerbang::op
