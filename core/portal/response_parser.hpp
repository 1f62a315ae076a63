// Parsing and classifying a CALL_NIK response body (HTTP 200). A pure function of the bytes,
// fuzzed in fuzz/portal/.
#pragma once

#include "core/portal/call_nik_result.hpp"

#include <string_view>

namespace gerbang::portal {

// Classifies one CALL_NIK response body:
//  - {"content":[{...record with NIK...}], "quotaLimiter": n, ...}  -> Found
//  - content[0] with RESPON or RESPONSE (key case ignored), with or without RESPONSE_CODE
//      -> Confirmation or ParameterRefusal (a known RESPONSE_CODE decides; otherwise the
//         text, compared ignoring case, repeated spaces and trailing punctuation)
//  - anything else -> TransportFailure{kBadBody, mayHaveReached = true, httpStatus = 200}
//    whose detail says what is wrong and where (e.g. "content[0].NAMA_LGKP is an object"),
//    never quoting the body's values.
// Extra keys anywhere are ignored. Never throws.
CallNikResult parseCallNikResponse(std::string_view body);

// Classifies a refusal text alone (the RESPON value); nullopt when unrecognised. Exposed for
// the CALL_NIK-compatible endpoint and tests.
std::optional<std::variant<Confirmation, ParameterRefusal>> classifyRespon(std::string_view text,
                                                                         std::string_view code);

}  // namespace gerbang::portal
