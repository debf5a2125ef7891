// users_api.cpp — user management for admins (operation users_manage), as RegistryApi members
// (awarectl users …):
//   GET  /api/v1/users                     every user: name, role, scope, active (never a hash)
//   PUT  /api/v1/users/{name}              {"role", "regions", "organisation", "clients",
//        "password", "active"}: adds the user (201; a password is required) or replaces its
//        role and scope, and its password when one is given (200)
//   POST /api/v1/users/{name}/deactivate   the user can no longer sign in (404 when unknown)
// A change ends every live session of the user and closes their open console connections
// (RegistryBackend::user_changed), so a narrower scope or a revoked access applies at once; the
// user signs in again. A PUT without "active" or "password" keeps the user's. Refused with 409,
// writing nothing: a change that takes away the last active admin. {name} is percent-decoded; a new
// user's name must pass core::new_user_name_ok (an older user with another name can still be
// changed and deactivated). Every change is audited in its transaction (users.create,
// users.update — the new role, scope and whether the password changed, then the
// X-Justification —, users.deactivate), the list read too (users.list). The password is hashed
// off the network thread (argon2id) and never logged or returned.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/registry_api.hpp"
#include "auth/password.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/percent.hpp"
#include "registry/registry_json.hpp"
#include "store/repository.hpp"

