// The lookup's HTTP entry points, mounted on core/web's Router (by `gerbang serve`):
//
//   POST /api/v1/agreements/{id}/lookup          agency applications, API token (Bearer)
//        body {"nik": "...", "operator": "...", "purpose": "..."}
//        answer: answerJson() with the status of httpStatusFor()
//   POST /dukcapil/get_json/{lembaga}/CALL_NIK   CALL_NIK-compatible (docs/portal.md shapes)
//        body {"NIK": ..., "user_id": <token id>, "password": <token secret>, "IP_USER": ...,
//              "operator": "...", "purpose": "..."}  (keys matched ignoring case)
//        answer: HTTP 200 with the registry's response shape, minimised and audited.
//
// Both go through LookupService, so every guard applies and every attempt is audited. The
// CALL_NIK endpoint's credentials are Gerbang API tokens, never the registry's: the
// registry's User ID and password stay in this host's configuration (rule 2 of every PKS:
// access rights are not handed on). `operator` and `purpose` are extra keys the registry
// ignores, so one application can speak to both; without them the lookup is refused
// (every lookup must name its operator and its service reference, rule 1 and rule 7).
#pragma once

#include "core/lookup/lookup_service.hpp"
#include "core/web/api_tokens.hpp"
#include "core/web/router.hpp"

namespace gerbang::lookup {

// Adds the two routes to `router`. `service`, `tokens` and `registry` must outlive the
// router. Throws std::invalid_argument (startup) when a route already exists.
void registerLookupRoutes(web::Router& router, LookupService& service,
                          const web::ApiTokenStore& tokens, const Registry& registry);

}  // namespace gerbang::lookup
