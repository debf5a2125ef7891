// supervision_rows.cpp — device supervision in the store (migration 006): every message of a
// device updates device_status and applies core/supervision's rules in the same transaction,
// raising or resolving its alerts and writing the case workers' notices; the silence check
// (called at a device's deadline) opens verbinding_verloren. Also the proefmelding windows and
// the contract reminders. See repository.hpp for the contracts.
#include <sqlite3.h>

#include "store/decider.hpp"
#include "store/repository.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {
namespace {

// What supervision needs to know of a registered device.
struct Watched {
  std::string client_id;
  std::string case_worker;      // of the client's newest active AOP, "" when none
  bool active = false;
  core::TimeMs interval_ms = 0; // 0 = the default
};

std::optional<Watched> watched(Db& db, std::string_view device_id) {
  Stmt s{db,
         "SELECT d.client_id, d.active, d.heartbeat_interval_s, "
         "COALESCE((SELECT a.case_worker FROM aops a WHERE a.client_id=d.client_id AND "
         "a.active=1 ORDER BY a.valid_until DESC LIMIT 1), '') FROM devices d WHERE d.id=?1"};
  s.bind(1, device_id);
  if (!s.step()) {
    return std::nullopt;
  }
  return Watched{s.text(0), s.text(3), s.int64(1) != 0, s.int64(2) * 1000};
}

std::string subject_of(std::string_view device_id) { return "device:" + std::string(device_id); }

// The device's health as stored: last heard (nullopt: no row yet) and which alerts are open.
struct Stored {
  std::optional<core::TimeMs> last_heard;
  core::DeviceHealth health;
};

Stored load_health(Db& db, std::string_view device_id, core::TimeMs interval_ms) {
  Stored out;
  out.health.interval_ms = interval_ms;
  {
    Stmt s{db, "SELECT last_heard_ms FROM device_status WHERE device_id=?1"};
    s.bind(1, device_id);
    if (s.step()) {
      out.last_heard = s.int64(0);
      out.health.last_heard_ms = s.int64(0);
    }
  }
  Stmt a{db, "SELECT kind FROM alerts WHERE subject=?1 AND state <> 3"};
  a.bind(1, subject_of(device_id));
  while (a.step()) {
    const auto kind = a.text(0);
    out.health.lost_open |= kind == core::alert_kind::connection_lost;
    out.health.low_open |= kind == core::alert_kind::battery_low;
    out.health.critical_open |= kind == core::alert_kind::battery_critical;
  }
  return out;
}

// The notice a health change gives the case workers, if any: losing and regaining the
// connection, and a critical battery (without power the police can neither follow nor listen).
std::optional<core::Notice> health_notice(const core::HealthChange& c, const Watched& w) {
  if (w.client_id.empty()) {
    return std::nullopt;
  }
  std::string event;
  if (c.kind == core::alert_kind::connection_lost) {
    event = c.open ? "verbinding_verloren" : "hersteld";
  } else if (c.kind == core::alert_kind::battery_critical && c.open) {
    event = "batterij_kritiek";
  } else {
    return std::nullopt;
  }
  core::Notice n;
  n.client_id = w.client_id;
  n.case_worker = w.case_worker;
  n.event = std::move(event);
  n.state = c.open ? "open" : "resolved";
  n.at_ms = c.at_ms;
  return n;
}

// Applies `changes` of a device: alerts raised or resolved, notices written; into `out`.
void apply_changes(Db& db, std::string_view device_id, const Watched& w,
                   const std::vector<core::HealthChange>& changes, HealthOutcome& out) {
  for (const auto& c : changes) {
    if (c.open) {
      core::Alert a;
      a.kind = std::string(c.kind);
      a.subject = subject_of(device_id);
      a.device_id = std::string(device_id);
      a.client_id = w.client_id;
      a.severity = c.kind == core::alert_kind::battery_low ? core::AlertSeverity::warning
                                                           : core::AlertSeverity::urgent;
      a.detail = c.detail;
      a.opened_ms = c.at_ms;
      if (auto raised = rows::raise_alert(db, std::move(a))) {
        out.alerts.push_back(std::move(*raised));
      }
    } else {
      auto resolved = rows::resolve_alerts_of(db, subject_of(device_id), c.at_ms, c.kind);
      out.alerts.insert(out.alerts.end(), resolved.begin(), resolved.end());
    }
    if (auto notice = health_notice(c, w)) {
      out.notices.push_back(rows::insert_notice(db, std::move(*notice)));
    }
  }
}


constexpr std::string_view kWindowColumns =
    "SELECT id, device_id, opened_ms, until_ms, reason, opened_by, closed_ms, closed_by, tests "
    "FROM test_windows ";

TestWindow window_from_row(const Stmt& s) {
  return TestWindow{s.int64(0), s.text(1), s.int64(2), s.int64(3), s.text(4),
                    s.text(5),  s.is_null(6) ? 0 : s.int64(6), s.text(7), s.int64(8)};
}

TestWindow load_window(Db& db, std::int64_t id) {
  Stmt s{db, std::string(kWindowColumns) + "WHERE id=?1"};
  s.bind(1, id);
  s.step();
  return window_from_row(s);
}

// Closes every window of the device still open at `now`.
void close_windows(Db& db, std::string_view device_id, const std::string& by, core::TimeMs now) {
  Stmt s{db,
         "UPDATE test_windows SET closed_ms=?2, closed_by=?3 WHERE device_id=?1 AND "
         "closed_ms IS NULL AND until_ms > ?2"};
  s.bind(1, device_id).bind(2, now).bind(3, by).run();
}

}  // namespace

