// timer_rows.cpp — the Repository members for escalation deadlines (incident_timers, migration
// 004): the timer policy used when incidents are opened, reading the stored deadlines at
// start-up, and recording a timer firing together with its incident_events row. See
// repository.hpp for the contracts.
#include <sqlite3.h>

#include <algorithm>

#include "store/repository.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {
namespace {

constexpr std::string_view kTimerColumns =
    "SELECT t.incident_id, t.deliver_due_ms, t.accept_due_ms, t.accept_stage, t.to_fallback "
    "FROM incident_timers t ";

core::IncidentTimers timers_from_row(const Stmt& s) {
  core::IncidentTimers t;
  if (!s.is_null(1)) {
    t.deliver_due = s.int64(1);
  }
  if (!s.is_null(2)) {
    t.accept_due = s.int64(2);
  }
  t.accept_stage = static_cast<int>(s.int64(3));
  t.to_fallback = s.int64(4) != 0;
  return t;
}

}  // namespace

void Repository::set_timer_policy(core::TimeMs deliver_timeout_ms,
                                  core::TimeMs accept_timeout_ms) {
  deliver_timeout_ms_ = deliver_timeout_ms;
  accept_timeout_ms_ = accept_timeout_ms;
}

Result<std::optional<core::IncidentTimers>> Repository::timers(std::int64_t id) {
  return rows::guarded([&]() -> std::optional<core::IncidentTimers> {
    Stmt s{*db_, std::string(kTimerColumns) + "WHERE t.incident_id=?1"};
    s.bind(1, id);
    if (!s.step()) {
      return std::nullopt;
    }
    return timers_from_row(s);
  });
}

Result<std::vector<std::pair<std::int64_t, core::IncidentTimers>>> Repository::pending_timers() {
  return rows::guarded([&] {
    Stmt s{*db_, std::string(kTimerColumns) +
                     "JOIN incidents i ON i.id=t.incident_id WHERE i.state < 4 AND "
                     "(t.deliver_due_ms IS NOT NULL OR t.accept_due_ms IS NOT NULL) "
                     "ORDER BY t.incident_id"};
    std::vector<std::pair<std::int64_t, core::IncidentTimers>> out;
    while (s.step()) {
      out.emplace_back(s.int64(0), timers_from_row(s));
    }
    return out;
  });
}

Result<Repository::Transition> Repository::record_timer(std::int64_t id,
                                                        const core::IncidentTimers& next,
                                                        std::string_view detail, bool escalate,
                                                        core::TimeMs now,
                                                        std::string_view alert_kind) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    auto inc = rows::load_incident(*db_, id);  // SQLITE_NOTFOUND when there is none
    if (inc.state == core::IncidentState::closed) {
      return Transition{std::move(inc), false};
    }
    rows::write_timers(*db_, id, next);
    if (escalate &&
        std::find(inc.flags.begin(), inc.flags.end(), core::Flag::escalated) == inc.flags.end()) {
      inc.flags.push_back(core::Flag::escalated);
      // updated_ms stays: it dates the last state change (merge_window), which this is not.
      rows::write_context(*db_, inc);
    }
    inc.to_fallback = next.to_fallback;
    rows::insert_event(*db_, id, inc.state, "", detail, now);
    Transition out{std::move(inc), true, {}, std::nullopt};
    if (auto alert = rows::raise_alert(
            *db_, core::escalation_alert(out.incident, alert_kind, std::string(detail), now))) {
      out.alerts.push_back(std::move(*alert));
    }
    tx.commit();
    return out;
  });
}

}  // namespace aware::store
