// dossier_api.cpp — `GET /api/v1/clients/{id}/dossier`: the RegistryApi member that lists all
// activations of one client (the evidence dossier of issue 4) as JSON. The rows come from the
// store thread (Repository::dossier), which also writes the audit row (dossier.read) before
// anything is disclosed; the JSON is built on the network thread.
#include <nlohmann/json.hpp>

#include "app/registry_api.hpp"
#include "core/clock.hpp"
#include "core/time_text.hpp"
#include "registry/registry_json.hpp"
#include "store/repository.hpp"

namespace aware::app {
namespace {

nlohmann::json entry_json(const store::DossierEntry& e) {
  nlohmann::json j{{"received_ms", e.received_ms},
                   {"time", core::iso_utc(e.received_ms)},
                   {"device_id", e.device_id},
                   {"trigger", e.trigger}};
  if (e.incident) {
    j["incident_id"] = core::incident_label(*e.incident);
    j["incident_state"] = std::string(core::to_string(e.state));
    j["outcome"] = e.outcome;
    j["activation_count"] = e.activation_count;
  } else {
    j["incident_id"] = nullptr;  // a cancel with no open incident
    j["incident_state"] = nullptr;
    j["outcome"] = "";
    j["activation_count"] = 0;
  }
  return j;
}

}  // namespace

netio::awaitable<netio::ApiResponse> RegistryApi::dossier(std::string client_id) {
  store::Result<std::optional<std::vector<store::DossierEntry>>> rows;
  store::Result<core::AuditRow> audited;
  std::function<void(store::Repository&)> job = [&](store::Repository& r) {
    rows = r.dossier(client_id);
    if (rows && *rows) {
      audited = r.append_audit(std::string(kApiActor), "dossier.read", "client:" + client_id,
                               "", core::now_ms());
    }
  };
  co_await backend_.on_store_thread(std::move(job));
  if (!rows) {
    co_return store_failed(rows.error().message);
  }
  if (!*rows) {
    co_return netio::ApiResponse{404, registry::error_json("no client '" + client_id + "'"), {}};
  }
  if (!audited) {  // nothing is disclosed unless its audit row is stored
    co_return store_failed(audited.error().message);
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : **rows) {
    list.push_back(entry_json(e));
  }
  const nlohmann::json body{{"client_id", client_id}, {"activations", std::move(list)}};
  co_return netio::ApiResponse{200, body.dump(), {}};
}

}  // namespace aware::app
