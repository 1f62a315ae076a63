/*
 * Gerbang plugin ABI, version 1.
 *
 * This is the whole contract between the Gerbang host and an agreement plugin. It is plain
 * C so that nothing C++ crosses the boundary: no exceptions, no std::string, no RTTI, no
 * allocator mismatch. C++ authors normally use <gerbang/sdk/plugin.hpp> instead, which
 * builds these tables from an ordinary class.
 *
 * Stability rules:
 *  - A plugin exports exactly one symbol, gerbang_plugin_entry_v1, returning a pointer to a
 *    gerbang_plugin_v1 table with static storage duration.
 *  - Tables are size-prefixed and append-only. A new hook is added at the end and bumps
 *    GERBANG_ABI_MINOR. The host refuses a plugin whose abi_major differs from its own or
 *    whose abi_minor is newer than its own, and one whose table is shorter than the
 *    version-1.0 layout.
 *  - Every string crossing the boundary is NUL-terminated UTF-8. The callee never frees
 *    what the caller owns. Output goes through a gerbang_writer, so no memory allocated on
 *    one side is ever released on the other.
 *  - The host never unloads a plugin while running. Hooks may be called from several
 *    threads at once; a plugin with shared mutable state must synchronise it.
 */
#ifndef GERBANG_SDK_PLUGIN_H
#define GERBANG_SDK_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. */
#define GERBANG_ABI_MAJOR 1
#define GERBANG_ABI_MINOR 1

/* Name of the single exported entry symbol. */
#define GERBANG_PLUGIN_ENTRY_SYMBOL "gerbang_plugin_entry_v1"

#if defined(_WIN32)
#define GERBANG_PLUGIN_EXPORT __declspec(dllexport)
#else
#define GERBANG_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Result of every hook. Anything other than GERBANG_OK means the hook refused or failed;
 * the host treats an unknown value like GERBANG_ERROR. */
typedef enum gerbang_status {
  GERBANG_OK = 0,
  GERBANG_INVALID = 1, /* the input is wrong; the message says what and where (for users) */
  GERBANG_ERROR = 2    /* the plugin failed; the message is for the host's log */
} gerbang_status;

/* Log levels for gerbang_host_v1.log. */
typedef enum gerbang_log_level {
  GERBANG_LOG_DEBUG = 0,
  GERBANG_LOG_INFO = 1,
  GERBANG_LOG_WARN = 2,
  GERBANG_LOG_ERROR = 3
} gerbang_log_level;

/* A sink for bytes the callee produces. The callee calls write() zero or more times; the
 * bytes are copied by the owner before write() returns. Never NULL when passed to a hook. */
typedef struct gerbang_writer {
  void* ctx;
  void (*write)(void* ctx, const char* data, size_t size);
} gerbang_writer;

/* One named value, e.g. a field of a balikan record or a route's path parameter. */
typedef struct gerbang_kv {
  const char* key;
  const char* value;
} gerbang_kv;

/* An HTTP request the host has already authenticated, authorised, CSRF-checked and
 * rate-limited, for a route the plugin's manifest declares. */
typedef struct gerbang_route_request {
  const char* route_id;      /* the id of the route in the manifest */
  const char* method;        /* "GET", "POST", ... */
  const char* operator_id;   /* the local user id of the signed-in operator */
  const char* role;          /* "operator", "supervisor", "admin" or "evaluator" */
  const gerbang_kv* params;  /* path and query parameters */
  size_t param_count;
  const char* body;          /* request body (JSON), "" when none */
} gerbang_route_request;

