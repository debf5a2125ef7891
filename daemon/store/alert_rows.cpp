// alert_rows.cpp — the PAC operator's alerts and the case workers' notices (migration 005):
// the row helpers that lifecycle.cpp, repository.cpp and timer_rows.cpp call inside their own
// transactions, and the Repository members that read and change them. See repository.hpp.
#include <sqlite3.h>

#include <algorithm>

#include "store/repository.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {
namespace {

constexpr std::string_view kAlertColumns =
    "SELECT id, kind, subject, device_id, client_id, incident_id, severity, state, detail, "
    "opened_ms, acked_ms, acked_by, resolved_ms, resolved_by FROM alerts ";

core::Alert alert_from_row(const Stmt& s) {
  core::Alert a;
  a.id = s.int64(0);
  a.kind = s.text(1);
  a.subject = s.text(2);
  a.device_id = s.text(3);
  a.client_id = s.text(4);
  if (!s.is_null(5)) {
    a.incident_id = s.int64(5);
  }
  a.severity = static_cast<core::AlertSeverity>(s.int64(6));
  a.state = static_cast<core::AlertState>(s.int64(7));
  a.detail = s.text(8);
  a.opened_ms = s.int64(9);
  a.acked_ms = s.is_null(10) ? 0 : s.int64(10);
  a.acked_by = s.text(11);
  a.resolved_ms = s.is_null(12) ? 0 : s.int64(12);
  a.resolved_by = s.text(13);
  return a;
}

std::optional<core::Alert> load_alert(Db& db, std::int64_t id) {
  Stmt s{db, std::string(kAlertColumns) + "WHERE id=?1"};
  s.bind(1, id);
  if (!s.step()) {
    return std::nullopt;
  }
  return alert_from_row(s);
}

constexpr std::string_view kNoticeColumns =
    "SELECT id, client_id, case_worker, event, state, at_ms, incident_id FROM notices ";

core::Notice notice_from_row(const Stmt& s) {
  core::Notice n;
  n.id = s.int64(0);
  n.client_id = s.text(1);
  n.case_worker = s.text(2);
  n.event = s.text(3);
  n.state = s.text(4);
  n.at_ms = s.int64(5);
  if (!s.is_null(6)) {
    n.incident_id = s.int64(6);
  }
  return n;
}

}  // namespace

namespace rows {

std::optional<core::Alert> raise_alert(Db& db, core::Alert alert) {
  Stmt s{db,
         "INSERT INTO alerts(kind, subject, device_id, client_id, incident_id, severity, state, "
         "detail, opened_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8) "
         "ON CONFLICT(subject, kind) WHERE state <> 3 DO NOTHING"};
  s.bind(1, alert.kind)
      .bind(2, alert.subject)
      .bind(3, alert.device_id)
      .bind(4, alert.client_id)
      .bind(5, alert.incident_id)
      .bind(6, static_cast<std::int64_t>(alert.severity))
      .bind(7, alert.detail)
      .bind(8, alert.opened_ms)
      .run();
  if (db.changes() == 0) {
    return std::nullopt;
  }
  alert.id = db.last_insert_rowid();
  alert.state = core::AlertState::open;
  return alert;
}

std::vector<core::Alert> resolve_alerts_of(Db& db, std::string_view subject, core::TimeMs now,
                                           std::string_view kind) {
  std::vector<std::int64_t> ids;
  {
    Stmt s{db, "SELECT id FROM alerts WHERE subject=?1 AND state <> 3 AND (?2 = '' OR kind=?2) "
               "ORDER BY id"};
    s.bind(1, subject).bind(2, kind);
    while (s.step()) {
      ids.push_back(s.int64(0));
    }
  }
  std::vector<core::Alert> out;
  for (auto id : ids) {
    Stmt u{db, "UPDATE alerts SET state=3, resolved_ms=?2, resolved_by='awared' WHERE id=?1"};
    u.bind(1, id).bind(2, now).run();
    out.push_back(*load_alert(db, id));
  }
  return out;
}

core::Notice insert_notice(Db& db, core::Notice notice) {
  Stmt s{db,
         "INSERT INTO notices(client_id, case_worker, event, state, at_ms, incident_id) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"};
  s.bind(1, notice.client_id)
      .bind(2, notice.case_worker)
      .bind(3, notice.event)
      .bind(4, notice.state)
      .bind(5, notice.at_ms)
      .bind(6, notice.incident_id)
      .run();
  notice.id = db.last_insert_rowid();
  return notice;
}

}  // namespace rows

