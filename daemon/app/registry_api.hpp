// registry_api.hpp — the REST API under /api/v1 for the registry (clients, devices, AOPs, AOLs,
// regions; bulk import and export; a client's dossier of activations), wired between the HTTP
// server (net/), the pure registry stage (registry/) and the store (store/).
//
// Every change runs the same way, and only then is it answered:
//   1. parse and validate the body — network thread, pure (registry::parse_*);
//   2. on the store thread, in one job: check ids and references against the store
//      (registry::check_against_store) and write everything in ONE transaction;
//   3. build a new MatchIndex from the registry and swap it in (RegistryBackend, index thread).
// So a 2xx means matching already uses the change; a 4xx means nothing was written. Matching
// never waits: it keeps reading the previous index until the swap.
//
// Access (issue 6): every request except POST /api/v1/login needs "Authorization: Bearer TOKEN"
// of a live session (else 401), and the session's user must be allowed the route's operation
// by core::decide() (else 403 with the reason); the route → operation table is
// api_access.cpp. Both refusals are audited through the daemon's refusal queue.
//
// Every change, read of records, export and dossier read writes an audit row
// (store/audit_rows.cpp); a change in the same transaction as its write, a read before the
// answer goes out. The actor is always the session's user (a "by" field in a body is accepted
// for old clients and ignored). Reading an AOP (GET /api/v1/aops/{id}) records the request's
// "X-Justification" header (1..500 characters; a centralist must send one).
// THREAD SAFETY: handle() runs on the network thread; the backend hops to the other threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "core/alert.hpp"
#include "core/login_throttle.hpp"
#include "core/policy.hpp"
#include "core/refusals.hpp"
#include "core/supervision.hpp"
#include "net/api_handler.hpp"
#include "registry/check.hpp"
#include "registry/types.hpp"

namespace aware::store {
class Repository;
}

namespace aware::app {

// What the API needs from the daemon. Implemented by Daemon.
class RegistryBackend {
 public:
  virtual ~RegistryBackend() = default;
  // Runs `job` on the store thread with the repository; resumes on the network thread.
  virtual netio::awaitable<void> on_store_thread(std::function<void(store::Repository&)> job) = 0;
  // Runs a long read-only `job` on the index thread's own read connection, so it never delays
  // the store thread (and with it the alarm path); resumes on the network thread.
  virtual netio::awaitable<void> on_read_thread(std::function<void(store::Repository&)> job) = 0;
  // Returns once matching uses an index built from registry version >= `version` (building one
  // if needed), or a message saying why no such index could be built.
  virtual netio::awaitable<std::optional<std::string>> index_at_least(std::int64_t version) = 0;
  // Sends alerts the API changed (e.g. a contract alert resolved) to the PAC consoles.
  virtual void publish_alerts(const std::vector<core::Alert>& alerts) = 0;
  // Runs auth::verify_password off the network thread (it costs tens of ms by design).
  virtual netio::awaitable<bool> check_password(std::string hash, std::string password) = 0;
  // auth::hash_password off the network thread (argon2id); nullopt when it failed.
  virtual netio::awaitable<std::optional<std::string>> hash_password(std::string password) = 0;
  // The desks a centralist may serve besides the regions table: [match] default_region and
  // [escalation] fallback_region.
  [[nodiscard]] virtual core::NameSet desks() const = 0;
  // A user was changed or deactivated (their sessions already ended in the store): closes
  // their open console connections; returns how many.
  virtual std::size_t user_changed(const std::string& name) = 0;
  // A session (the digest of its token) was logged out: closes its open console connections;
  // returns how many.
  virtual std::size_t session_ended(const std::string& digest) = 0;
  // How long a login session lasts ([security] session_ttl_s), in ms.
  [[nodiscard]] virtual std::int64_t session_ttl_ms() const = 0;
  // The web console map's tile URL template ([meldkamer] tile_url; "" = none), for
  // GET /api/v1/console-config.
  [[nodiscard]] virtual std::string console_tile_url() const { return {}; }
  // The rules device supervision runs with (for computing staleness in answers).
  [[nodiscard]] virtual const core::SupervisionRules& supervision_rules() const = 0;
  // The user of the live session named by an "Authorization: Bearer TOKEN" header, or why
  // there is none (for the 401). Reads the store; resumes on the network thread.
  virtual netio::awaitable<tl::expected<core::Principal, std::string>> authenticate(
      std::string authorization) = 0;
  // Queues the audit row of a refused request (written in batches; core/refusals.hpp).
  virtual void refused(core::Refusal refusal) = 0;
  // Writes the queued refusals now (before the audit log is read, so it is complete).
  virtual netio::awaitable<void> flush_refusals() = 0;
};

// The longest X-Justification accepted.
inline constexpr std::size_t kMaxJustification = 500;

// Helpers shared by the RegistryApi .cpp files.
// The 500 answer for a store failure (logged as AWR-6004; the message goes to the client).
netio::ApiResponse store_failed(const std::string& message);
// "KEY: unknown field" for a JSON body's unknown key; "body: unknown field" when the key is
// longer than 64 bytes or not printable ASCII (a refusal never echoes arbitrary input).
std::string unknown_field(const std::string& key);
// "name=value" from a query string (the target after '?'), if present.
std::optional<std::string> query_param(const std::string& query, std::string_view name);

class RegistryApi final : public netio::ApiHandler {
 public:
  RegistryApi(RegistryBackend& backend, core::LoginLimits limits)
      : backend_{backend}, throttle_{limits} {}