/* Services the host offers a plugin. Valid from init() until the process ends. */
typedef struct gerbang_host_v1 {
  uint32_t size; /* sizeof(gerbang_host_v1) as the host knows it; check before using a field */
  uint16_t abi_major;
  uint16_t abi_minor;
  void* ctx; /* pass back unchanged */

  /* Writes one line to the host's log, tagged with the plugin's agency id. The host drops
   * anything that looks like a NIK, so never try to log personal data. Thread-safe. */
  void (*log)(void* ctx, gerbang_log_level level, const char* message);

  /* Runs one lookup through the host's full compliance pipeline, as the operator of the
   * current request. Writes the JSON result (outcome, message, minimised data,
   * quota_remaining) to out and returns GERBANG_OK; returns GERBANG_ERROR when the host
   * cannot perform lookups in this context: outside a route call (another thread, init,
   * a balikan hook), in a route whose manifest entry does not list "lookup" in "uses", or
   * with an operator_id other than the request's. The NIK and purpose reference are
   * validated by the host. */
  gerbang_status (*lookup)(void* ctx, const char* operator_id, const char* nik,
                           const char* purpose_ref, gerbang_writer* out);

  /* ABI 1.1 (check GERBANG_HOST_HAS(host, submit_balikan) first). Records one data-balikan
   * record of the plugin's agreement through the host's intake: the manifest's balikan
   * schema, the plugin's validate_balikan hook, the rule that the person was accessed under
   * this agreement (an open obligation), the durable outbox; the person's obligation closes.
   * fields holds the record by balikan schema field name (the NIK under the schema's "nik"
   * field). Only during a route call whose manifest route lists "balikan" in "uses".
   * Writes a JSON object to out: {"status":"accepted","record":...,"already_queued":...,
   * "obligation_closed":...} and returns GERBANG_OK; or {"error":...,"message":...,
   * "errors":[{"field","label","reason"}]} and returns GERBANG_INVALID when the record is
   * refused; returns GERBANG_ERROR (out may hold {"error","message"}) when the host cannot
   * record balikan in this context or its store failed. */
  gerbang_status (*submit_balikan)(void* ctx, const gerbang_kv* fields, size_t count,
                                   gerbang_writer* out);
} gerbang_host_v1;

/* Whether a host table is long enough to hold `field` (a host built against an older SDK
 * passes a shorter table: never read past its size). */
#define GERBANG_HOST_HAS(host, field)                                                   \
  ((host) != NULL && (host)->size >= offsetof(gerbang_host_v1, field) + sizeof((host)->field) && \
   (host)->field != NULL)

/* What a plugin exports. All hooks are optional (NULL = not provided). */
typedef struct gerbang_plugin_v1 {
  uint32_t size; /* sizeof(gerbang_plugin_v1) as the plugin was compiled */
  uint16_t abi_major; /* GERBANG_ABI_MAJOR of the plugin's SDK */
  uint16_t abi_minor; /* GERBANG_ABI_MINOR of the plugin's SDK */

  /* The agreement's manifest: a JSON document with static storage duration, validated
   * strictly by the host against docs/manifest.md. Must not be NULL. */
  const char* manifest_json;

  /* Called once after the manifest is accepted. On GERBANG_OK the plugin may set *state;
   * it is passed to every later hook. On failure the plugin writes a reason to error and
   * the host refuses the plugin. */
  gerbang_status (*init)(const gerbang_host_v1* host, void** state, gerbang_writer* error);

  /* Called once at orderly shutdown. */
  void (*shutdown)(void* state);

  /* Cross-field rules for one balikan record, after the host has checked the schema
   * (types, required, length, pattern, enum). fields holds every schema field present in
   * the record. On GERBANG_INVALID the plugin writes an Indonesian message for the
   * operator, naming the field. */
  gerbang_status (*validate_balikan)(void* state, const gerbang_kv* fields, size_t count,
                                     gerbang_writer* message);

  /* Handles a request to one of the routes the manifest declares. Writes the JSON response
   * body to body and the HTTP status to *http_status (the host uses 200 if left at 0).
   * The host wraps the answer: it audits the call and removes any field the agreement
   * does not permit before it reaches the caller. */
  gerbang_status (*handle_route)(void* state, const gerbang_host_v1* host,
                                 const gerbang_route_request* request, int* http_status,
                                 gerbang_writer* body);
} gerbang_plugin_v1;

/* Layout size of ABI 1.0; the host refuses a table shorter than this. */
#define GERBANG_PLUGIN_V1_0_SIZE (offsetof(gerbang_plugin_v1, handle_route) + sizeof(void*))

/* The entry point every plugin exports. Returns a table with static storage duration;
 * must not fail and must not throw. */
typedef const gerbang_plugin_v1* (*gerbang_plugin_entry_v1_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* GERBANG_SDK_PLUGIN_H */
