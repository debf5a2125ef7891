// supervision_api.cpp — the REST endpoints of device supervision and the AWARE trajectory
// (issue 5), as RegistryApi members:
//   POST /api/v1/devices/{id}/test-window        {"minutes":30,"reason":"…"}  open a
//        proefmelding window (201); 404 for no such active device
//   POST /api/v1/devices/{id}/test-window/stop   close it early; 404 when none open
//   GET  /api/v1/test-windows                    the windows open now
//   GET  /api/v1/alerts                          the PAC operator's unresolved alerts
//   GET  /api/v1/device-status[?stale=1][&client=ID]  every device's (or one client's)
//        supervision state
//   GET  /api/v1/contracts[?ending_within_days=N] active contracts ending within N days (14)
//   PUT  /api/v1/aops/{id}/contract              {"valid_until":"YYYY-MM-DD"}  extend
//        or end a contract (matching uses the new end at once)
// Bodies are validated on the network thread; every error names its field. Who opened, closed
// or changed something is the session's user; a "by" field from older clients is ignored.
#include <charconv>

#include <nlohmann/json.hpp>

#include "app/registry_api.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/time_text.hpp"
#include "registry/registry_json.hpp"
#include "store/repository.hpp"

namespace aware::app {
namespace {

using netio::ApiResponse;
using Job = std::function<void(store::Repository&)>;

constexpr std::int64_t kMaxWindowMinutes = 24 * 60;
constexpr std::int64_t kDayMs = 86'400'000;

ApiResponse bad(const std::string& field, const std::string& what) {
  return {400, registry::error_json(field + ": " + what), {}};
}

// The body as a JSON object, or the 400 answer.
tl::expected<nlohmann::json, ApiResponse> object_body(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return tl::make_unexpected(ApiResponse{400, registry::error_json("body: must be a JSON object"), {}});
  }
  return j;
}

// A required string field of 1..max bytes, or the 400 answer.
tl::expected<std::string, ApiResponse> text_field(const nlohmann::json& j, const std::string& key,
                                                  std::size_t max) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty() ||
      it->get<std::string>().size() > max) {
    return tl::make_unexpected(bad(key, "required, a string of 1 to " + std::to_string(max) + " bytes"));
  }
  return it->get<std::string>();
}

nlohmann::json window_json(const store::TestWindow& w) {
  return {{"id", w.id},         {"device_id", w.device_id},   {"opened", core::iso_utc(w.opened_ms)},
          {"until", core::iso_utc(w.until_ms)}, {"until_ms", w.until_ms}, {"reason", w.reason},
          {"opened_by", w.opened_by}, {"closed", w.closed_ms ? core::iso_utc(w.closed_ms) : ""},
          {"closed_by", w.closed_by}, {"tests", w.tests}};
}

nlohmann::json alert_json(const core::Alert& a) {
  return {{"id", a.id},
          {"kind", a.kind},
          {"severity", a.severity == core::AlertSeverity::urgent    ? "urgent"
                       : a.severity == core::AlertSeverity::warning ? "warning"
                                                                    : "info"},
          {"state", a.state == core::AlertState::open ? "open" : a.state == core::AlertState::acknowledged ? "acknowledged" : "resolved"},
          {"device_id", a.device_id},
          {"client_id", a.client_id},
          {"incident_id", a.incident_id ? core::incident_label(*a.incident_id) : ""},
          {"detail", a.detail},
          {"opened", core::iso_utc(a.opened_ms)},
          {"acknowledged_by", a.acked_by}};
}

}  // namespace

