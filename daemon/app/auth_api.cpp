// auth_api.cpp — logins (issue 6, item 3), as RegistryApi members:
//   POST /api/v1/login   {"user":"…","password":"…"} → 200 {"token","expires_ms","user","role"}
//                        or 401 (one message for an unknown user and a wrong password)
//   POST /api/v1/logout  with "Authorization: Bearer TOKEN" → 200; 401 without a live session
//   GET  /api/v1/whoami  with the bearer token → the user, role and scope; 401 otherwise
//   POST /api/v1/password  {"current":"…","new":"…"} → 200 {"password_changed":true}: any
//                        signed-in user changes her own password (the new one follows the
//                        --add-user rule); every session of hers ends and her consoles close,
//                        so she signs in again. A wrong current password is a 403, audited as
//                        a refusal; nothing is written then.
//   GET  /api/v1/console-config  any signed-in user → {"tileUrl": "…"} (the web console's map)
//   GET  /api/v1/region-outlines  centralists and PAC operators → the active meldkamer regions
//                        as a GeoJSON FeatureCollection ({"id","name"} and the MultiPolygon);
//                        500 when it would exceed kMaxOutlineBytes
// The password is checked off the network thread (argon2id is slow by design); the token is
// returned once and only its SHA-256 is stored. Failed logins are logged without the password.
// Audited: a login and a logout as auth.login / auth.logout rows (written with the session's
// change), and a refused login (401) as a refusal of "anonymous" that names the user only when
// she is an active user: an unknown name may be a password typed into the wrong field.
#include <nlohmann/json.hpp>

#include "app/registry_api.hpp"
#include "auth/password.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "registry/registry_json.hpp"
#include "store/repository.hpp"

