// repository.cpp — SQL behind the Repository contract (see repository.hpp).
#include "store/repository.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "core/incident_note.hpp"
#include "store/decider.hpp"
#include "store/demo_seed.hpp"
#include "store/migrations.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {

using rows::guarded;

Repository::Repository(const std::filesystem::path& path) {
  try {
    if (path.has_parent_path()) {
      std::filesystem::create_directories(path.parent_path());
    }
    db_ = std::make_unique<Db>(path);
    db_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
              "PRAGMA busy_timeout=5000;");
    if (journal_mode() != "wal" || synchronous() != 2) {
      throw std::runtime_error("database " + path.string() +
                               " is not in WAL mode with synchronous=FULL; refusing to run");
    }
    for (const auto& m : migrations()) {
      if (schema_version() >= m.version) {
        continue;
      }
      Transaction tx{*db_};
      db_->exec(m.sql);
      db_->exec("PRAGMA user_version=" + std::to_string(m.version));
      tx.commit();
    }
  } catch (const std::filesystem::filesystem_error& e) {
    throw std::runtime_error(std::string("cannot create the database folder: ") + e.what());
  } catch (const SqliteError& e) {
    throw std::runtime_error("cannot open database " + path.string() + ": " + e.what());
  }
}

Repository::~Repository() {
  if (decider_ != nullptr) {
    sqlite3_update_hook(db_->handle(), nullptr, nullptr);
  }
}

void Repository::attach_decider(Decider& decider, core::TimeMs now) {
  Stmt next{*db_, "SELECT coalesce(max(id), 0) + 1 FROM incidents"};
  next.step();
  std::vector<std::string> heard;
  Stmt devices{*db_, "SELECT device_id FROM device_state UNION SELECT device_id FROM incidents"};
  while (devices.step()) {
    heard.push_back(devices.text(0));
  }
  std::vector<std::string> windows;
  Stmt open{*db_, "SELECT DISTINCT device_id FROM test_windows WHERE closed_ms IS NULL AND "
                  "until_ms > ?1"};
  open.bind(1, now);
  while (open.step()) {
    windows.push_back(open.text(0));
  }
  decider.start(std::max(next.int64(0), incident_id_floor_), heard, windows);
  decider_ = &decider;
  sqlite3_update_hook(
      db_->handle(),
      [](void* self, int op, const char* db, const char* table, sqlite3_int64 rowid) {
        row_changed(self, op, db, table, rowid);
      },
      this);
}

void Repository::row_changed(void* self, int op, const char*, const char* table,
                             std::int64_t rowid) {
  auto& repo = *static_cast<Repository*>(self);
  if (repo.quiet_) {
    return;
  }
  const std::string_view t{table};
  if (t == "incidents") {
    if (op == SQLITE_INSERT) {
      repo.decider_->everything_changed(true);  // an incident of a device it may not know
    } else {
      repo.decider_->incident_changed(rowid);
    }
  } else if (t == "device_state") {
    repo.decider_->everything_changed(op == SQLITE_INSERT);
  } else if (t == "incident_timers") {
    repo.decider_->incident_changed(rowid);  // its rowid is the incident's id; to_fallback
  } else if (t == "incident_notes") {
    repo.decider_->everything_changed(false);  // notes travel with the incident
  }
  // Others do not change what it decides: a window is told by start_test_window(); positions
  // come with an incidents UPDATE (append_position() tells the decider itself). Only this
  // connection's writes are seen: awared writes incidents through no other.
}

Result<std::vector<core::Incident>> Repository::open_incidents() {
  return guarded([&] {
    return rows::load_open_incidents(*db_);
  });
}

Result<core::Incident> Repository::incident(std::int64_t id) {
  return guarded([&] {
    return rows::load_incident(*db_, id);
  });
}

Result<Repository::Transition> Repository::transition(std::string_view update_sql,
                                                      const TransitionArgs& args) {
  return guarded([&] {
    Transaction tx{*db_};
    auto out = apply_transition(update_sql, args);
    tx.commit();
    return out;
  });
}

Repository::Transition Repository::apply_transition(std::string_view update_sql,
                                                    const TransitionArgs& args) {
  Stmt s{*db_, update_sql};
  // Each statement uses a prefix of the parameters ?1..?5; bind just those.
  const int used = s.parameter_count();
  s.bind(1, args.id).bind(2, args.now);
  if (used >= 3) {
    s.bind(3, args.who);
  }
  if (used >= 5) {
    s.bind(4, args.outcome).bind(5, args.note);
  }
  s.run();
  Transition out;
  out.applied = db_->changes() > 0;
  if (out.applied) {
    rows::insert_event(*db_, args.id, args.state, args.who, args.outcome, args.now);
    if (args.state == core::IncidentState::accepted ||
        args.state == core::IncidentState::closed) {
      // Only the escalation alerts: a proefmelding waits for the PAC operator to confirm it.
      const auto subject = "incident:" + std::to_string(args.id);
      for (auto kind : {core::alert_kind::not_delivered, core::alert_kind::not_accepted}) {
        auto resolved = rows::resolve_alerts_of(*db_, subject, args.now, kind);
        out.alerts.insert(out.alerts.end(), resolved.begin(), resolved.end());
      }
    }
  }
  out.incident = rows::load_incident(*db_, args.id);  // SQLITE_NOTFOUND when there is none
  if (out.applied && args.state == core::IncidentState::closed) {
    if (auto notice = core::close_notice(out.incident, args.now)) {
      out.notice = rows::insert_notice(*db_, std::move(*notice));
    }
  }
  return out;
}

