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

netio::awaitable<netio::ApiResponse> RegistryApi::dossier(std::string client_id,
                                                         const Caller& caller) {
  store::Result<std::optional<std::vector<store::DossierEntry>>> rows;
  store::Result<core::AuditRow> audited;
  std::function<void(store::Repository&)> job = [&](store::Repository& r) {
    rows = r.dossier(client_id);
    if (rows && *rows) {
      audited = r.append_audit(caller.actor, "dossier.read", "client:" + client_id,
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

namespace aware::app {
namespace {

// The records of `registry` that belong to `client_id` (the client, its devices, AOPs, AOLs).
registry::Document records_of(const core::Registry& registry, const std::string& client_id) {
  registry::Document doc;
  auto& out = doc.records;
  for (const auto& c : registry.clients) {
    if (c.id == client_id) {
      out.clients.push_back(c);
    }
  }
  for (const auto& d : registry.devices) {
    if (d.client_id == client_id) {
      out.devices.push_back(d);
    }
  }
  for (const auto& a : registry.aops) {
    if (a.client_id == client_id) {
      out.aops.push_back(a);
    }
  }
  for (const auto& a : registry.aols) {
    if (a.client_id == client_id) {
      out.aols.push_back(a);
    }
  }
  return doc;
}

}  // namespace

netio::awaitable<netio::ApiResponse> RegistryApi::subject_export(std::string client_id,
                                                                const Caller& caller) {
  // Everything is read in one store job, so the parts agree with each other.
  store::Result<store::RegistrySnapshot> registry;
  store::Result<std::optional<std::vector<store::DossierEntry>>> activations;
  store::Result<std::vector<core::Notice>> notices;
  store::Result<std::vector<store::DeviceStatus>> statuses;
  store::Result<core::AuditRow> audited;
  std::function<void(store::Repository&)> job = [&](store::Repository& r) {
    activations = r.dossier(client_id);
    if (!activations || !*activations) {
      return;
    }
    registry = r.registry_snapshot(true);
    auto of_client = [&client_id](const core::Notice& n) { return n.client_id == client_id; };
    notices = r.notices_after(0, 100'000, of_client);
    statuses = r.device_statuses();
    audited = r.append_audit(caller.actor, "subject.export", "client:" + client_id, "",
                             core::now_ms());
  };
  co_await backend_.on_store_thread(std::move(job));
  if (!activations) {
    co_return store_failed(activations.error().message);
  }
  if (!*activations) {
    co_return netio::ApiResponse{404, registry::error_json("no client '" + client_id + "'"), {}};
  }
  for (const auto* failed : {registry ? nullptr : &registry.error(),
                             notices ? nullptr : &notices.error(),
                             statuses ? nullptr : &statuses.error(),
                             audited ? nullptr : &audited.error()}) {
    if (failed != nullptr) {  // nothing is disclosed unless all of it, and its audit row, is in
      co_return store_failed(failed->message);
    }
  }
  const auto doc = records_of(registry->registry, client_id);
  nlohmann::json body{{"client_id", client_id},
                      {"generated", core::iso_utc(core::now_ms())},
                      {"registrations", nlohmann::json::parse(registry::document_json(doc))}};
  auto& acts = body["activations"] = nlohmann::json::array();
  for (const auto& e : **activations) {
    acts.push_back(entry_json(e));
  }
  auto& told = body["notices"] = nlohmann::json::array();
  for (const auto& n : *notices) {
    told.push_back({{"id", n.id},
                    {"event", n.event},
                    {"state", n.state},
                    {"time", core::iso_utc(n.at_ms)},
                    {"incident_id", n.incident_id ? core::incident_label(*n.incident_id) : ""}});
  }
  auto& devices = body["device_status"] = nlohmann::json::array();
  for (const auto& d : *statuses) {
    if (d.client_id != client_id) {
      continue;
    }
    devices.push_back({{"device_id", d.device_id},
                       {"last_heard", d.last_heard_ms ? core::iso_utc(*d.last_heard_ms) : ""},
                       {"battery_pct", d.battery_pct ? nlohmann::json(*d.battery_pct) : nlohmann::json()},
                       {"open_alerts", d.open_alerts}});
  }
  co_return netio::ApiResponse{200, body.dump(2), {}};
}

}  // namespace aware::app
