// rows.cpp — the SQL behind rows.hpp.
#include "store/rows.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <string>

#include "store/incident_row.hpp"

namespace aware::store::rows {
namespace {

constexpr std::string_view kIncidentColumns =
    "SELECT id, priority, state, received_ms, device_id, boot_epoch, seq, client_id, region, "
    "context, activation_count, accepted_by, outcome, listen_in_by, listen_in_ms, "
    "COALESCE((SELECT to_fallback FROM incident_timers t WHERE t.incident_id=incidents.id), 0) "
    "FROM incidents ";

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
  inc.listen_in_by = s.text(13);
  inc.listen_in_ms = s.int64(14);
  inc.to_fallback = s.int64(15) != 0;
  return inc;
}

// Replaces inc.track with the latest kMaxTrackPositions stored positions, oldest first.
void attach_track(Db& db, core::Incident& inc) {
  Stmt s{db, "SELECT lat, lon, accuracy_m, fix_time_ms, fix_source, received_ms FROM positions "
             "WHERE incident_id=?1 ORDER BY id DESC LIMIT ?2"};
  s.bind(1, inc.id).bind(2, static_cast<std::int64_t>(core::kMaxTrackPositions));
  inc.track.clear();
  while (s.step()) {
    core::GeoFix f;
    f.lat = s.real(0);
    f.lon = s.real(1);
    f.accuracy_m = static_cast<float>(s.real(2));
    f.fix_time_ms = s.int64(3);
    f.source = core::fix_source_from(s.text(4)).value_or(core::FixSource::none);
    f.received_ms = s.int64(5);
    inc.track.push_back(f);
  }
  std::reverse(inc.track.begin(), inc.track.end());
}

// Replaces inc.notes with the stored notes, oldest first (the store keeps at most
// core::kMaxNotesPerIncident).
void attach_notes(Db& db, core::Incident& inc) {
  Stmt s{db, "SELECT author, at_ms, text FROM incident_notes WHERE incident_id=?1 ORDER BY id"};
  s.bind(1, inc.id);
  inc.notes.clear();
  while (s.step()) {
    inc.notes.push_back({s.text(0), s.int64(1), s.text(2)});
  }
}

std::int64_t seq_of(const core::MessageKey& key) { return static_cast<std::int64_t>(key.seq); }

}  // namespace

core::Incident load_incident(Db& db, std::int64_t id) {
  Stmt s{db, std::string(kIncidentColumns) + "WHERE id=?1"};
  s.bind(1, id);
  if (!s.step()) {
    throw SqliteError{SQLITE_NOTFOUND, "no incident " + std::to_string(id)};
  }
  auto inc = incident_from_row(s);
  attach_track(db, inc);
  attach_notes(db, inc);
  return inc;
}

std::vector<core::Incident> load_open_incidents(Db& db) {
  Stmt s{db, std::string(kIncidentColumns) + "WHERE state < 4 ORDER BY id"};
  std::vector<core::Incident> out;
  while (s.step()) {
    out.push_back(incident_from_row(s));
  }
  for (auto& inc : out) {
    attach_track(db, inc);
    attach_notes(db, inc);
  }
  return out;
}

std::optional<std::optional<std::int64_t>> find_activation(Db& db, const core::MessageKey& key) {
  Stmt s{db, "SELECT incident_id FROM activations WHERE device_id=?1 AND boot_epoch=?2 AND seq=?3"};
  s.bind(1, key.device_id).bind(2, std::int64_t{key.boot_epoch}).bind(3, seq_of(key));
  if (!s.step()) {
    return std::nullopt;
  }
  return s.is_null(0) ? std::optional<std::int64_t>{} : std::optional<std::int64_t>{s.int64(0)};
}

std::optional<LatestIncident> latest_incident(Db& db, std::string_view device_id) {
  Stmt s{db, "SELECT id, state, updated_ms FROM incidents WHERE device_id=?1 AND priority<>3 "
             "ORDER BY id DESC LIMIT 1"};
  s.bind(1, device_id);
  if (!s.step()) {
    return std::nullopt;
  }
  return LatestIncident{s.int64(0), static_cast<core::IncidentState>(s.int64(1)), s.int64(2)};
}

std::int64_t insert_incident(Db& db, const core::Incident& draft, core::TimeMs now,
                             std::int64_t id) {
  Stmt ins{db,
           "INSERT INTO incidents (priority, state, received_ms, device_id, boot_epoch, seq, "
           "client_id, region, context, activation_count, updated_ms, id) VALUES "
           "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"};
  if (id > 0) {
    ins.bind(12, id);  // unbound, ?12 is NULL: SQLite picks the next rowid
  }
  ins.bind(1, std::int64_t{static_cast<int>(draft.priority)})
      .bind(2, std::int64_t{static_cast<int>(core::IncidentState::created)})
      .bind(3, draft.received_ms).bind(4, draft.key.device_id)
      .bind(5, std::int64_t{draft.key.boot_epoch}).bind(6, seq_of(draft.key))
      .bind(7, draft.match.client_id).bind(8, draft.match.region)
      .bind(9, context_to_json(draft)).bind(10, std::int64_t{draft.activation_count})
      .bind(11, now).run();
  return db.last_insert_rowid();
}

