// repository.cpp — SQL behind the Repository contract (see repository.hpp).
#include "store/repository.hpp"

#include <sqlite3.h>

#include <stdexcept>

#include "core/crash_point.hpp"
#include "store/demo_seed.hpp"
#include "store/incident_row.hpp"
#include "store/migrations.hpp"
#include "store/sqlite.hpp"

namespace aware::store {
namespace {

constexpr std::string_view kIncidentColumns =
    "SELECT id, priority, state, received_ms, device_id, boot_epoch, seq, client_id, region, "
    "context, activation_count, accepted_by, outcome FROM incidents ";

core::Incident incident_from_row(const Stmt& s) {
  core::Incident inc;
  inc.id = s.int64(0);
  inc.priority = static_cast<core::Priority>(s.int64(1));
  inc.state = static_cast<core::IncidentState>(s.int64(2));
  inc.received_ms = s.int64(3);
  inc.key = core::MessageKey{s.text(4), static_cast<std::uint32_t>(s.int64(5)),
                             static_cast<std::uint64_t>(s.int64(6))};
  inc.match.client_id = s.text(7);
  inc.match.region = s.text(8);
  context_from_json(s.text(9), inc);
  inc.activation_count = static_cast<std::uint32_t>(s.int64(10));
  inc.accepted_by = s.text(11);
  inc.outcome = s.text(12);
  return inc;
}

// Runs `fn`, turning any SqliteError into a StoreError value.
template <typename Fn>
auto guarded(Fn&& fn) -> Result<decltype(fn())> {
  try {
    return fn();
  } catch (const SqliteError& e) {
    return tl::make_unexpected(StoreError{e.code(), e.what()});
  }
}

std::optional<std::int64_t> incident_of_activation(Db& db, const core::MessageKey& key) {
  Stmt s{db, "SELECT incident_id FROM activations WHERE device_id=?1 AND boot_epoch=?2 AND seq=?3"};
  s.bind(1, key.device_id).bind(2, std::int64_t{key.boot_epoch})
      .bind(3, static_cast<std::int64_t>(key.seq));
  if (s.step()) {
    return s.int64(0);
  }
  return std::nullopt;
}

void insert_event(Db& db, std::int64_t incident, core::IncidentState state, std::string_view who,
                  std::string_view detail, core::TimeMs at) {
  Stmt s{db, "INSERT INTO incident_events (incident_id, at_ms, state, who, detail) "
             "VALUES (?1, ?2, ?3, ?4, ?5)"};
  s.bind(1, incident).bind(2, at).bind(3, std::int64_t{static_cast<int>(state)}).bind(4, who)
      .bind(5, detail).run();
}

// Records the numbering the device uses now; true when its boot epoch changed.
bool note_device_numbering(Db& db, const core::Activation& a) {
  Stmt prev{db, "SELECT boot_epoch FROM device_state WHERE device_id=?1"};
  prev.bind(1, a.key.device_id);
  const bool restarted = prev.step() && prev.int64(0) != std::int64_t{a.key.boot_epoch};
  Stmt up{db, "INSERT INTO device_state (device_id, boot_epoch, last_seq, last_seen_ms) "
              "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(device_id) DO UPDATE SET "
              "boot_epoch=excluded.boot_epoch, last_seq=excluded.last_seq, "
              "last_seen_ms=excluded.last_seen_ms"};
  up.bind(1, a.key.device_id).bind(2, std::int64_t{a.key.boot_epoch})
      .bind(3, static_cast<std::int64_t>(a.key.seq)).bind(4, a.received_ms).run();
  return restarted;
}

void insert_activation(Db& db, const core::Activation& a, std::int64_t incident_id) {
  Stmt s{db,
         "INSERT INTO activations (device_id, boot_epoch, seq, received_ms, device_time_ms, "
         "trigger, lat, lon, accuracy_m, fix_time_ms, fix_source, fix_invalid, audio_kind, "
         "audio_address, audio_codec, battery_pct, incident_id) VALUES "
         "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)"};
  s.bind(1, a.key.device_id).bind(2, std::int64_t{a.key.boot_epoch})
      .bind(3, static_cast<std::int64_t>(a.key.seq)).bind(4, a.received_ms)
      .bind(5, a.device_time_ms).bind(6, core::to_string(a.trigger));
  if (a.fix) {
    s.bind(7, a.fix->lat).bind(8, a.fix->lon).bind(9, double{a.fix->accuracy_m})
        .bind(10, a.fix->fix_time_ms).bind(11, core::to_string(a.fix->source));
  } else {
    s.bind_null(7).bind_null(8).bind_null(9).bind_null(10).bind_null(11);
  }
  s.bind(12, std::int64_t{a.fix_invalid ? 1 : 0});
  if (a.audio) {
    s.bind(13, core::to_string(a.audio->kind)).bind(14, a.audio->address).bind(15, a.audio->codec);
  } else {
    s.bind_null(13).bind_null(14).bind_null(15);
  }
  s.bind(16, std::int64_t{a.battery_pct}).bind(17, incident_id).run();
}

}  // namespace

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

Repository::~Repository() = default;

Result<RecordOutcome> Repository::record_activation(const core::Activation& a,
                                                    const core::Incident& draft) {
  return guarded([&] {
    Transaction tx{*db_};
    RecordOutcome out;
    if (auto existing = incident_of_activation(*db_, a.key)) {
      Stmt s{*db_, std::string(kIncidentColumns) + "WHERE id=?1"};
      s.bind(1, *existing);
      if (!s.step()) {
        throw SqliteError{SQLITE_CORRUPT, "activation refers to a missing incident"};
      }
      out.incident = incident_from_row(s);
      out.duplicate = true;
      return out;  // nothing written: the transaction rolls back
    }
    out.restarted = note_device_numbering(*db_, a);
    out.incident = draft;
    Stmt ins{*db_,
             "INSERT INTO incidents (priority, state, received_ms, device_id, boot_epoch, seq, "
             "client_id, region, context, activation_count, updated_ms) VALUES "
             "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"};
    ins.bind(1, std::int64_t{static_cast<int>(draft.priority)})
        .bind(2, std::int64_t{static_cast<int>(core::IncidentState::created)})
        .bind(3, draft.received_ms).bind(4, draft.key.device_id)
        .bind(5, std::int64_t{draft.key.boot_epoch})
        .bind(6, static_cast<std::int64_t>(draft.key.seq)).bind(7, draft.match.client_id)
        .bind(8, draft.match.region).bind(9, context_to_json(draft))
        .bind(10, std::int64_t{draft.activation_count}).bind(11, a.received_ms).run();
    out.incident.id = db_->last_insert_rowid();
    out.incident.state = core::IncidentState::created;
    insert_activation(*db_, a, out.incident.id);
    insert_event(*db_, out.incident.id, core::IncidentState::created, "", "activation",
                 a.received_ms);
    core::crash_point("before_commit");
    tx.commit();
    core::crash_point("after_commit");
    return out;
  });
}

Result<std::vector<core::Incident>> Repository::open_incidents() {
  return guarded([&] {
    Stmt s{*db_, std::string(kIncidentColumns) + "WHERE state < 4 ORDER BY id"};
    std::vector<core::Incident> out;
    while (s.step()) {
      out.push_back(incident_from_row(s));
    }
    return out;
  });
}

Result<core::Incident> Repository::incident(std::int64_t id) {
  return guarded([&] {
    Stmt s{*db_, std::string(kIncidentColumns) + "WHERE id=?1"};
    s.bind(1, id);
    if (!s.step()) {
      throw SqliteError{SQLITE_NOTFOUND, "no incident " + std::to_string(id)};
    }
    return incident_from_row(s);
  });
}

Result<Repository::Transition> Repository::transition(std::string_view update_sql,
                                                      const TransitionArgs& args) {
  auto applied = guarded([&] {
    Transaction tx{*db_};
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
    const bool changed = db_->changes() > 0;
    if (changed) {
      insert_event(*db_, args.id, args.state, args.who, args.outcome, args.now);
    }
    tx.commit();
    return changed;
  });
  if (!applied) {
    return tl::make_unexpected(applied.error());
  }
  return incident(args.id).map([&](core::Incident inc) { return Transition{std::move(inc), *applied}; });
}

Result<Repository::Transition> Repository::mark_delivered(std::int64_t id, core::TimeMs now) {
  return transition("UPDATE incidents SET state=2, updated_ms=?2 WHERE id=?1 AND state=1",
                    {id, core::IncidentState::delivered, now, "", "", ""});
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