  netio::awaitable<netio::ApiResponse> handle(netio::ApiRequest request) override;

 private:
  // What a store job produced: an error (with its HTTP status) or the new registry version.
  struct Written {
    unsigned status = 0;         // 0 = written; else the HTTP status of the refusal
    std::string field;           // the refused field (for the log; no values are logged)
    std::string error;           // the JSON error body (for 500: the store's message)
    std::int64_t version = 0;    // the registry version the write produced
  };

  enum class Op {
    not_found, not_allowed, list, show, create, update, deactivate, import, import_regions,
    export_all, dossier, subject_export, test_window_start, test_window_stop, test_windows, alerts,
    device_status, contracts, contract_end, login, logout, whoami, console_config, region_outlines, audit_list,
    audit_verify, dc09_links, dc09_link, dc09_unlink, users_list, user_put, user_deactivate,
    password_change
  };
  struct Route {
    Op op = Op::not_found;
    registry::Kind kind = registry::Kind::client;
    std::string id;
    std::string allow;           // for not_allowed
    std::string query;           // the target's query string (after '?'), for list filters
  };
  static Route route(const netio::ApiRequest& request);

  // What the policy is asked about a route (api_access.cpp).
  struct Access {
    bool any_user = false;       // only a live session is needed (whoami, logout, 404, 405)
    core::Operation op = core::Operation::registry_read;
    core::Resource resource;
  };
  // The route's operation and resource; nullopt = no rule, refused (default deny).
  static std::optional<Access> access_of(const Route& r, const std::string& justification);

  // Who asks (the audit actor) and why (X-Justification, may be empty).
  struct Caller {
    std::string actor;
    std::string justification;
  };
  // Runs the operation of an authorised request.
  netio::awaitable<netio::ApiResponse> serve(const Route& r, const netio::ApiRequest& request,
                                             const Caller& caller);
  // Queues the refusal's audit row and builds the 401 / 403 answer.
  netio::ApiResponse refuse(unsigned status, const netio::ApiRequest& request,
                            const std::string& actor, const std::string& reason);