Result<std::optional<core::Alert>> Repository::raise_storage_alert(std::string detail,
                                                                  core::TimeMs now) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    auto raised = rows::raise_alert(*db_, core::storage_fault_alert(std::move(detail), now));
    tx.commit();
    return raised;
  });
}

Result<std::vector<core::Alert>> Repository::unresolved_alerts() {
  return rows::guarded([&] {
    Stmt s{*db_, std::string(kAlertColumns) + "WHERE state <> 3 ORDER BY id"};
    std::vector<core::Alert> out;
    while (s.step()) {
      out.push_back(alert_from_row(s));
    }
    return out;
  });
}

namespace {

// Runs the guarded UPDATE `sql` (?1 id, ?2 now, ?3 who) on alert `id` in one transaction.
Result<std::optional<Repository::AlertChange>> change_alert(Db& db, std::string_view sql,
                                                            std::int64_t id,
                                                            const std::string& who,
                                                            core::TimeMs now) {
  return rows::guarded([&]() -> std::optional<Repository::AlertChange> {
    Transaction tx{db};
    Stmt u{db, sql};
    u.bind(1, id).bind(2, now).bind(3, who).run();
    const bool applied = db.changes() > 0;
    auto alert = load_alert(db, id);
    tx.commit();
    if (!alert) {
      return std::nullopt;
    }
    return Repository::AlertChange{std::move(*alert), applied};
  });
}

}  // namespace

Result<std::optional<Repository::AlertChange>> Repository::acknowledge_alert(
    std::int64_t id, const std::string& who, core::TimeMs now) {
  return change_alert(*db_, "UPDATE alerts SET state=2, acked_ms=?2, acked_by=?3 "
                            "WHERE id=?1 AND state=1",
                      id, who, now);
}

Result<std::optional<Repository::AlertChange>> Repository::resolve_alert(std::int64_t id,
                                                                         const std::string& who,
                                                                         core::TimeMs now) {
  return change_alert(*db_, "UPDATE alerts SET state=3, resolved_ms=?2, resolved_by=?3 "
                            "WHERE id=?1 AND state <> 3",
                      id, who, now);
}

Result<std::vector<core::Notice>> Repository::notices_after(
    std::int64_t after_id, std::size_t limit,
    const std::function<bool(const core::Notice&)>& wanted) {
  return rows::guarded([&] {
    std::vector<core::Notice> out;
    if (limit == 0) {
      return out;
    }
    Stmt s{*db_, std::string(kNoticeColumns) + "WHERE id > ?1 ORDER BY id DESC"};
    s.bind(1, after_id);
    while (out.size() < limit && s.step()) {
      auto n = notice_from_row(s);
      if (wanted(n)) {
        out.push_back(std::move(n));
      }
    }
    std::reverse(out.begin(), out.end());
    return out;
  });
}

Result<std::vector<core::Notice>> Repository::webhook_pending(std::size_t limit) {
  return rows::guarded([&] {
    Stmt s{*db_, std::string(kNoticeColumns) + "WHERE webhook_ms IS NULL ORDER BY id LIMIT ?1"};
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<core::Notice> out;
    while (s.step()) {
      out.push_back(notice_from_row(s));
    }
    return out;
  });
}

Result<void> Repository::mark_webhook_sent(std::int64_t id, core::TimeMs now) {
  auto done = rows::guarded([&] {
    Stmt s{*db_, "UPDATE notices SET webhook_ms=?2 WHERE id=?1"};
    s.bind(1, id).bind(2, now).run();
    return true;
  });
  if (!done) {
    return tl::make_unexpected(done.error());
  }
  return {};
}

}  // namespace aware::store
