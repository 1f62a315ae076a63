// The typed outcome of one CALL_NIK lookup against the registry's Web Portal.
//
// Every lookup ends in exactly one of four shapes: data (Found), one of the five
// confirmations the registry gives about a NIK, one of the refusals about the agency's own
// parameters, or a transport failure. None of the text members ever carries a password; the
// Found fields are population data and must stay in memory (never logged or written).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>

namespace gerbang::portal {

// Data returned: the record's fields exactly as the registry named them (NIK, NO_KK,
// NAMA_LGKP, ...), values as strings; JSON numbers are normalised to plain digit strings
// (3303010101900001, never 3.303e15), null to "".
struct Found {
  std::map<std::string, std::string> fields;
  std::optional<long> quotaRemaining;  // the response's quotaLimiter, when present
};

// A confirmation about the NIK itself: found-but-no-data or not found (2025 juknis texts).
enum class ConfirmationKind {
  kDeceased,       // 11 "Data Ditemukan, Meninggal Dunia"
  kDuplicate,      // 12 "Data Ditemukan, Data Ganda"
  kNotFound,       // 13 "Data Tidak Ditemukan, NIK tidak terdapat di database Kependudukan"
  kInactive,       // 14 "Data Ditemukan, Status Non Aktif silahkan hubungi Dinas Dukcapil"
  kInvalidFormat,  // 15 "Data Tidak Ditemukan, NIK tidak sesuai format Dukcapil"
};
struct Confirmation {
  ConfirmationKind kind;
  std::string text;  // the registry's text as received
  std::string code;  // RESPONSE_CODE as two digits ("11"), or "" when the registry sent none
};

// A refusal about the agency's own parameters (user, password, quota, IP).
enum class RefusalKind {
  kLoginFailed,     // "Gagal Login" / "Login Gagal"
  kQuotaExhausted,  // 05 "Kuota Akses Hari ini telah Habis"
  kAgencyInactive,  // "Instansi tidak aktif"
  kUserInactive,    // "User ID non aktif, silahkan menghubungi Admin"
  kIpMismatch,      // "IP Address Tidak Sesuai"
};
struct ParameterRefusal {
  RefusalKind kind;
  std::string text;
  std::string code;  // "05" or "" when none was sent
};

// The lookup did not produce a registry answer.
enum class TransportKind {
  kTimeout,     // connect or read timed out (or no pooled connection became free in time)
  kRefused,     // connection refused / host unreachable
  kReset,       // connection reset or closed without an answer
  kTls,         // TLS handshake or certificate verification failed
  kHttpStatus,  // an HTTP status other than 200
  kBadBody,     // a 200 answer whose body is not a CALL_NIK response (malformed, truncated)
};
struct TransportFailure {
  TransportKind kind;
  // False only when the request certainly did not reach the registry (refused, connect
  // timeout, TLS failure before the request was sent): the caller may then release a
  // reserved quota hit. True means the registry may have counted the hit.
  bool mayHaveReached = true;
  int httpStatus = 0;   // the status for kHttpStatus/kBadBody, else 0
  std::string detail;   // what and where, for logs; never a body, NIK or password
};

using CallNikResult = std::variant<Found, Confirmation, ParameterRefusal, TransportFailure>;

// Stable snake_case names: "deceased", "duplicate", "not_found", "inactive", "invalid_format";
// "login_failed", "quota_exhausted", "agency_inactive", "user_inactive", "ip_mismatch";
// "timeout", "refused", "reset", "tls", "http_status", "bad_body".
const char* kindName(ConfirmationKind k);
const char* kindName(RefusalKind k);
const char* kindName(TransportKind k);
// "found", or the kind name of the confirmation / refusal / failure.
std::string outcomeName(const CallNikResult& r);

}  // namespace gerbang::portal