namespace {
constexpr std::string_view kMarkDelivered =
    "UPDATE incidents SET state=2, updated_ms=?2 WHERE id=?1 AND state=1";
}  // namespace

Result<Repository::Transition> Repository::mark_delivered(std::int64_t id, core::TimeMs now) {
  return std::move(mark_delivered(std::span<const std::int64_t>{&id, 1}, now).front());
}

void Repository::mark_delivered_within(std::int64_t id, core::TimeMs now) {
  apply_transition(kMarkDelivered, {id, core::IncidentState::delivered, now, "", "", ""});
}

std::vector<Result<Repository::Transition>> Repository::mark_delivered(
    std::span<const std::int64_t> ids, core::TimeMs now) {
  std::vector<Result<Transition>> out;
  out.reserve(ids.size());
  const Quiet quiet{quiet_};  // the decider is told below
  auto committed = guarded([&] {
    Transaction tx{*db_};
    for (const auto id : ids) {
      // One that fails (e.g. SQLITE_NOTFOUND: no such incident) leaves no trace and fails alone.
      out.push_back(rows::in_savepoint(*db_, [&] {
        return apply_transition(kMarkDelivered,
                                {id, core::IncidentState::delivered, now, "", "", ""});
      }));
    }
    tx.commit();
    return true;
  });
  if (!committed) {
    out.assign(ids.size(), tl::make_unexpected(committed.error()));
  } else if (decider_ != nullptr) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (out[i] && out[i]->applied) {
        decider_->incident_delivered(ids[i]);
      }
    }
  }
  return out;
}

Result<Repository::Transition> Repository::accept(std::int64_t id, const std::string& who,
                                                  core::TimeMs now) {
  return transition("UPDATE incidents SET state=3, accepted_by=?3, updated_ms=?2 WHERE id=?1 "
                    "AND (state IN (1, 2) OR (state=3 AND accepted_by=?3))",
                    {id, core::IncidentState::accepted, now, who, "", ""});
}

Result<Repository::Transition> Repository::close(std::int64_t id, const std::string& who,
                                                 const std::string& outcome,
                                                 const std::string& note, core::TimeMs now) {
  return transition("UPDATE incidents SET state=4, outcome=?4, note=?5, updated_ms=?2 "
                    "WHERE id=?1 AND state=3 AND accepted_by=?3",
                    {id, core::IncidentState::closed, now, who, outcome, note});
}

Result<Repository::Transition> Repository::with_incident(std::int64_t id,
                                                        const Result<bool>& applied) {
  if (!applied) {
    return tl::make_unexpected(applied.error());
  }
  return incident(id).map([&](core::Incident inc) { return Transition{std::move(inc), *applied}; });
}

Result<Repository::Transition> Repository::record_listen_in(std::int64_t id,
                                                            const std::string& who,
                                                            core::TimeMs now) {
  auto applied = guarded([&] {
    Transaction tx{*db_};
    auto state = core::IncidentState::closed;
    {
      Stmt s{*db_, "SELECT state FROM incidents WHERE id=?1"};
      s.bind(1, id);
      if (s.step()) {
        state = static_cast<core::IncidentState>(s.int64(0));
      }
    }
    if (state == core::IncidentState::closed) {  // closed, or no such incident
      return false;
    }
    rows::insert_event(*db_, id, state, who, "meeluisteren", now);
    Stmt mark{*db_, "UPDATE incidents SET listen_in_by=?2, listen_in_ms=?3 WHERE id=?1"};
    mark.bind(1, id).bind(2, who).bind(3, now).run();
    rows::append_audit(*db_, who, "incident.listen_in", "incident:" + core::incident_label(id),
                       "", now);
    tx.commit();
    return true;
  });
  return with_incident(id, applied);
}

Result<Repository::Transition> Repository::add_note(std::int64_t id, const std::string& author,
                                                    const std::string& text, core::TimeMs now) {
  auto applied = guarded([&] {
    Transaction tx{*db_};
    Stmt s{*db_, "INSERT INTO incident_notes (incident_id, at_ms, author, text) "
                 "SELECT id, ?2, ?3, ?4 FROM incidents WHERE id=?1 AND state<4 "
                 "AND (SELECT count(*) FROM incident_notes WHERE incident_id=?1) < ?5"};
    s.bind(1, id).bind(2, now).bind(3, author).bind(4, text)
        .bind(5, static_cast<std::int64_t>(core::kMaxNotesPerIncident)).run();
    if (db_->changes() == 0) {
      return false;  // closed, full, or no such incident: nothing written
    }
    Stmt state{*db_, "SELECT state FROM incidents WHERE id=?1"};
    state.bind(1, id).step();
    rows::insert_event(*db_, id, static_cast<core::IncidentState>(state.int64(0)), author,
                       "notitie", now);
    tx.commit();
    return true;
  });
  return with_incident(id, applied);
}

Result<bool> Repository::seed_demo_if_empty(core::TimeMs) {
  return guarded([&] {
    Stmt count{*db_, "SELECT count(*) FROM clients"};
    count.step();
    if (count.int64(0) > 0) {
      return false;
    }
    Transaction tx{*db_};
    db_->exec(demo_seed_sql());
    tx.commit();
    return true;
  });
}

std::string Repository::journal_mode() {
  Stmt s{*db_, "PRAGMA journal_mode"};
  s.step();
  return s.text(0);
}

int Repository::synchronous() {
  Stmt s{*db_, "PRAGMA synchronous"};
  s.step();
  return static_cast<int>(s.int64(0));
}

int Repository::schema_version() {
  Stmt s{*db_, "PRAGMA user_version"};
  s.step();
  return static_cast<int>(s.int64(0));
}

}  // namespace aware::store
