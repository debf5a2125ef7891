// registry_rows.cpp — the SQL behind Repository's registry functions (see repository.hpp):
// reading the registry tables into core records and writing them back, one transaction per
// write, with the registry version bumped by every write.
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "store/geometry_text.hpp"
#include "store/repository.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {
namespace {

// Runs `fn`, turning SqliteError (and a corrupt geometry/JSON column) into a StoreError value.
template <typename Fn>
auto guarded_rows(Fn&& fn) -> Result<decltype(fn())> {
  try {
    return fn();
  } catch (const SqliteError& e) {
    return tl::make_unexpected(StoreError{e.code(), e.what()});
  } catch (const std::runtime_error& e) {
    return tl::make_unexpected(StoreError{SQLITE_CORRUPT, e.what()});
  }
}

std::string_view table_of(RecordKind kind) {
  constexpr std::array<std::string_view, 5> kTables{"clients", "devices", "aops", "aols",
                                                    "regions"};
  return kTables.at(static_cast<std::size_t>(kind));
}

// SELECT lists; each reader below takes the columns in this order.
constexpr std::string_view kClientSelect = "SELECT id, name, home_region, active FROM clients";
constexpr std::string_view kDeviceSelect =
    "SELECT id, client_id, active, heartbeat_interval_s FROM devices";
constexpr std::string_view kAopSelect =
    "SELECT id, client_id, signalement, pleger, case_worker, valid_from, valid_until, "
    "photo_refs, active FROM aops";
constexpr std::string_view kAolSelect =
    "SELECT id, coalesce(client_id, ''), label, address, instructions, lat, lon, radius_m, "
    "zone, active FROM aols";
constexpr std::string_view kRegionSelect = "SELECT id, name, area, active FROM regions";

// Runs `select` (optionally narrowed to one id, or to active rows) in id order and hands each
// row to `row`.
template <typename Row>
void each_row(Db& db, std::string_view select, const std::optional<std::string>& id,
              bool active_only, Row row) {
  std::string sql{select};
  if (id) {
    sql += " WHERE id=?1";
  } else if (active_only) {
    sql += " WHERE active=1";
  }
  sql += " ORDER BY id";
  Stmt s{db, sql};
  if (id) {
    s.bind(1, *id);
  }
  while (s.step()) {
    row(s);
  }
}

void read_kind(Db& db, RecordKind kind, const std::optional<std::string>& id,
               bool include_inactive_regions, RegistrySnapshot& out) {
  auto& r = out.registry;
  switch (kind) {
    case RecordKind::client:
      each_row(db, kClientSelect, id, false, [&](const Stmt& s) {
        r.clients.push_back({s.text(0), s.text(1), s.text(2), s.int64(3) != 0});
      });
      break;
    case RecordKind::device:
      each_row(db, kDeviceSelect, id, false, [&](const Stmt& s) {
        r.devices.push_back({s.text(0), s.text(1), s.int64(2) != 0,
                             static_cast<std::uint32_t>(s.int64(3))});
      });
      break;
    case RecordKind::aop:
      each_row(db, kAopSelect, id, false, [&](const Stmt& s) {
        r.aops.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5),
                          s.text(6), strings_from_text(s.text(7)), s.int64(8) != 0});
      });
      break;
    case RecordKind::aol:
      each_row(db, kAolSelect, id, false, [&](const Stmt& s) {
        core::AolRecord a{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.real(5),
                          s.real(6), s.real(7)};
        if (!s.is_null(8)) {
          a.zone = polygon_from_text(s.text(8));
        }
        a.active = s.int64(9) != 0;
        r.aols.push_back(std::move(a));
      });
      break;
    case RecordKind::region:
      each_row(db, kRegionSelect, id, !include_inactive_regions, [&](const Stmt& s) {
        r.regions.push_back({s.text(0), s.text(1), polygons_from_text(s.text(2))});
        if (s.int64(3) == 0) {
          out.inactive_regions.push_back(s.text(0));
        }
      });
      break;
  }
}