namespace rows {

HealthOutcome note_heard(Db& db, std::string_view device_id, core::TimeMs now,
                         std::optional<std::uint32_t> battery_pct,
                         const std::optional<core::HealthReport>& report,
                         const core::SupervisionRules& rules) {
  HealthOutcome out;
  const auto w = watched(db, device_id);
  if (!w || !w->active) {
    return out;  // unknown or returned: not supervised
  }
  auto stored = load_health(db, device_id, w->interval_ms);
  if (!stored.last_heard) {
    stored.health.last_heard_ms = now;
  }
  const auto changes = core::on_message(stored.health, now, battery_pct, rules);
  apply_changes(db, device_id, *w, changes, out);
  Stmt up{db,
          "INSERT INTO device_status(device_id, last_heard_ms) VALUES (?1, ?2) "
          "ON CONFLICT(device_id) DO UPDATE SET last_heard_ms=max(last_heard_ms, ?2)"};
  up.bind(1, device_id).bind(2, now).run();
  if (report) {
    Stmt r{db,
           "UPDATE device_status SET battery_pct=?2, charging=?3, gps_available=?4, "
           "signal_dbm=?5, reported_ms=?6 WHERE device_id=?1"};
    r.bind(1, device_id)
        .bind(2, static_cast<std::int64_t>(report->battery_pct))
        .bind(3, static_cast<std::int64_t>(report->charging))
        .bind(4, static_cast<std::int64_t>(report->gps_available))
        .bind(5, static_cast<std::int64_t>(report->signal_dbm))
        .bind(6, now)
        .run();
  } else if (battery_pct) {
    Stmt r{db, "UPDATE device_status SET battery_pct=?2, reported_ms=?3 WHERE device_id=?1"};
    r.bind(1, device_id).bind(2, static_cast<std::int64_t>(*battery_pct)).bind(3, now).run();
  }
  out.lost_due_ms = core::lost_deadline(stored.health, rules);
  return out;
}

std::optional<TestWindow> open_test_window(Db& db, std::string_view device_id, core::TimeMs now) {
  Stmt s{db, std::string(kWindowColumns) +
                 "WHERE device_id=?1 AND closed_ms IS NULL AND opened_ms <= ?2 AND until_ms > ?2 "
                 "ORDER BY id DESC LIMIT 1"};
  s.bind(1, device_id).bind(2, now);
  if (!s.step()) {
    return std::nullopt;
  }
  return window_from_row(s);
}

void count_test(Db& db, std::int64_t window_id) {
  Stmt s{db, "UPDATE test_windows SET tests=tests+1 WHERE id=?1"};
  s.bind(1, window_id).run();
}

}  // namespace rows

void Repository::set_supervision_rules(const core::SupervisionRules& rules) {
  supervision_rules_ = rules;
}

Result<HealthOutcome> Repository::record_heartbeat(std::string_view device_id,
                                                   const core::HealthReport& report,
                                                   core::TimeMs now) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    auto out = rows::note_heard(*db_, device_id, now, report.battery_pct, report,
                                supervision_rules_);
    tx.commit();
    return out;
  });
}

Result<HealthOutcome> Repository::record_silence(std::string_view device_id, core::TimeMs now) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    HealthOutcome out;
    const auto w = watched(*db_, device_id);
    if (!w || !w->active) {
      // Returned (or removed): no supervision; its device alerts are over.
      auto resolved = rows::resolve_alerts_of(*db_, subject_of(device_id), now);
      out.alerts.insert(out.alerts.end(), resolved.begin(), resolved.end());
      tx.commit();
      return out;
    }
    auto stored = load_health(*db_, device_id, w->interval_ms);
    if (!stored.last_heard) {
      tx.commit();
      return out;  // never watched: supervision_deadlines() starts it
    }
    if (auto change = core::on_silence(stored.health, now, supervision_rules_)) {
      apply_changes(*db_, device_id, *w, {*change}, out);
    } else if (!stored.health.lost_open) {
      out.lost_due_ms = core::lost_deadline(stored.health, supervision_rules_);
    }
    tx.commit();
    return out;
  });
}