  netio::awaitable<netio::ApiResponse> list(registry::Kind kind, const Caller& caller);
  netio::awaitable<netio::ApiResponse> show(registry::Kind kind, std::string id,
                                            const Caller& caller);
  netio::awaitable<netio::ApiResponse> create(registry::Kind kind, const std::string& body,
                                              const Caller& caller);
  netio::awaitable<netio::ApiResponse> update(registry::Kind kind, std::string id,
                                              const std::string& body, const Caller& caller);
  netio::awaitable<netio::ApiResponse> deactivate(registry::Kind kind, std::string id,
                                                  const Caller& caller);
  netio::awaitable<netio::ApiResponse> import(const std::string& body, const Caller& caller);
  netio::awaitable<netio::ApiResponse> import_regions(const std::string& body,
                                                      const Caller& caller);
  netio::awaitable<netio::ApiResponse> export_all(const Caller& caller);
  // dossier_api.cpp: GET /clients/{id}/subject-export — everything awared holds about one
  // client (a subject-access request), audited.
  netio::awaitable<netio::ApiResponse> subject_export(std::string client_id, const Caller& caller);
  // supervision_api.cpp: proefmelding windows, alerts, device status, contracts (issue 5).
  static bool supervision_route(const std::vector<std::string>& s, const std::string& method,
                                Route& r);
  netio::awaitable<netio::ApiResponse> supervision(const Route& r, const std::string& body,
                                                   const Caller& caller);
  // auth_api.cpp: POST /login, POST /logout, GET /whoami (issue 6); GET /console-config (the
  // web console's settings for any signed-in user: {"tileUrl": "…"}, issue 7); GET
  // /region-outlines (the active regions as GeoJSON for the maps, issue 7).
  static bool auth_route(const std::vector<std::string>& s, const std::string& method, Route& r);
  netio::awaitable<netio::ApiResponse> auth(const Route& r, const netio::ApiRequest& request);
  // Before a password check of `name` from `peer`: a 429 or 503 answer when it may not run now
  // (throttle_), else nullopt — and the check counts as failed until after_check() says otherwise.
  std::optional<netio::ApiResponse> may_check(const std::string& name, const std::string& peer,
                                              core::LoginThrottle::Begun& begun);
  // Audits a 401 of POST /api/v1/login as a refusal (backend_.refused), naming the user only
  // when `known_name` is not empty: pass an active user's name only (an unknown name may be a
  // password typed into the wrong field).
  void refused_login(const std::string& known_name);
  // After the check: clears the presumed failure, or logs AWR-6032 (naming `shown`) / AWR-6033
  // when this check's failure locked the name or the address.
  void after_check(bool right, const std::string& shown, const std::string& name,
                   const std::string& peer, const core::LoginThrottle::Begun& begun);
  // POST /api/v1/password: the caller changes her own password (auth_api.cpp).
  netio::awaitable<netio::ApiResponse> change_password(const netio::ApiRequest& request,
                                                       const Caller& caller);
  // audit_api.cpp: GET /api/v1/audit[?after=ID&limit=N] and GET /api/v1/audit/verify.
  static bool audit_route(const std::vector<std::string>& s, const std::string& method,
                          Route& r);
  netio::awaitable<netio::ApiResponse> audit(const Route& r, const Caller& caller);
  // dc09_api.cpp: the DC-09 account → device links (GET /dc09-accounts, PUT
  // /dc09-accounts/{account}, POST /dc09-accounts/{account}/unlink).
  static bool dc09_route(const std::vector<std::string>& s, const std::string& method, Route& r);
  netio::awaitable<netio::ApiResponse> dc09(const Route& r, const std::string& body,
                                            const Caller& caller);
  // A resource at /api/v1/NAME: GET NAME is `list`, PUT NAME/{id} is `put`, POST
  // NAME/{id}/ACTION is `act` (r.id = {id}); any other method there is 405. False for any other
  // path (dc09-accounts, users).
  static bool resource_route(const std::vector<std::string>& s, const std::string& method,
                             std::string_view name, std::string_view action, Op list, Op put,
                             Op act, Route& r);
  // users_api.cpp: user management for admins (GET /users, PUT /users/{name}, POST
  // /users/{name}/deactivate).
  static bool users_route(const std::vector<std::string>& s, const std::string& method, Route& r);
  netio::awaitable<netio::ApiResponse> users(const Route& r, const std::string& body,
                                             const Caller& caller);
  // GET /api/v1/clients/{id}/dossier (dossier_api.cpp): every activation of the client, oldest
  // first, with its incident's state and outcome; 404 for an unknown client.
  netio::awaitable<netio::ApiResponse> dossier(std::string client_id, const Caller& caller);

  // Step 2 above for a parsed document (single: one record from a single-record endpoint);
  // every record written gets an audit row with `action`, in the same transaction.
  netio::awaitable<Written> write(const registry::Document& doc, registry::Mode mode,
                                  bool single, const std::string& action, const Caller& caller);
  // Step 3 and the reply: `ok_status`/`ok_body` once matching uses the change; the error of a
  // refused write; 500 when the index could not be rebuilt. `what` names the change in the log.
  // (Arguments by reference and named at the call: GCC 12 mis-destroys temporaries passed to
  // a coroutine inside co_await.)
  netio::awaitable<netio::ApiResponse> settle(const Written& written, const std::string& what,
                                              unsigned ok_status, const std::string& ok_body);

  RegistryBackend& backend_;
  core::LoginThrottle throttle_;  // password guessing made slow (auth_api.cpp)
};

}  // namespace aware::app