std::optional<std::string> query_param(const std::string& query, std::string_view name) {
  std::string_view q{query};
  while (!q.empty()) {
    const auto amp = q.find('&');
    const auto param = q.substr(0, amp);
    if (param.size() > name.size() && param.substr(0, name.size()) == name &&
        param[name.size()] == '=') {
      return std::string(param.substr(name.size() + 1));
    }
    if (amp == std::string_view::npos) {
      break;
    }
    q.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

bool RegistryApi::supervision_route(const std::vector<std::string>& s, const std::string& m,
                                    Route& r) {
  auto only = [&r, &m](std::string_view method, Op op) {
    r.op = m == method ? op : Op::not_allowed;
    r.allow = std::string(method);
    return true;
  };
  if (s.size() == 3 && s[0] == "devices" && s[2] == "test-window" && !s[1].empty()) {
    r.id = s[1];
    return only("POST", Op::test_window_start);
  }
  if (s.size() == 4 && s[0] == "devices" && s[2] == "test-window" && s[3] == "stop" &&
      !s[1].empty()) {
    r.id = s[1];
    return only("POST", Op::test_window_stop);
  }
  if (s.size() == 3 && s[0] == "aops" && s[2] == "contract" && !s[1].empty()) {
    r.id = s[1];
    return only("PUT", Op::contract_end);
  }
  if (s.size() == 1 && s[0] == "test-windows") {
    return only("GET", Op::test_windows);
  }
  if (s.size() == 1 && s[0] == "alerts") {
    return only("GET", Op::alerts);
  }
  if (s.size() == 1 && s[0] == "device-status") {
    return only("GET", Op::device_status);
  }
  if (s.size() == 1 && s[0] == "contracts") {
    return only("GET", Op::contracts);
  }
  return false;
}

netio::awaitable<ApiResponse> RegistryApi::supervision(const Route& r, const std::string& body,
                                                       const Caller& caller) {
  const auto now = core::now_ms();
  switch (r.op) {
    case Op::test_window_start: {
      auto j = object_body(body);
      if (!j) {
        co_return j.error();
      }
      const auto minutes = j->find("minutes");
      if (minutes == j->end() || !minutes->is_number_integer() || minutes->get<std::int64_t>() < 1 ||
          minutes->get<std::int64_t>() > kMaxWindowMinutes) {
        co_return bad("minutes", "required, an integer from 1 to 1440");
      }
      auto reason = text_field(*j, "reason", 256);
      if (!reason) {
        co_return reason.error();
      }
      const auto& by = caller.actor;  // a "by" in the body (old clients) is ignored
      const auto until = now + minutes->get<std::int64_t>() * 60'000;
      store::Result<std::optional<store::TestWindow>> done;
      Job job = [&](store::Repository& repo) {
        done = repo.start_test_window(r.id, until, *reason, by, now);
      };
      co_await backend_.on_store_thread(std::move(job));
      if (!done) {
        co_return store_failed(done.error().message);
      }
      if (!*done) {
        co_return ApiResponse{404, registry::error_json("no active device '" + r.id + "'"), {}};
      }
      core::log("supervision")->info("AWR-7003 proefmelding window for device {} until {} opened",
                                     r.id, core::iso_utc(until));
      co_return ApiResponse{201, window_json(**done).dump(), {}};
    }
    case Op::test_window_stop: {
      auto j = object_body(body.empty() ? std::string("{}") : body);
      if (!j) {
        co_return j.error();
      }
      const auto& by = caller.actor;  // a "by" in the body (old clients) is ignored
      store::Result<std::optional<store::TestWindow>> done;
      Job job = [&](store::Repository& repo) { done = repo.stop_test_window(r.id, by, now); };
      co_await backend_.on_store_thread(std::move(job));
      if (!done) {
        co_return store_failed(done.error().message);
      }
      if (!*done) {
        co_return ApiResponse{404, registry::error_json("no open proefmelding window for '" + r.id + "'"), {}};
      }
      co_return ApiResponse{200, window_json(**done).dump(), {}};
    }
    case Op::test_windows: {
      store::Result<std::vector<store::TestWindow>> rows;
      Job job = [&](store::Repository& repo) { rows = repo.open_test_windows(now); };
      co_await backend_.on_store_thread(std::move(job));
      if (!rows) {
        co_return store_failed(rows.error().message);
      }
      nlohmann::json list = nlohmann::json::array();
      for (const auto& w : *rows) {
        list.push_back(window_json(w));
      }
      co_return ApiResponse{200, nlohmann::json{{"test_windows", list}}.dump(), {}};
    }
    case Op::alerts: {
      store::Result<std::vector<core::Alert>> rows;
      Job job = [&](store::Repository& repo) { rows = repo.unresolved_alerts(); };
      co_await backend_.on_store_thread(std::move(job));
      if (!rows) {
        co_return store_failed(rows.error().message);
      }
      nlohmann::json list = nlohmann::json::array();
      for (const auto& a : *rows) {
        list.push_back(alert_json(a));
      }
      co_return ApiResponse{200, nlohmann::json{{"alerts", list}}.dump(), {}};
    }
    case Op::device_status: {
      const bool stale_only = query_param(r.query, "stale") == std::optional<std::string>{"1"};
      const auto client = query_param(r.query, "client");  // a case worker's own client
      store::Result<std::vector<store::DeviceStatus>> rows;
      Job job = [&](store::Repository& repo) { rows = repo.device_statuses(); };
      co_await backend_.on_store_thread(std::move(job));
      if (!rows) {
        co_return store_failed(rows.error().message);
      }
      nlohmann::json list = nlohmann::json::array();
      for (const auto& d : *rows) {
        const bool lost = std::find(d.open_alerts.begin(), d.open_alerts.end(),
                                    core::alert_kind::connection_lost) != d.open_alerts.end();
        const bool stale = d.active && (lost || (d.lost_due_ms && now > *d.lost_due_ms));
        if ((stale_only && !stale) || (client && d.client_id != *client)) {
          continue;
        }
        list.push_back({{"device_id", d.device_id},
                        {"client_id", d.client_id},
                        {"active", d.active},
                        {"last_heard", d.last_heard_ms ? core::iso_utc(*d.last_heard_ms) : ""},
                        {"battery_pct", d.battery_pct ? nlohmann::json(*d.battery_pct) : nlohmann::json()},
                        {"charging", d.charging},
                        {"gps_available", d.gps_available},
                        {"signal_dbm", d.signal_dbm},
                        {"heartbeat_interval_s", d.interval_ms / 1000},
                        {"stale", stale},
                        {"open_alerts", d.open_alerts}});
      }
      co_return ApiResponse{200, nlohmann::json{{"devices", list}}.dump(), {}};
    }
    case Op::contracts: {
      std::int64_t days = 14;
      if (auto text = query_param(r.query, "ending_within_days")) {
        auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), days);
        if (ec != std::errc{} || p != text->data() + text->size() || days < 0 || days > 3650) {
          co_return bad("ending_within_days", "an integer from 0 to 3650");
        }
      }
      const auto until = core::iso_date_utc(now + days * kDayMs);
      store::Result<std::vector<store::ContractRow>> rows;
      Job job = [&](store::Repository& repo) { rows = repo.contracts_ending(until); };
      co_await backend_.on_store_thread(std::move(job));
      if (!rows) {
        co_return store_failed(rows.error().message);
      }
      const auto today = core::iso_date_days(core::iso_date_utc(now)).value_or(0);
      nlohmann::json list = nlohmann::json::array();
      for (const auto& c : *rows) {
        list.push_back({{"aop_id", c.aop_id},
                        {"client_id", c.client_id},
                        {"case_worker", c.case_worker},
                        {"valid_from", c.valid_from},
                        {"valid_until", c.valid_until},
                        {"days_left", core::iso_date_days(c.valid_until).value_or(today) - today},
                        {"reminded", c.reminded}});
      }
      co_return ApiResponse{200, nlohmann::json{{"contracts", list}}.dump(), {}};
    }
    case Op::contract_end: {
      auto j = object_body(body);
      if (!j) {
        co_return j.error();
      }
      auto until = text_field(*j, "valid_until", 10);
      if (!until || !core::iso_date_days(*until)) {
        co_return bad("valid_until", "required, a date YYYY-MM-DD");
      }
      const auto& by = caller.actor;  // a "by" in the body (old clients) is ignored
      store::Result<std::optional<store::Repository::ContractChange>> done;
      Job job = [&](store::Repository& repo) { done = repo.set_contract_end(r.id, *until, by, now); };
      co_await backend_.on_store_thread(std::move(job));
      if (!done) {
        co_return store_failed(done.error().message);
      }
      if (!*done) {
        co_return ApiResponse{404, registry::error_json("no AOP '" + r.id + "' that starts on or before " + *until), {}};
      }
      const auto problem = co_await backend_.index_at_least((*done)->version);
      if (problem) {
        co_return store_failed(*problem);
      }
      backend_.publish_alerts((*done)->alerts);
      core::log("supervision")->info("AWR-7004 contract {} now ends {}", r.id, *until);
      co_return ApiResponse{200, nlohmann::json{{"aop_id", r.id}, {"valid_until", *until}}.dump(), {}};
    }
    default:
      break;
  }
  co_return ApiResponse{404, registry::error_json("not found"), {}};
}

}  // namespace aware::app
