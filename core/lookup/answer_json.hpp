// The JSON shapes of a lookup answer: Gerbang's own (CLI --format json, REST) and the
// registry's CALL_NIK shape (the CALL_NIK-compatible endpoint).
#pragma once

#include "core/lookup/lookup_service.hpp"

#include <Poco/JSON/Object.h>

#include <string>

namespace gerbang::lookup {

// {"outcome", "message", "detail", "data": {permitted fields} | null, "elements": [...],
//  "quota_remaining": n | null, "quota_unlimited", "quota_counted", "audit_seq", "flags"}.
Poco::JSON::Object answerJson(const LookupAnswer& a);

// The registry's CALL_NIK response for `a` (docs/portal.md): data as content[0] with
// quotaLimiter; every other outcome as content[0].RESPON (+ RESPONSE_CODE where the
// registry has one: 11-15, 05) in the registry's words when it gave them. Gerbang adds
// "GERBANG_OUTCOME" (ignored by clients written for the registry).
std::string callNikResponse(const LookupAnswer& a);

// A CALL_NIK-shaped refusal that did not go through the pipeline (authentication, a
// malformed request): content[0].RESPON = `respon`.
std::string callNikRefusal(std::string_view outcome, std::string_view respon);

// HTTP status for the REST endpoint: 200 when the registry answered about the person
// (found / deceased / duplicate / not_found / inactive, and its own invalid_nik), 422 for
// a local format or purpose refusal, 403 for agreement and operator refusals, 429 for
// quota and pattern refusals, 502 for the registry's refusals of the agency's account and
// transport failures, 503 when the host failed closed (store, audit, obligation).
int httpStatusFor(const LookupAnswer& a);

}  // namespace gerbang::lookup

namespace gerbang::lookup {
// answerJson() as compact text.
std::string toJsonText(const LookupAnswer& a);
}  // namespace gerbang::lookup
