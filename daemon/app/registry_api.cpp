// registry_api.cpp — routing and operations of the /api/v1 registry API (see registry_api.hpp).
#include "app/registry_api.hpp"

#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "registry/registry_json.hpp"
#include "store/repository.hpp"

namespace aware::app {
namespace {

using netio::ApiResponse;
using registry::Kind;
using Job = std::function<void(store::Repository&)>;

// A store failure met while checking references; turned into a 500 by write().
struct StoreFailure {
  std::string message;
};

store::RecordKind to_store(Kind kind) { return static_cast<store::RecordKind>(kind); }

unsigned status_of(registry::ErrorKind kind) {
  switch (kind) {
    case registry::ErrorKind::invalid: return 400;
    case registry::ErrorKind::not_found: return 404;
    case registry::ErrorKind::conflict: return 409;
  }
  return 400;
}

ApiResponse refused(const registry::Error& e, std::string_view what) {
  const auto status = status_of(e.kind);
  core::log("registry")->info("AWR-6002 registry: {} refused ({}{}{})", what, status,
                              e.field.empty() ? "" : " at ", e.field);
  return {status, registry::error_json(e), {}};
}

ApiResponse not_found(Kind kind, const std::string& id) {
  return {404, registry::error_json("no " + std::string(registry::singular(kind)) + " '" + id +
                                    "'"),
          {}};
}

ApiResponse method_not_allowed(std::string allow) {
  return {405, registry::error_json("method not allowed; use " + allow), std::move(allow)};
}

// "/api/v1/clients/C-1?x=y" -> {"clients", "C-1"}; nullopt outside /api/v1/.
std::optional<std::vector<std::string>> segments(const std::string& target) {
  constexpr std::string_view kPrefix = "/api/v1/";
  std::string_view path{target};
  path = path.substr(0, path.find('?'));
  if (path.rfind(kPrefix, 0) != 0) {
    return std::nullopt;
  }
  path.remove_prefix(kPrefix.size());
  std::vector<std::string> out;
  while (!path.empty()) {
    const auto slash = path.find('/');
    out.emplace_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  return out;
}

std::string counts_json(const registry::Document& doc) {
  nlohmann::json counts = nlohmann::json::object();
  for (auto kind : {Kind::client, Kind::device, Kind::aop, Kind::aol, Kind::region}) {
    counts[std::string(registry::plural(kind))] = registry::count(doc, kind);
  }
  return nlohmann::json{{"imported", counts}}.dump();
}

// The audit row of a disclosure by the API (action, subject), written before the answer goes
// out. Runs on the store thread.
store::Result<core::AuditRow> audit_read(store::Repository& r, const std::string& actor,
                                         const std::string& action, const std::string& subject,
                                         const std::string& justification = {}) {
  return r.append_audit(actor, action, subject, justification, core::now_ms());
}

}  // namespace

ApiResponse store_failed(const std::string& message) {
  core::log("registry")->error("AWR-6004 registry: store failure: {}", message);
  return {500, registry::error_json("store: " + message), {}};
}

// Chooses the operation, or the 404/405 answer, for a request. Plain (no coroutine) so that no
// co_await sits inside a conditional expression (GCC 12 miscompiles that).
RegistryApi::Route RegistryApi::route(const netio::ApiRequest& request) {
  const auto segs = segments(request.target);
  const auto& m = request.method;
  Route r;
  if (!segs || segs->empty()) {
    return r;
  }
  const auto& s = *segs;
  auto only = [&r](std::string_view method, std::string_view have, Op op) {
    r.op = have == method ? op : Op::not_allowed;
    r.allow = std::string(method);
  };
  if (s.size() == 1 && (s[0] == "import" || s[0] == "export")) {
    s[0] == "import" ? only("POST", m, Op::import) : only("GET", m, Op::export_all);
    return r;
  }
  r.query = request.target.find('?') == std::string::npos
                ? std::string{}
                : request.target.substr(request.target.find('?') + 1);
  if (supervision_route(s, m, r) || auth_route(s, m, r) || audit_route(s, m, r) ||
      dc09_route(s, m, r) || users_route(s, m, r)) {
    return r;
  }
  if (s.size() == 3 && s[0] == "clients" && s[2] == "dossier" && !s[1].empty()) {
    only("GET", m, Op::dossier);
    r.id = s[1];
    return r;
  }
  if (s.size() == 3 && s[0] == "clients" && s[2] == "subject-export" && !s[1].empty()) {
    only("GET", m, Op::subject_export);
    r.id = s[1];
    return r;
  }
  if (s.size() == 2 && s[0] == "regions" && s[1] == "import" && m == "POST") {
    r.op = Op::import_regions;
    return r;
  }
  const auto kind = registry::kind_from_name(s[0]);
  if (!kind || registry::plural(*kind) != s[0] || s.size() > 3 ||
      (s.size() == 3 && s[2] != "deactivate") || (s.size() >= 2 && s[1].empty())) {
    return r;
  }
  r.kind = *kind;
  if (s.size() >= 2) {
    r.id = s[1];
  }
  if (s.size() == 1) {
    r.op = m == "GET" ? Op::list : m == "POST" ? Op::create : Op::not_allowed;
    r.allow = "GET, POST";
  } else if (s.size() == 2) {
    r.op = m == "GET" ? Op::show : m == "PUT" ? Op::update : Op::not_allowed;
    r.allow = "GET, PUT";
  } else {
    only("POST", m, Op::deactivate);
  }
  return r;
}

bool RegistryApi::resource_route(const std::vector<std::string>& s, const std::string& m,
                                 std::string_view name, std::string_view action, Op list, Op put,
                                 Op act, Route& r) {
  if (s.empty() || s[0] != name || s.size() > 3) {
    return false;
  }
  auto only = [&r, &m](std::string_view method, Op op) {
    r.op = m == method ? op : Op::not_allowed;
    r.allow = std::string(method);
    return true;
  };
  if (s.size() == 1) {
    return only("GET", list);
  }
  if (s[1].empty() || (s.size() == 3 && s[2] != action)) {
    return false;
  }
  r.id = s[1];
  return s.size() == 2 ? only("PUT", put) : only("POST", act);
}

netio::awaitable<ApiResponse> RegistryApi::handle(netio::ApiRequest request) {
  const auto r = route(request);
  if (r.op == Op::login) {
    co_return co_await auth(r, request);
  }
  std::string authorization = request.authorization;  // named: see settle() on GCC 12
  auto who = co_await backend_.authenticate(std::move(authorization));
  if (!who) {
    co_return refuse(401, request, std::string(core::kAnonymous), who.error());
  }
  if (request.justification.size() > kMaxJustification) {
    co_return ApiResponse{400,
                          registry::error_json("X-Justification: at most " +
                                               std::to_string(kMaxJustification) + " characters"),
                          {}};
  }
  const auto access = access_of(r, request.justification);
  if (!access) {
    co_return refuse(403, request, who->name, "no access rule for this request");
  }
  if (!access->any_user) {
    const auto decision = core::decide_at(&*who, access->op, access->resource, core::now_ms());
    if (!decision.allowed) {
      co_return refuse(403, request, who->name, decision.reason);
    }
  }
  const Caller caller{who->name, request.justification};
  co_return co_await serve(r, request, caller);
}

ApiResponse RegistryApi::refuse(unsigned status, const netio::ApiRequest& request,
                                const std::string& actor, const std::string& reason) {
  constexpr std::size_t kMaxWhat = 256;
  auto what = request.method + " " + request.target;
  if (what.size() > kMaxWhat) {
    what.resize(kMaxWhat);
  }
  core::log("registry")->info("AWR-6011 {} refused ({}): {}", what, status, reason);
  backend_.refused({core::now_ms(), actor, std::move(what), reason});
  return {status, registry::error_json(reason), {}};
}

netio::awaitable<ApiResponse> RegistryApi::serve(const Route& r, const netio::ApiRequest& request,
                                                 const Caller& caller) {
  ApiResponse response;
  switch (r.op) {
    case Op::not_found: response = {404, registry::error_json("not found"), {}}; break;
    case Op::not_allowed: response = method_not_allowed(r.allow); break;
    case Op::list: response = co_await list(r.kind, caller); break;
    case Op::show: response = co_await show(r.kind, r.id, caller); break;
    case Op::create: response = co_await create(r.kind, request.body, caller); break;
    case Op::update: response = co_await update(r.kind, r.id, request.body, caller); break;
    case Op::deactivate: response = co_await deactivate(r.kind, r.id, caller); break;
    case Op::import: response = co_await import(request.body, caller); break;
    case Op::import_regions: response = co_await import_regions(request.body, caller); break;
    case Op::export_all: response = co_await export_all(caller); break;
    case Op::dossier: response = co_await dossier(r.id, caller); break;
    case Op::subject_export: response = co_await subject_export(r.id, caller); break;
    case Op::test_window_start:
    case Op::test_window_stop:
    case Op::test_windows:
    case Op::alerts:
    case Op::device_status:
    case Op::contracts:
    case Op::contract_end: response = co_await supervision(r, request.body, caller); break;
    case Op::login:
    case Op::logout:
    case Op::whoami:
    case Op::console_config:
    case Op::region_outlines: response = co_await auth(r, request); break;
    case Op::password_change: response = co_await change_password(request, caller); break;
    case Op::audit_list:
    case Op::audit_verify: response = co_await audit(r, caller); break;
    case Op::dc09_links:
    case Op::dc09_link:
    case Op::dc09_unlink: response = co_await dc09(r, request.body, caller); break;
    case Op::users_list:
    case Op::user_put:
    case Op::user_deactivate: response = co_await users(r, request.body, caller); break;
  }
  co_return response;
}

netio::awaitable<ApiResponse> RegistryApi::list(Kind kind, const Caller& caller) {
  store::Result<store::RegistrySnapshot> rows;
  store::Result<core::AuditRow> audited;
  Job job = [&](store::Repository& r) {
    rows = r.read_records(to_store(kind), std::nullopt);
    if (rows) {
      audited = audit_read(r, caller.actor, "registry.list", std::string(registry::plural(kind)));
    }
  };
  co_await backend_.on_store_thread(std::move(job));
  if (!rows || !audited) {  // nothing is disclosed unless its audit row is stored
    co_return store_failed(!rows ? rows.error().message : audited.error().message);
  }
  registry::Document doc{std::move(rows->registry), std::move(rows->inactive_regions)};
  co_return ApiResponse{200, registry::list_json(doc, kind), {}};
}

netio::awaitable<ApiResponse> RegistryApi::show(Kind kind, std::string id, const Caller& caller) {
  store::Result<store::RegistrySnapshot> rows;
  store::Result<core::AuditRow> audited;
  Job job = [&](store::Repository& r) {
    rows = r.read_records(to_store(kind), id);
    if (rows && registry::count(registry::Document{rows->registry, {}}, kind) > 0) {
      audited = audit_read(r, caller.actor, "registry.read",
                           std::string(registry::singular(kind)) + ":" + id, caller.justification);
    }
  };
  co_await backend_.on_store_thread(std::move(job));
  if (!rows) {
    co_return store_failed(rows.error().message);
  }
  registry::Document doc{std::move(rows->registry), std::move(rows->inactive_regions)};
  if (registry::count(doc, kind) == 0) {
    co_return not_found(kind, id);
  }
  if (!audited) {  // nothing is disclosed unless its audit row is stored
    co_return store_failed(audited.error().message);
  }
  co_return ApiResponse{200, registry::record_json(doc, kind), {}};
}

netio::awaitable<ApiResponse> RegistryApi::create(Kind kind, const std::string& body,
                                                  const Caller& caller) {
  const auto what = "add " + std::string(registry::singular(kind));
  auto doc = registry::parse_record(kind, body);
  if (!doc) {
    co_return refused(doc.error(), what);
  }
  const std::string action = "registry.create";
  auto written = co_await write(*doc, registry::Mode::create, true, action, caller);
  const auto body_out = registry::record_json(*doc, kind);
  co_return co_await settle(written, what, 201, body_out);
}

netio::awaitable<ApiResponse> RegistryApi::update(Kind kind, std::string id,
                                                  const std::string& body, const Caller& caller) {
  const auto what = "update " + std::string(registry::singular(kind));
  auto doc = registry::parse_record(kind, body, id);
  if (!doc) {
    co_return refused(doc.error(), what);
  }
  const std::string action = "registry.update";
  auto written = co_await write(*doc, registry::Mode::update, true, action, caller);
  const auto body_out = registry::record_json(*doc, kind);
  co_return co_await settle(written, what, 200, body_out);
}

netio::awaitable<ApiResponse> RegistryApi::deactivate(Kind kind, std::string id,
                                                      const Caller& caller) {
  const auto what = "deactivate " + std::string(registry::singular(kind));
  store::Result<std::optional<std::int64_t>> version;
  store::Result<store::RegistrySnapshot> rows;
  Job job = [&](store::Repository& r) {
    version = r.deactivate(to_store(kind), id, core::now_ms(),
                           store::AuditBy{caller.actor, "registry.deactivate", ""});
    if (version && *version) {
      rows = r.read_records(to_store(kind), id);
    }
  };
  co_await backend_.on_store_thread(std::move(job));
  if (!version) {
    co_return store_failed(version.error().message);
  }
  if (!*version) {
    co_return not_found(kind, id);
  }
  if (!rows) {
    co_return store_failed(rows.error().message);
  }
  registry::Document doc{std::move(rows->registry), std::move(rows->inactive_regions)};
  Written written;
  written.version = **version;
  const auto body_out = registry::record_json(doc, kind);
  co_return co_await settle(written, what, 200, body_out);
}

netio::awaitable<ApiResponse> RegistryApi::import(const std::string& body, const Caller& caller) {
  auto doc = registry::parse_document(body);
  if (!doc) {
    co_return refused(doc.error(), "import");
  }
  const std::string action = "registry.import";
  auto written = co_await write(*doc, registry::Mode::create, false, action, caller);
  const std::string what = "import";
  const auto body_out = counts_json(*doc);
  co_return co_await settle(written, what, 200, body_out);
}

netio::awaitable<ApiResponse> RegistryApi::import_regions(const std::string& body,
                                                          const Caller& caller) {
  auto doc = registry::parse_regions_geojson(body);
  if (!doc) {
    co_return refused(doc.error(), "regions import");
  }
  const std::string action = "registry.import";
  auto written = co_await write(*doc, registry::Mode::upsert, false, action, caller);
  const std::string what = "regions import";
  const auto body_out = counts_json(*doc);
  co_return co_await settle(written, what, 200, body_out);
}

netio::awaitable<ApiResponse> RegistryApi::export_all(const Caller& caller) {
  store::Result<store::RegistrySnapshot> rows;
  store::Result<core::AuditRow> audited;
  Job job = [&](store::Repository& r) {
    rows = r.registry_snapshot(true);
    if (rows) {
      audited = audit_read(r, caller.actor, "registry.export", "registry");
    }
  };
  co_await backend_.on_store_thread(std::move(job));
  if (!rows) {
    co_return store_failed(rows.error().message);
  }
  if (!audited) {  // nothing is disclosed unless its audit row is stored
    co_return store_failed(audited.error().message);
  }
  registry::Document doc{std::move(rows->registry), std::move(rows->inactive_regions)};
  co_return ApiResponse{200, registry::document_json(doc), {}};
}

netio::awaitable<RegistryApi::Written> RegistryApi::write(const registry::Document& doc,
                                                          registry::Mode mode, bool single,
                                                          const std::string& action,
                                                          const Caller& caller) {
  Written out;
  Job job = [&](store::Repository& repo) {
    const registry::Lookup lookup = [&repo](Kind k, std::string_view id) {
      auto found = repo.exists(to_store(k), id);
      if (!found) {
        throw StoreFailure{found.error().message};
      }
      return *found;
    };
    try {
      if (auto checked = registry::check_against_store(doc, mode, lookup, single); !checked) {
        out.status = status_of(checked.error().kind);
        out.field = checked.error().field;
        out.error = registry::error_json(checked.error());
        return;
      }
    } catch (const StoreFailure& f) {
      out.status = 500;
      out.error = f.message;
      return;
    }
    const store::RegistrySnapshot rows{doc.records, doc.inactive_regions, 0};
    auto version = repo.write_records(
        rows, mode == registry::Mode::create ? store::WriteMode::insert : store::WriteMode::upsert,
        core::now_ms(), store::AuditBy{caller.actor, action, ""});
    if (!version) {
      const bool conflict = version.error().constraint_violation();
      out.status = conflict ? 409 : 500;
      out.error = conflict ? registry::error_json("conflict: " + version.error().message)
                           : version.error().message;
      return;
    }
    out.version = *version;
  };
  co_await backend_.on_store_thread(std::move(job));
  co_return out;
}

netio::awaitable<ApiResponse> RegistryApi::settle(const Written& written, const std::string& what,
                                                  unsigned ok_status, const std::string& ok_body) {
  auto log = core::log("registry");
  if (written.status != 0) {
    if (written.status == 500) {
      co_return store_failed(written.error);
    }
    log->info("AWR-6002 registry: {} refused ({}{}{})", what, written.status,
              written.field.empty() ? "" : " at ", written.field);
    co_return ApiResponse{written.status, written.error, {}};
  }
  if (auto problem = co_await backend_.index_at_least(written.version)) {
    log->error("AWR-6003 registry: {} stored (version {}) but not yet used for matching: {}",
               what, written.version, *problem);
    co_return ApiResponse{500,
                          registry::error_json("stored, but not yet used for matching: " +
                                               *problem),
                          {}};
  }
  log->info("AWR-6001 registry: {} applied; matching uses registry version {}", what,
            written.version);
  co_return ApiResponse{ok_status, ok_body, {}};
}

}  // namespace aware::app
