// dc09_api.cpp — the REST endpoints of the DC-09 account links (issue 9), as RegistryApi
// members (awarectl dc09 …):
//   GET  /api/v1/dc09-accounts                    every account → device link
//   PUT  /api/v1/dc09-accounts/{account}          {"device_id":"D-…"}  link (or re-link) the
//        transmitter account to a registered device; 404 when there is no such device
//   POST /api/v1/dc09-accounts/{account}/unlink   remove the link; 404 when there is none
// The account is 1..16 hex digits (stored upper-case). Links and unlinks are audited (dc09.link,
// dc09.unlink) in their transaction; the list read too (registry.list). A change applies to the
// next message at once (the receiver reads the link per message).
#include <nlohmann/json.hpp>

#include "app/registry_api.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/time_text.hpp"
#include "dc09/accounts.hpp"
#include "registry/registry_json.hpp"
#include "store/repository.hpp"

namespace aware::app {
namespace {

using netio::ApiResponse;
using Job = std::function<void(store::Repository&)>;

bool account_ok(const std::string& account) {
  return !account.empty() && account.size() <= 16 &&
         account.find_first_not_of("0123456789ABCDEFabcdef") == std::string::npos;
}

nlohmann::json link_json(const store::Dc09Link& l) {
  return {{"account", l.account},
          {"device_id", l.device_id},
          {"linked", core::iso_utc(l.linked_ms)},
          {"linked_by", l.linked_by}};
}

}  // namespace

bool RegistryApi::dc09_route(const std::vector<std::string>& s, const std::string& m, Route& r) {
  return resource_route(s, m, "dc09-accounts", "unlink", Op::dc09_links, Op::dc09_link,
                        Op::dc09_unlink, r);
}

netio::awaitable<ApiResponse> RegistryApi::dc09(const Route& r, const std::string& body,
                                                const Caller& caller) {
  if (r.op == Op::dc09_links) {
    store::Result<std::vector<store::Dc09Link>> links;
    store::Result<core::AuditRow> audited;
    Job job = [&](store::Repository& repo) {
      links = repo.dc09_links();
      if (links) {
        audited = repo.append_audit(caller.actor, "registry.list", "dc09-accounts",
                                    caller.justification, core::now_ms());
      }
    };
    co_await backend_.on_store_thread(std::move(job));
    if (!links || !audited) {
      co_return store_failed(!links ? links.error().message : audited.error().message);
    }
    auto out = nlohmann::json::array();
    for (const auto& l : *links) {
      out.push_back(link_json(l));
    }
    co_return ApiResponse{200, out.dump(), {}};
  }
  if (!account_ok(r.id)) {
    co_return ApiResponse{400, registry::error_json("account: must be 1 to 16 hex digits"), {}};
  }
  const std::string account = dc09::normalize_account(r.id);
  if (r.op == Op::dc09_unlink) {
    store::Result<bool> removed = false;
    Job job = [&](store::Repository& repo) {
      removed = repo.unlink_dc09_account(account, caller.actor, core::now_ms());
    };
    co_await backend_.on_store_thread(std::move(job));
    if (!removed) {
      co_return store_failed(removed.error().message);
    }
    if (!*removed) {
      co_return ApiResponse{404, registry::error_json("account: " + account + " is not linked"), {}};
    }
    core::log("registry")->info("AWR-8030 DC-09 account {} unlinked by {}", account, caller.actor);
    co_return ApiResponse{200, nlohmann::json{{"account", account}, {"unlinked", true}}.dump(), {}};
  }
  const auto j = nlohmann::json::parse(body, nullptr, false);
  const auto it = j.is_object() ? j.find("device_id") : j.end();
  if (!j.is_object() || it == j.end() || !it->is_string() || it->get<std::string>().empty() ||
      it->get<std::string>().size() > 128) {
    co_return ApiResponse{
        400, registry::error_json("device_id: required, a string of 1 to 128 bytes"), {}};
  }
  const std::string device = it->get<std::string>();
  store::Result<std::optional<store::Dc09Link>> linked = std::nullopt;
  Job job = [&](store::Repository& repo) {
    linked = repo.link_dc09_account(account, device, caller.actor, core::now_ms());
  };
  co_await backend_.on_store_thread(std::move(job));
  if (!linked) {
    co_return store_failed(linked.error().message);
  }
  if (!*linked) {
    co_return ApiResponse{404, registry::error_json("device_id: no device " + device), {}};
  }
  core::log("registry")->info("AWR-8031 DC-09 account {} linked to device {} by {}",
                              (*linked)->account, device, caller.actor);
  co_return ApiResponse{200, link_json(**linked).dump(), {}};
}

}  // namespace aware::app