// "client", "device", … — the prefix of an audit subject ("client:C-001").
std::string_view singular_of(RecordKind kind) {
  constexpr std::array<std::string_view, 5> kSingular{"client", "device", "aop", "aol",
                                                      "region"};
  return kSingular.at(static_cast<std::size_t>(kind));
}

void audit_record(Db& db, const AuditBy& by, RecordKind kind, std::string_view id,
                  core::TimeMs now) {
  rows::append_audit(db, by.actor, by.action, std::string(singular_of(kind)) + ":" + std::string(id),
                     by.justification, now);
}

// One audit row per record of `in`, in the order write_all() writes them.
void audit_all(Db& db, const RegistrySnapshot& in, const AuditBy& by, core::TimeMs now) {
  const auto& r = in.registry;
  for (const auto& g : r.regions) {
    audit_record(db, by, RecordKind::region, g.id, now);
  }
  for (const auto& c : r.clients) {
    audit_record(db, by, RecordKind::client, c.id, now);
  }
  for (const auto& d : r.devices) {
    audit_record(db, by, RecordKind::device, d.id, now);
  }
  for (const auto& a : r.aops) {
    audit_record(db, by, RecordKind::aop, a.id, now);
  }
  for (const auto& a : r.aols) {
    audit_record(db, by, RecordKind::aol, a.id, now);
  }
}

std::int64_t registry_version(Db& db) {
  Stmt s{db, "SELECT version FROM registry_meta WHERE id=1"};
  return s.step() ? s.int64(0) : 0;
}

std::int64_t bump_version(Db& db) { return rows::bump_registry_version(db); }

// "INSERT INTO t (cols) VALUES (?1..?n)" plus, for upsert, an update of every non-id column.
std::string insert_sql(std::string_view table, std::initializer_list<std::string_view> cols,
                       WriteMode mode) {
  std::string sql = "INSERT INTO " + std::string(table) + " (";
  std::string values;
  std::string updates;
  int n = 0;
  for (auto c : cols) {
    sql += (n > 0 ? ", " : "") + std::string(c);
    values += (n > 0 ? ", ?" : "?") + std::to_string(n + 1);
    if (n > 0) {
      updates += (n > 1 ? ", " : "") + std::string(c) + "=excluded." + std::string(c);
    }
    ++n;
  }
  sql += ") VALUES (" + values + ")";
  if (mode == WriteMode::upsert) {
    sql += " ON CONFLICT(id) DO UPDATE SET " + updates;
  }
  return sql;
}

std::int64_t flag(bool b) { return b ? 1 : 0; }

void write_all(Db& db, const RegistrySnapshot& in, WriteMode mode, core::TimeMs now) {
  const auto& r = in.registry;
  Stmt regions{db, insert_sql("regions", {"id", "name", "area", "active", "updated_ms"}, mode)};
  for (const auto& g : r.regions) {
    const bool inactive = std::find(in.inactive_regions.begin(), in.inactive_regions.end(),
                                    g.id) != in.inactive_regions.end();
    regions.bind(1, g.id).bind(2, g.name).bind(3, polygons_to_text(g.area))
        .bind(4, flag(!inactive)).bind(5, now).run();
  }
  Stmt clients{db, insert_sql("clients", {"id", "name", "home_region", "active", "updated_ms"},
                              mode)};
  for (const auto& c : r.clients) {
    clients.bind(1, c.id).bind(2, c.name).bind(3, c.home_region).bind(4, flag(c.active))
        .bind(5, now).run();
  }
  Stmt devices{db, insert_sql("devices",
                              {"id", "client_id", "active", "updated_ms", "heartbeat_interval_s"},
                              mode)};
  for (const auto& d : r.devices) {
    devices.bind(1, d.id)
        .bind(2, d.client_id)
        .bind(3, flag(d.active))
        .bind(4, now)
        .bind(5, static_cast<std::int64_t>(d.heartbeat_interval_s))
        .run();
  }
  Stmt aops{db, insert_sql("aops",
                           {"id", "client_id", "signalement", "pleger", "case_worker",
                            "valid_from", "valid_until", "photo_refs", "active", "updated_ms"},
                           mode)};
  for (const auto& a : r.aops) {
    aops.bind(1, a.id).bind(2, a.client_id).bind(3, a.signalement).bind(4, a.pleger)
        .bind(5, a.case_worker).bind(6, a.valid_from).bind(7, a.valid_until)
        .bind(8, strings_to_text(a.photo_refs)).bind(9, flag(a.active)).bind(10, now).run();
  }
  Stmt aols{db, insert_sql("aols",
                           {"id", "client_id", "label", "address", "instructions", "lat", "lon",
                            "radius_m", "zone", "active", "updated_ms"},
                           mode)};
  for (const auto& a : r.aols) {
    aols.bind(1, a.id);
    if (a.client_id.empty()) {
      aols.bind_null(2);
    } else {
      aols.bind(2, a.client_id);
    }
    aols.bind(3, a.label).bind(4, a.address).bind(5, a.instructions).bind(6, a.lat)
        .bind(7, a.lon).bind(8, a.radius_m);
    if (a.zone) {
      aols.bind(9, polygon_to_text(*a.zone));
    } else {
      aols.bind_null(9);
    }
    aols.bind(10, flag(a.active)).bind(11, now).run();
  }
}

}  // namespace