Result<std::vector<std::pair<std::string, core::TimeMs>>> Repository::supervision_deadlines(
    core::TimeMs now) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    {
      Stmt start{*db_,
                 "INSERT INTO device_status(device_id, last_heard_ms) SELECT id, ?1 FROM devices "
                 "WHERE active=1 AND id NOT IN (SELECT device_id FROM device_status)"};
      start.bind(1, now).run();
    }
    Stmt s{*db_,
           "SELECT d.id, s.last_heard_ms, d.heartbeat_interval_s FROM devices d JOIN "
           "device_status s ON s.device_id=d.id WHERE d.active=1 AND NOT EXISTS (SELECT 1 FROM "
           "alerts a WHERE a.subject='device:' || d.id AND a.kind=?1 AND a.state <> 3) "
           "ORDER BY d.id"};
    s.bind(1, core::alert_kind::connection_lost);
    std::vector<std::pair<std::string, core::TimeMs>> out;
    while (s.step()) {
      core::DeviceHealth h;
      h.last_heard_ms = s.int64(1);
      h.interval_ms = s.int64(2) * 1000;
      out.emplace_back(s.text(0), core::lost_deadline(h, supervision_rules_));
    }
    tx.commit();
    return out;
  });
}

Result<std::vector<DeviceStatus>> Repository::device_statuses() {
  return rows::guarded([&] {
    Transaction tx{*db_, true};
    std::vector<DeviceStatus> out;
    Stmt s{*db_,
           "SELECT d.id, d.client_id, d.active, d.heartbeat_interval_s, s.last_heard_ms, "
           "s.battery_pct, s.charging, s.gps_available, s.signal_dbm FROM devices d LEFT JOIN "
           "device_status s ON s.device_id=d.id ORDER BY d.id"};
    while (s.step()) {
      DeviceStatus d;
      d.device_id = s.text(0);
      d.client_id = s.text(1);
      d.active = s.int64(2) != 0;
      core::DeviceHealth h;
      h.interval_ms = s.int64(3) * 1000;
      d.interval_ms = h.interval_ms > 0 ? h.interval_ms : supervision_rules_.default_interval_ms;
      if (!s.is_null(4)) {
        d.last_heard_ms = s.int64(4);
        h.last_heard_ms = *d.last_heard_ms;
        if (d.active) {
          d.lost_due_ms = core::lost_deadline(h, supervision_rules_);
        }
      }
      if (!s.is_null(5)) {
        d.battery_pct = static_cast<std::uint32_t>(s.int64(5));
      }
      d.charging = !s.is_null(6) && s.int64(6) != 0;
      d.gps_available = !s.is_null(7) && s.int64(7) != 0;
      d.signal_dbm = s.is_null(8) ? 0 : static_cast<std::int32_t>(s.int64(8));
      Stmt a{*db_, "SELECT kind FROM alerts WHERE subject=?1 AND state <> 3 ORDER BY kind"};
      a.bind(1, subject_of(d.device_id));
      while (a.step()) {
        d.open_alerts.push_back(a.text(0));
      }
      out.push_back(std::move(d));
    }
    tx.commit();
    return out;
  });
}


Result<std::optional<TestWindow>> Repository::start_test_window(std::string_view device_id,
                                                                core::TimeMs until_ms,
                                                                const std::string& reason,
                                                                const std::string& by,
                                                                core::TimeMs now) {
  return rows::guarded([&]() -> std::optional<TestWindow> {
    Transaction tx{*db_};
    const auto w = watched(*db_, device_id);
    if (!w || !w->active) {
      return std::nullopt;
    }
    close_windows(*db_, device_id, by, now);
    Stmt s{*db_,
           "INSERT INTO test_windows(device_id, opened_ms, until_ms, reason, opened_by) "
           "VALUES (?1, ?2, ?3, ?4, ?5)"};
    s.bind(1, device_id).bind(2, now).bind(3, until_ms).bind(4, reason).bind(5, by).run();
    if (decider_ != nullptr) {
      decider_->window_opened(device_id);  // before the COMMIT: from now on the store decides
    }
    auto window = load_window(*db_, db_->last_insert_rowid());
    rows::append_audit(*db_, by, "test_window.start", "device:" + std::string(device_id), reason,
                       now);
    tx.commit();
    return window;
  });
}

Result<std::optional<TestWindow>> Repository::stop_test_window(std::string_view device_id,
                                                               const std::string& by,
                                                               core::TimeMs now) {
  return rows::guarded([&]() -> std::optional<TestWindow> {
    Transaction tx{*db_};
    auto open = rows::open_test_window(*db_, device_id, now);
    if (!open) {
      return std::nullopt;
    }
    close_windows(*db_, device_id, by, now);
    auto window = load_window(*db_, open->id);
    rows::append_audit(*db_, by, "test_window.stop", "device:" + std::string(device_id), "", now);
    tx.commit();
    return window;
  });
}

Result<std::vector<TestWindow>> Repository::open_test_windows(core::TimeMs now) {
  return rows::guarded([&] {
    Stmt s{*db_, std::string(kWindowColumns) +
                     "WHERE closed_ms IS NULL AND opened_ms <= ?1 AND until_ms > ?1 "
                     "ORDER BY device_id, id"};
    s.bind(1, now);
    std::vector<TestWindow> out;
    while (s.step()) {
      out.push_back(window_from_row(s));
    }
    return out;
  });
}

}  // namespace aware::store
