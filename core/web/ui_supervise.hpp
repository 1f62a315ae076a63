// The supervisor's screens' endpoints (issue 7, "Audit & pengawasan"): the pseudonymous
// audit view, pattern-guard releases and blocks, and the agreement's operators.
//
//   GET /api/v1/agreements/{id}/audit?day=YYYY-MM-DD&operator=ID&outcome=CODE&before=SEQ
//       &limit=N&verify=full
//     supervisor: {"view": "supervisor", "records": [{"seq", "time" (WIB), "at" (UTC ISO),
//       "operator", "purposeRef", "nik" (the first 12 hex digits of the NIK's HMAC, never
//       the NIK), "outcome", "elements", "quotaAfter", "detail"}], "nextBefore" (seq to page
//       on, or null), "outcomes" {code: count on this page}, "chain" {"ok", "verifiedSeq",
//       "headSeq", "badSeq", "reason", "message", "fullCheck"}}
//     evaluator (registry staff: compliance figures only, never personal data): the same
//       shape with "view": "evaluator" and each record reduced to seq, time, at, outcome,
//       the number of elements returned and quotaAfter. No operator, purpose reference or
//       NIK HMAC (the HMAC would still link the lookups of one resident), and the operator
//       filter is refused (400).
//     The chain is verified incrementally (records appended since the last check);
//     verify=full re-reads the whole chain.
//   GET /api/v1/agreements/{id}/pattern-releases
//     supervisor: {"releases": [{"id", "operator", "supervisor", "reason", "createdAt",
//       "state": "pending"|"used"|"replaced", "usedAt"}], "blocksToday": [{"seq", "time",
//       "operator", "nik", "detail"}], "today"}
//   GET /api/v1/agreements/{id}/operators
//     supervisor, admin: {"operators": [{"userId", "fullName", "role", "active",
//       "nda": {"number", "date"} | null, "userIdFormComplete", "missingFields",
//       "webAccounts": [username]}], "sptjm": {"number", "date", "signerName",
//       "signerPosition"} | null}. Never the operator's NIK (nor NIP).
#pragma once

#include "core/web/accounts.hpp"
#include "core/web/ops_monitor.hpp"
#include "core/web/router.hpp"
#include "core/web/ui_services.hpp"

#include <string>

namespace gerbang::web {

// Adds the routes above. Everything passed must outlive the router. Throws
// std::invalid_argument (startup) when a route already exists.
void registerUiSuperviseRoutes(Router& router, UiServices& services, const AccountStore& accounts,
                               AuditChainWatch& chain);

// "2026-11-23 09:15:02 WIB": the instant on the Jakarta wall clock.
std::string wibTime(TimePoint t);

}  // namespace gerbang::web