void update_incident(Db& db, const core::Incident& inc, core::TimeMs now) {
  Stmt s{db, "UPDATE incidents SET state=?2, client_id=?3, region=?4, context=?5, "
             "activation_count=?6, accepted_by=?7, outcome=?8, updated_ms=?9, "
             "listen_in_by=?10, listen_in_ms=?11 WHERE id=?1"};
  s.bind(1, inc.id).bind(2, std::int64_t{static_cast<int>(inc.state)})
      .bind(3, inc.match.client_id).bind(4, inc.match.region).bind(5, context_to_json(inc))
      .bind(6, std::int64_t{inc.activation_count}).bind(7, inc.accepted_by).bind(8, inc.outcome)
      .bind(9, now).bind(10, inc.listen_in_by).bind(11, inc.listen_in_ms).run();
}

void insert_event(Db& db, std::int64_t incident, core::IncidentState state, std::string_view who,
                  std::string_view detail, core::TimeMs at) {
  Stmt s{db, "INSERT INTO incident_events (incident_id, at_ms, state, who, detail) "
             "VALUES (?1, ?2, ?3, ?4, ?5)"};
  s.bind(1, incident).bind(2, at).bind(3, std::int64_t{static_cast<int>(state)}).bind(4, who)
      .bind(5, detail).run();
}

Numbering note_device_numbering(Db& db, const core::Activation& a) {
  Stmt prev{db, "SELECT boot_epoch, last_seq FROM device_state WHERE device_id=?1"};
  prev.bind(1, a.key.device_id);
  Numbering out;
  if (prev.step()) {
    const auto epoch = std::int64_t{a.key.boot_epoch};
    out.restarted = prev.int64(0) != epoch;
    out.regressed = epoch < prev.int64(0) || (epoch == prev.int64(0) && seq_of(a.key) < prev.int64(1));
  }
  if (out.regressed) {
    return out;  // keep the highest numbering seen
  }
  Stmt up{db, "INSERT INTO device_state (device_id, boot_epoch, last_seq, last_seen_ms) "
              "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(device_id) DO UPDATE SET "
              "boot_epoch=excluded.boot_epoch, last_seq=excluded.last_seq, "
              "last_seen_ms=excluded.last_seen_ms"};
  up.bind(1, a.key.device_id).bind(2, std::int64_t{a.key.boot_epoch}).bind(3, seq_of(a.key))
      .bind(4, a.received_ms).run();
  return out;
}

void insert_activation(Db& db, const core::Activation& a, std::optional<std::int64_t> incident_id) {
  Stmt s{db,
         "INSERT INTO activations (device_id, boot_epoch, seq, received_ms, device_time_ms, "
         "trigger, lat, lon, accuracy_m, fix_time_ms, fix_source, fix_invalid, audio_kind, "
         "audio_address, audio_codec, battery_pct, incident_id) VALUES "
         "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)"};
  s.bind(1, a.key.device_id).bind(2, std::int64_t{a.key.boot_epoch}).bind(3, seq_of(a.key))
      .bind(4, a.received_ms).bind(5, a.device_time_ms).bind(6, core::to_string(a.trigger));
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

bool position_exists(Db& db, const core::MessageKey& key) {
  Stmt s{db, "SELECT 1 FROM positions WHERE device_id=?1 AND boot_epoch=?2 AND seq=?3"};
  s.bind(1, key.device_id).bind(2, std::int64_t{key.boot_epoch}).bind(3, seq_of(key));
  return s.step();
}

void insert_position(Db& db, std::int64_t incident_id, const core::MessageKey& key,
                     const core::GeoFix& fix) {
  Stmt s{db, "INSERT INTO positions (incident_id, device_id, boot_epoch, seq, lat, lon, "
             "accuracy_m, fix_time_ms, fix_source, received_ms) VALUES "
             "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"};
  s.bind(1, incident_id).bind(2, key.device_id).bind(3, std::int64_t{key.boot_epoch})
      .bind(4, seq_of(key)).bind(5, fix.lat).bind(6, fix.lon).bind(7, double{fix.accuracy_m})
      .bind(8, fix.fix_time_ms).bind(9, core::to_string(fix.source)).bind(10, fix.received_ms)
      .run();
}

void write_context(Db& db, const core::Incident& inc) {
  Stmt s{db, "UPDATE incidents SET context=?2 WHERE id=?1"};
  s.bind(1, inc.id).bind(2, context_to_json(inc)).run();
}

void write_timers(Db& db, std::int64_t id, const core::IncidentTimers& t) {
  Stmt s{db, "INSERT OR REPLACE INTO incident_timers (incident_id, deliver_due_ms, accept_due_ms, "
             "accept_stage, to_fallback) VALUES (?1,?2,?3,?4,?5)"};
  s.bind(1, id).bind(2, t.deliver_due).bind(3, t.accept_due)
      .bind(4, std::int64_t{t.accept_stage}).bind(5, std::int64_t{t.to_fallback ? 1 : 0})
      .run();
}

}  // namespace aware::store::rows
