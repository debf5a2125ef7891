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
// Every change, read of records, export and dossier read writes an audit row
// (store/audit_rows.cpp); a change in the same transaction as its write, a read before the
// answer goes out. The actor is the request's "by" where it has one, else
// "api" (kApiActor).
// TODO(issue 6, security): no authentication or authorisation yet — anyone who can reach the
// meldkamer port can change registrations. Issue 6 adds TLS and roles (PAC operator); until
// then the port must stay on loopback or a closed network.
// THREAD SAFETY: handle() runs on the network thread; the backend hops to the other threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/alert.hpp"
#include "core/supervision.hpp"
#include "net/api_handler.hpp"
#include "registry/check.hpp"
#include "registry/types.hpp"

namespace aware::store {
class Repository;
}

namespace aware::app {

// The audit actor of API calls that name no one.
// TODO(issue 6): the user of the request's session (auth_api.cpp) once these routes need one.
inline constexpr std::string_view kApiActor = "api";

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
  // How long a login session lasts ([security] session_ttl_s), in ms.
  [[nodiscard]] virtual std::int64_t session_ttl_ms() const = 0;
  // The rules device supervision runs with (for computing staleness in answers).
  [[nodiscard]] virtual const core::SupervisionRules& supervision_rules() const = 0;
};

// Helpers shared by the RegistryApi .cpp files.
// The 500 answer for a store failure (logged as AWR-6004; the message goes to the client).
netio::ApiResponse store_failed(const std::string& message);
// "name=value" from a query string (the target after '?'), if present.
std::optional<std::string> query_param(const std::string& query, std::string_view name);

class RegistryApi final : public netio::ApiHandler {
 public:
  explicit RegistryApi(RegistryBackend& backend) : backend_{backend} {}

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
    device_status, contracts, contract_end, login, logout, whoami, audit_list, audit_verify
  };
  struct Route {
    Op op = Op::not_found;
    registry::Kind kind = registry::Kind::client;
    std::string id;
    std::string allow;           // for not_allowed
    std::string query;           // the target's query string (after '?'), for list filters
  };
  static Route route(const netio::ApiRequest& request);

  netio::awaitable<netio::ApiResponse> list(registry::Kind kind);
  netio::awaitable<netio::ApiResponse> show(registry::Kind kind, std::string id);
  netio::awaitable<netio::ApiResponse> create(registry::Kind kind, const std::string& body);
  netio::awaitable<netio::ApiResponse> update(registry::Kind kind, std::string id,
                                              const std::string& body);
  netio::awaitable<netio::ApiResponse> deactivate(registry::Kind kind, std::string id);
  netio::awaitable<netio::ApiResponse> import(const std::string& body);
  netio::awaitable<netio::ApiResponse> import_regions(const std::string& body);
  netio::awaitable<netio::ApiResponse> export_all();
  // dossier_api.cpp: GET /clients/{id}/subject-export — everything awared holds about one
  // client (a subject-access request), audited.
  netio::awaitable<netio::ApiResponse> subject_export(std::string client_id);
  // supervision_api.cpp: proefmelding windows, alerts, device status, contracts (issue 5).
  static bool supervision_route(const std::vector<std::string>& s, const std::string& method,
                                Route& r);
  netio::awaitable<netio::ApiResponse> supervision(const Route& r, const std::string& body);
  // auth_api.cpp: POST /login, POST /logout, GET /whoami (issue 6).
  static bool auth_route(const std::vector<std::string>& s, const std::string& method, Route& r);
  netio::awaitable<netio::ApiResponse> auth(const Route& r, const netio::ApiRequest& request);
  // audit_api.cpp: GET /api/v1/audit[?after=ID&limit=N] and GET /api/v1/audit/verify.
  static bool audit_route(const std::vector<std::string>& s, const std::string& method,
                          Route& r);
  netio::awaitable<netio::ApiResponse> audit(const Route& r);
  // GET /api/v1/clients/{id}/dossier (dossier_api.cpp): every activation of the client, oldest
  // first, with its incident's state and outcome; 404 for an unknown client.
  netio::awaitable<netio::ApiResponse> dossier(std::string client_id);

  // Step 2 above for a parsed document (single: one record from a single-record endpoint);
  // every record written gets an audit row with `action`, in the same transaction.
  netio::awaitable<Written> write(const registry::Document& doc, registry::Mode mode,
                                  bool single, const std::string& action);
  // Step 3 and the reply: `ok_status`/`ok_body` once matching uses the change; the error of a
  // refused write; 500 when the index could not be rebuilt. `what` names the change in the log.
  // (Arguments by reference and named at the call: GCC 12 mis-destroys temporaries passed to
  // a coroutine inside co_await.)
  netio::awaitable<netio::ApiResponse> settle(const Written& written, const std::string& what,
                                              unsigned ok_status, const std::string& ok_body);

  RegistryBackend& backend_;
};

}  // namespace aware::app