namespace aware::app {
namespace {

using netio::ApiResponse;
using Job = std::function<void(store::Repository&)>;

constexpr std::size_t kMaxUserName = 128;
constexpr std::size_t kMaxPassword = 1024;  // bytes; longer is refused before any hashing
constexpr std::size_t kMaxOutlineBytes = 8 << 20;  // the region outlines' answer, at most

ApiResponse unauthorized(const std::string& why) {
  return {401, registry::error_json(why), {}};
}

// 429: `name` is locked for `wait_ms` after repeated wrong passwords.
ApiResponse locked(core::TimeMs wait_ms) {
  const auto seconds = (wait_ms + 999) / 1000;
  return {429,
          nlohmann::json{{"error", "too many wrong passwords for this user: try again in " +
                                       std::to_string(seconds) + " s"},
                         {"retry_after_s", seconds}}
              .dump(),
          {}};
}

// Monotonic milliseconds for the login limits (a clock step cannot stretch a lock).
core::TimeMs steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// 503: the password checks of everyone together are at their pace.
ApiResponse checks_busy() {
  return {503, registry::error_json("too many password checks at once: try again in a moment"), {}};
}

nlohmann::json user_json(const store::UserRecord& u) {
  return {{"user", u.name},
          {"role", std::string(core::to_string(u.role))},
          {"regions", u.regions},
          {"organisation", u.organisation},
          {"clients", u.clients}};
}

// A hash of a password nobody has, so that an unknown user costs as much as a wrong password.
const std::string& decoy_hash() {
  static const std::string hash = auth::hash_password("awared-decoy-password").value_or("");
  return hash;
}

}  // namespace

bool RegistryApi::auth_route(const std::vector<std::string>& s, const std::string& m, Route& r) {
  if (s.size() == 1 && (s[0] == "console-config" || s[0] == "region-outlines")) {
    r.op = m != "GET"                    ? Op::not_allowed
           : s[0] == "console-config" ? Op::console_config
                                       : Op::region_outlines;
    r.allow = "GET";
    return true;
  }
  if (s.size() == 1 && s[0] == "password") {
    r.op = m == "POST" ? Op::password_change : Op::not_allowed;
    r.allow = "POST";
    return true;
  }
  if (s.size() != 1 || (s[0] != "login" && s[0] != "logout" && s[0] != "whoami")) {
    return false;
  }
  const auto want = s[0] == "whoami" ? "GET" : "POST";
  r.op = m != want ? Op::not_allowed : s[0] == "login" ? Op::login : s[0] == "logout" ? Op::logout : Op::whoami;
  r.allow = want;
  return true;
}

netio::awaitable<ApiResponse> RegistryApi::auth(const Route& r, const netio::ApiRequest& request) {
  const auto now = core::now_ms();
  if (r.op == Op::login) {
    auto j = nlohmann::json::parse(request.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("user") || !j["user"].is_string() ||
        !j.contains("password") || !j["password"].is_string()) {
      co_return ApiResponse{400, registry::error_json("body: {\"user\": …, \"password\": …} expected"), {}};
    }
    const std::string name = j["user"];
    const std::string password = j["password"];
    if (name.empty() || name.size() > kMaxUserName || password.size() > kMaxPassword) {
      refused_login("");
      co_return unauthorized("wrong user name or password");
    }
    core::LoginThrottle::Begun begun;
    if (auto refused = may_check(name, request.peer, begun)) {
      co_return std::move(*refused);  // no check at all, even of the right password
    }
    store::Result<std::optional<std::pair<store::UserRecord, std::string>>> found;
    Job job = [&](store::Repository& repo) { found = repo.user(name); };
    co_await backend_.on_store_thread(std::move(job));
    if (!found) {
      throttle_.abandoned(name, request.peer, begun);  // no password was checked
      co_return store_failed(found.error().message);
    }
    const bool known = *found && (*found)->first.active;
    const std::string hash = known ? (*found)->second : decoy_hash();
    std::string checked = hash;  // named: see settle() on GCC 12
    const bool ok = co_await backend_.check_password(std::move(checked), password);
    if (!known || !ok) {
      core::log("registry")->warn("AWR-6005 login refused for user {}", known ? name : "(unknown)");
      after_check(false, known ? name : "(unknown)", name, request.peer, begun);
      refused_login(known ? name : "");
      co_return unauthorized("wrong user name or password");
    }
    after_check(true, name, name, request.peer, begun);
    const auto token = auth::new_token();
    const auto expires = now + backend_.session_ttl_ms();
    store::Result<bool> stored = false;
    decltype(found) current = std::nullopt;  // the user as the session sees it (a change may
                                             // have come in during the password check)
    Job create = [&](store::Repository& repo) {
      stored = repo.create_session(name, auth::token_digest(token), now, expires, hash);
      if (stored && *stored) {
        current = repo.user(name);
      }
    };
    co_await backend_.on_store_thread(std::move(create));
    if (!stored) {
      co_return store_failed(stored.error().message);
    }
    if (!*stored) {  // the password was changed, or the user deactivated, while it was checked
      core::log("registry")->warn("AWR-6005 login refused for user {}", name);
      refused_login(name);
      co_return unauthorized("wrong user name or password");
    }
    core::log("registry")->info("AWR-6006 user {} logged in", name);
    auto body = user_json(current && *current ? (*current)->first : (*found)->first);
    body["token"] = token;
    body["expires_ms"] = expires;
    co_return ApiResponse{200, body.dump(), {}};
  }
  if (r.op == Op::console_config) {  // the caller is already authenticated (handle())
    co_return ApiResponse{200, nlohmann::json{{"tileUrl", backend_.console_tile_url()}}.dump(), {}};
  }
  if (r.op == Op::region_outlines) {  // authenticated and authorised (handle(), api_access)
    store::Result<store::RegistrySnapshot> rows;
    Job job = [&rows](store::Repository& repo) {
      rows = repo.read_records(store::RecordKind::region, std::nullopt);
    };
    // Every console page load asks for this: read it on the read connection, never on the store
    // thread that commits activations.
    co_await backend_.on_read_thread(std::move(job));
    if (!rows) {
      co_return store_failed(rows.error().message);
    }
    auto body = registry::region_outlines_json(
        registry::Document{std::move(rows->registry), std::move(rows->inactive_regions)});
    if (body.size() > kMaxOutlineBytes) {
      co_return ApiResponse{500, registry::error_json("the region outlines are too large"), {}};
    }
    co_return ApiResponse{200, std::move(body), {}};
  }
  const auto token = auth::bearer_token(request.authorization);
  if (token.empty()) {
    co_return unauthorized("log in first: Authorization: Bearer TOKEN");
  }
  const auto digest = auth::token_digest(token);
  if (r.op == Op::logout) {
    store::Result<bool> revoked;
    Job job = [&](store::Repository& repo) { revoked = repo.revoke_session(digest, now); };
    co_await backend_.on_store_thread(std::move(job));
    if (!revoked) {
      co_return store_failed(revoked.error().message);
    }
    if (!*revoked) {
      co_return unauthorized("no live session for this token");
    }
    backend_.session_ended(digest);  // its consoles too, not only its REST calls
    co_return ApiResponse{200, R"({"logged_out":true})", {}};
  }
  store::Result<std::optional<store::SessionUser>> user;
  Job job = [&](store::Repository& repo) { user = repo.session_user(digest, now); };
  co_await backend_.on_store_thread(std::move(job));
  if (!user) {
    co_return store_failed(user.error().message);
  }
  if (!*user) {
    co_return unauthorized("the session is unknown, expired or ended");
  }
  auto body = user_json((*user)->user);
  body["expires_ms"] = (*user)->expires_ms;
  co_return ApiResponse{200, body.dump(), {}};
}

netio::awaitable<ApiResponse> RegistryApi::change_password(const netio::ApiRequest& request,
                                                           const Caller& caller) {
  const auto j = nlohmann::json::parse(request.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    co_return ApiResponse{400, registry::error_json("body: {\"current\": …, \"new\": …} expected"), {}};
  }
  for (const auto& [key, value] : j.items()) {
    if (key != "current" && key != "new") {
      co_return ApiResponse{400, registry::error_json(unknown_field(key)), {}};
    }
    if (!value.is_string() || value.get_ref<const std::string&>().size() > kMaxPassword) {
      co_return ApiResponse{400, registry::error_json(key + ": a string of at most 1024 bytes"), {}};
    }
  }
  if (!j.contains("current")) {
    co_return ApiResponse{400, registry::error_json("current: required"), {}};
  }
  if (!j.contains("new")) {
    co_return ApiResponse{400, registry::error_json("new: required"), {}};
  }
  const std::string current = j["current"];
  std::string fresh = j["new"];
  if (const auto problem = auth::password_problem(fresh)) {
    co_return ApiResponse{400, registry::error_json("new: " + *problem), {}};
  }
  if (fresh == current) {
    co_return ApiResponse{400, registry::error_json("new: the same as the current password"), {}};
  }
  const std::string name = caller.actor;
  core::LoginThrottle::Begun begun;
  if (auto refused = may_check(name, request.peer, begun)) {
    co_return std::move(*refused);
  }
  store::Result<std::optional<std::pair<store::UserRecord, std::string>>> found;
  Job job = [&](store::Repository& repo) { found = repo.user(name); };
  co_await backend_.on_store_thread(std::move(job));
  if (!found || !*found || !(*found)->first.active) {
    throttle_.abandoned(name, request.peer, begun);  // no password was checked
  }
  if (!found) {
    co_return store_failed(found.error().message);
  }
  if (!*found || !(*found)->first.active) {
    co_return unauthorized("the session is unknown, expired or ended");
  }
  const std::string checked_hash = (*found)->second;
  std::string checked = checked_hash;  // named: see settle() on GCC 12
  const bool right = co_await backend_.check_password(std::move(checked), current);
  after_check(right, name, name, request.peer, begun);
  if (!right) {
    co_return refuse(403, request, name, "current: wrong password");
  }
  const auto hashed = co_await backend_.hash_password(std::move(fresh));
  if (!hashed) {
    co_return store_failed("the new password could not be hashed");
  }
  store::Result<bool> changed = false;
  Job change = [&](store::Repository& repo) {
    changed = repo.change_own_password(name, checked_hash, *hashed, core::now_ms());
  };
  co_await backend_.on_store_thread(std::move(change));
  if (!changed) {
    co_return store_failed(changed.error().message);
  }
  if (!*changed) {  // an admin reset her password or deactivated her while it was checked
    co_return unauthorized("the account was changed meanwhile: sign in again");
  }
  const auto closed = backend_.user_changed(name);
  core::log("registry")->info("AWR-6031 user {} changed their password; sessions ended, {} "
                              "console connection(s) closed", name, closed);
  co_return ApiResponse{200, R"({"password_changed":true})", {}};
}

std::optional<ApiResponse> RegistryApi::may_check(const std::string& name, const std::string& peer,
                                                  core::LoginThrottle::Begun& begun) {
  const auto now = steady_ms();
  if (const auto held = throttle_.locks(name, peer, now).longest(); held > 0) {
    return locked(held);  // before the pace: a locked guesser takes no one's turn
  }
  if (!throttle_.take_check(std::chrono::steady_clock::now())) {
    return checks_busy();
  }
  begun = throttle_.begin(name, peer, now);  // not locked (just seen): the presumed failure
  return std::nullopt;
}

void RegistryApi::refused_login(const std::string& known_name) {
  std::string what = "POST /api/v1/login";
  if (!known_name.empty()) {
    what += " as " + known_name;
  }
  backend_.refused({core::now_ms(), std::string(core::kAnonymous), std::move(what),
                    "wrong user name or password"});
}

void RegistryApi::after_check(bool right, const std::string& shown, const std::string& name,
                              const std::string& peer, const core::LoginThrottle::Begun& begun) {
  if (right) {
    throttle_.succeeded(name, peer, begun);
    return;
  }
  // Logged once, by the check whose failure set the lock, with the lock's length.
  if (begun.name_lock_ms > 0) {
    core::log("registry")->warn("AWR-6032 password checks for user {} from {} locked for {} s "
                                "after {} wrong passwords in a row", shown, peer,
                                (begun.name_lock_ms + 999) / 1000, begun.name_failures);
  }
  if (begun.address_lock_ms > 0) {
    core::log("registry")->warn("AWR-6033 password checks from {} locked for {} s after {} wrong "
                                "passwords", core::LoginThrottle::address_key(peer),
                                (begun.address_lock_ms + 999) / 1000,
                                begun.address_failures);
  }
}

}  // namespace aware::app
