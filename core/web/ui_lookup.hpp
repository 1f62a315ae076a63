// The operator screens' lookup endpoints (issue 7), session-authenticated JSON under
// /api/v1 that web/app.js calls. Every lookup goes through LookupService (the one
// pipeline: agreement term, operator + NDA + SPTJM, purpose reference, NIK format, pattern
// guard, quota, registry, minimisation, audit, obligation) as the signed-in account's
// linked operator (core/operator): the web account never looks up in its own name.
//
//   GET  /api/v1/agreements/{id}/lookup-form      what the lookup screen needs: the purpose
//        reference's label/pattern/example from the manifest, the cross-check fields the
//        agreement permits, whether the account can look up (linked operator)
//   POST /api/v1/agreements/{id}/lookups          one lookup; body {"nik", "purpose",
//        "mode": "data"|"check", "check": {"NAMA_LGKP": "...", ...}}. "data": the permitted
//        elements only. "check": per field Sesuai / Tidak Sesuai, computed here; the answer
//        carries no registry value at all. 200 with the pipeline's outcome.
//   GET  /api/v1/agreements/{id}/screens          the agreement's own screens (manifest
//        screens[]: fields, labels, patterns, required, options), each field marked with
//        what it feeds ("nik", "purpose" or "")
//   POST /api/v1/agreements/{id}/pattern-releases a supervisor lets one operator's next
//        refused lookup through, once, with a reason (juknis: sequential/patterned/rapid
//        entry); recorded in PatternReleases and audited with the lookup that uses it.
#pragma once

#include "core/web/router.hpp"
#include "core/web/ui_services.hpp"

#include <map>
#include <string>

namespace gerbang::web {

// Adds the three routes above to `router`. Throws std::invalid_argument (startup) when one
// already exists.
void registerUiLookupRoutes(Router& router, UiServices& services);

// The JSON the lookup screen receives for one answer in "data" or "check" mode (exposed
// for tests). `entered` is only used in check mode.
Poco::JSON::Object uiAnswerJson(const lookup::LookupAnswer& a, bool checkMode,
                                const std::map<std::string, std::string>& entered);

}  // namespace gerbang::web