Result<core::Registry> Repository::load_registry() {
  return registry_snapshot(false).map([](RegistrySnapshot s) { return std::move(s.registry); });
}

Result<RegistrySnapshot> Repository::registry_snapshot(bool include_inactive_regions) {
  return guarded_rows([&] {
    Transaction tx{*db_, true};
    RegistrySnapshot out;
    out.version = registry_version(*db_);
    for (auto kind : {RecordKind::region, RecordKind::client, RecordKind::device,
                      RecordKind::aop, RecordKind::aol}) {
      read_kind(*db_, kind, std::nullopt, include_inactive_regions, out);
    }
    tx.commit();
    return out;
  });
}

Result<RegistrySnapshot> Repository::read_records(RecordKind kind,
                                                  const std::optional<std::string>& id) {
  return guarded_rows([&] {
    Transaction tx{*db_, true};
    RegistrySnapshot out;
    out.version = registry_version(*db_);
    read_kind(*db_, kind, id, true, out);
    tx.commit();
    return out;
  });
}

Result<bool> Repository::exists(RecordKind kind, std::string_view id) {
  return guarded_rows([&] {
    Stmt s{*db_, "SELECT 1 FROM " + std::string(table_of(kind)) + " WHERE id=?1"};
    s.bind(1, id);
    return s.step();
  });
}

Result<std::int64_t> Repository::write_records(const RegistrySnapshot& records, WriteMode mode,
                                               core::TimeMs now,
                                               const std::optional<AuditBy>& audit) {
  return guarded_rows([&] {
    Transaction tx{*db_};
    write_all(*db_, records, mode, now);
    if (audit) {
      audit_all(*db_, records, *audit, now);
    }
    const auto version = bump_version(*db_);
    tx.commit();
    return version;
  });
}

Result<std::optional<std::int64_t>> Repository::deactivate(RecordKind kind, std::string_view id,
                                                           core::TimeMs now,
                                                           const std::optional<AuditBy>& audit) {
  return guarded_rows([&]() -> std::optional<std::int64_t> {
    Transaction tx{*db_};
    Stmt s{*db_, "UPDATE " + std::string(table_of(kind)) +
                     " SET active=0, updated_ms=?2 WHERE id=?1"};
    s.bind(1, id).bind(2, now).run();
    if (db_->changes() == 0) {
      return std::nullopt;
    }
    if (audit) {
      audit_record(*db_, *audit, kind, id, now);
    }
    const auto version = bump_version(*db_);
    tx.commit();
    return version;
  });
}

std::int64_t rows::bump_registry_version(Db& db) {
  db.exec("UPDATE registry_meta SET version = version + 1 WHERE id=1");
  Stmt s{db, "SELECT version FROM registry_meta WHERE id=1"};
  return s.step() ? s.int64(0) : 0;
}

}  // namespace aware::store