namespace aware::app {
namespace {

using netio::ApiResponse;
using Job = std::function<void(store::Repository&)>;
using Change = store::Repository::UserChange;

constexpr std::size_t kMaxName = 128;
constexpr std::size_t kMaxNames = 256;  // regions or clients of one user

ApiResponse bad(const std::string& why) { return {400, registry::error_json(why), {}}; }

// `j` as text; a name that is not UTF-8 (users made before the name rule) gets U+FFFD instead
// of throwing.
std::string text_of(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A {name} path segment percent-decoded; nullopt when it is malformed, empty, longer than
// kMaxName or holds a control character.
std::optional<std::string> user_name_of(std::string_view segment) {
  auto out = core::percent_decode(segment, core::Plus::literal);
  if (!out || out->empty() || out->size() > kMaxName) {
    return std::nullopt;
  }
  return out;
}

nlohmann::json user_json(const store::UserRecord& u) {
  return {{"user", u.name},
          {"role", std::string(core::to_string(u.role))},
          {"regions", u.regions},
          {"organisation", u.organisation},
          {"clients", u.clients},
          {"active", u.active}};
}

// `field` of `body` as a set of names (a JSON array of strings); an error text when it is not.
tl::expected<core::NameSet, std::string> names_of(const nlohmann::json& body,
                                                   const std::string& field) {
  core::NameSet out;
  const auto it = body.find(field);
  if (it == body.end()) {
    return out;
  }
  if (!it->is_array() || it->size() > kMaxNames) {
    return tl::make_unexpected(field + ": an array of at most " + std::to_string(kMaxNames) +
                               " names");
  }
  for (const auto& n : *it) {
    if (!n.is_string() || n.get<std::string>().empty() || n.get<std::string>().size() > kMaxName ||
        n.get<std::string>().find(',') != std::string::npos) {
      return tl::make_unexpected(field + ": names are strings of 1 to 128 bytes without a comma");
    }
    out.insert(n.get<std::string>());
  }
  return out;
}

// The user a PUT body describes (its password, if any, in `password`); an error text naming
// the field when the body is not one.
tl::expected<store::UserRecord, std::string> parse_user(const std::string& name,
                                                        const std::string& body,
                                                        std::optional<std::string>& password,
                                                        bool& active_given) {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return tl::make_unexpected(std::string("body: a JSON object expected"));
  }
  for (const auto& [key, value] : j.items()) {
    static const std::set<std::string, std::less<>> known{
        "role", "regions", "organisation", "clients", "password", "active", "user"};
    if (known.count(key) == 0) {
      return tl::make_unexpected(unknown_field(key));
    }
  }
  if (j.contains("user") && (!j["user"].is_string() || j["user"].get<std::string>() != name)) {
    return tl::make_unexpected(std::string("user: must match the name in the URL"));
  }
  store::UserRecord u;
  u.name = name;
  const auto role = j.contains("role") && j["role"].is_string()
                        ? core::role_from(j["role"].get<std::string>())
                        : std::nullopt;
  if (!role) {
    return tl::make_unexpected(
        std::string("role: required, one of centralist, pac_operator, hulpverlener, admin"));
  }
  u.role = *role;
  auto regions = names_of(j, "regions");
  if (!regions) {
    return tl::make_unexpected(regions.error());
  }
  auto clients = names_of(j, "clients");
  if (!clients) {
    return tl::make_unexpected(clients.error());
  }
  if (u.role == core::Role::centralist) {
    if (regions->empty()) {
      return tl::make_unexpected(std::string("regions: a centralist needs at least one region"));
    }
    u.regions = std::move(*regions);
  }
  if (u.role == core::Role::hulpverlener) {
    if (clients->empty()) {
      return tl::make_unexpected(std::string("clients: a hulpverlener needs at least one client"));
    }
    u.clients = std::move(*clients);
    if (j.contains("organisation")) {
      if (!j["organisation"].is_string() || j["organisation"].get<std::string>().size() > kMaxName) {
        return tl::make_unexpected(std::string("organisation: a string of at most 128 bytes"));
      }
      u.organisation = j["organisation"].get<std::string>();
    }
  }
  if (j.contains("active")) {
    if (!j["active"].is_boolean()) {
      return tl::make_unexpected(std::string("active: true or false"));
    }
    u.active = j["active"].get<bool>();
  }
  active_given = j.contains("active");
  if (j.contains("password")) {
    if (!j["password"].is_string()) {
      return tl::make_unexpected(std::string("password: a string"));
    }
    const std::string p = j["password"].get<std::string>();
    if (auto problem = auth::password_problem(p)) {
      return tl::make_unexpected("password: " + *problem);
    }
    password = p;
  }
  return u;
}

// The answer to a change the store refused (nothing was written).
ApiResponse refused_change(const store::Repository::UserChangeResult& r) {
  switch (r.change) {
    case Change::unknown_user: return {404, registry::error_json("user: no such user"), {}};
    case Change::needs_password: return bad("password: required for a new user");
    case Change::last_admin:
      return {409, registry::error_json("user: this would take away the last active admin"), {}};
    case Change::unknown_region: return bad("regions: no region or desk " + r.name);
    case Change::unknown_client: return bad("clients: no client " + r.name);
    case Change::bad_name:
      return bad("user: a new user's name is 1 to 128 of the characters A-Z a-z 0-9 . _ @ -");
    case Change::created:
    case Change::replaced:
    case Change::deactivated: break;
  }
  return {500, registry::error_json("unexpected user change"), {}};
}

}  // namespace

bool RegistryApi::users_route(const std::vector<std::string>& s, const std::string& m, Route& r) {
  return resource_route(s, m, "users", "deactivate", Op::users_list, Op::user_put,
                        Op::user_deactivate, r);
}

netio::awaitable<ApiResponse> RegistryApi::users(const Route& r, const std::string& body,
                                                 const Caller& caller) {
  const auto now = core::now_ms();
  if (r.op == Op::users_list) {
    store::Result<std::vector<store::UserRecord>> all;
    store::Result<core::AuditRow> audited;
    Job job = [&](store::Repository& repo) {
      all = repo.users();
      if (all) {
        audited = repo.append_audit(caller.actor, "users.list", "users", caller.justification, now);
      }
    };
    co_await backend_.on_store_thread(std::move(job));
    if (!all || !audited) {
      co_return store_failed(!all ? all.error().message : audited.error().message);
    }
    auto out = nlohmann::json::array();
    for (const auto& u : *all) {
      out.push_back(user_json(u));
    }
    co_return ApiResponse{200, text_of(out), {}};
  }
  const auto decoded = user_name_of(r.id);
  if (!decoded) {
    co_return bad("user: 1 to 128 bytes, percent-encoded in the URL, no control characters");
  }
  const std::string name = *decoded;
  store::Result<store::Repository::UserChangeResult> changed;
  store::Repository::UserChangeRequest request;
  if (r.op == Op::user_deactivate) {
    Job job = [&](store::Repository& repo) {
      changed = repo.deactivate_user(name, caller.actor, caller.justification, now);
    };
    co_await backend_.on_store_thread(std::move(job));
  } else {
    std::optional<std::string> password;
    auto parsed = parse_user(name, body, password, request.active_given);
    if (!parsed) {
      co_return bad(parsed.error());
    }
    request.user = std::move(*parsed);
    if (password) {
      request.password_hash = co_await backend_.hash_password(std::move(*password));
      if (!request.password_hash) {
        co_return ApiResponse{500, registry::error_json("cannot hash the password"), {}};
      }
    }
    request.desks = backend_.desks();
    request.note = caller.justification;
    Job job = [&](store::Repository& repo) { changed = repo.change_user(request, caller.actor, now); };
    co_await backend_.on_store_thread(std::move(job));
  }
  if (!changed) {
    co_return store_failed(changed.error().message);
  }
  const auto change = changed->change;
  if (change != Change::created && change != Change::replaced && change != Change::deactivated) {
    co_return refused_change(*changed);
  }
  if (request.password_hash) {
    throttle_.clear_name(name);  // a new password from an admin: her name is no longer locked
  }
  const auto closed = backend_.user_changed(name);
  core::log("registry")->info("AWR-6030 user {} {} by {}; {} console connection(s) closed", name,
                              change == Change::created    ? "created"
                              : change == Change::replaced ? "changed"
                                                           : "deactivated",
                              caller.actor, closed);
  if (change == Change::deactivated) {
    co_return ApiResponse{200, text_of({{"user", name}, {"active", false}}), {}};
  }
  // What was stored: read back, so an "active" or password kept from before shows as it is.
  store::Result<std::optional<std::pair<store::UserRecord, std::string>>> stored;
  Job read = [&](store::Repository& repo) { stored = repo.user(name); };
  co_await backend_.on_store_thread(std::move(read));
  const auto& shown = stored && *stored ? (*stored)->first : request.user;
  co_return ApiResponse{change == Change::created ? 201U : 200U, text_of(user_json(shown)), {}};
}

std::string unknown_field(const std::string& key) {
  constexpr std::size_t kMaxShown = 64;
  const bool plain = key.size() <= kMaxShown && std::all_of(key.begin(), key.end(), [](char c) {
    return c > 0x20 && c < 0x7f;
  });
  return (plain ? key : std::string("body")) + ": unknown field";
}

}  // namespace aware::app
