// audit_rows.cpp — the SQL behind the audit log (see repository.hpp and core/audit.hpp):
// appending a row chained onto the last one, listing rows, and reading the whole chain back for
// verification. The table and its append-only triggers are in migrations/008_audit.sql;
// the purge checkpoint in 009_retention.sql.
#include <sqlite3.h>

#include "store/repository.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {
namespace {

constexpr std::string_view kAuditSelect =
    "SELECT id, at_ms, actor, action, subject, justification, prev_hash, hash FROM audit ";

core::AuditRow audit_from_row(const Stmt& s) {
  core::AuditRow r;
  r.entry = {s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5)};
  r.prev_hash = s.text(6);
  r.hash = s.text(7);
  return r;
}

}  // namespace

core::AuditRow rows::append_audit(Db& db, std::string_view actor, std::string_view action,
                                  std::string_view subject, std::string_view justification,
                                  core::TimeMs now) {
  std::int64_t last_id = 0;
  std::string prev_hash{core::kAuditGenesis};
  {
    Stmt last{db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1"};
    if (last.step()) {
      last_id = last.int64(0);
      prev_hash = last.text(1);
    }
  }
  auto row = core::audit_chain(prev_hash, {last_id + 1, now, std::string(actor),
                                           std::string(action), std::string(subject),
                                           std::string(justification)});
  Stmt s{db,
         "INSERT INTO audit(id, at_ms, actor, action, subject, justification, prev_hash, hash) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"};
  s.bind(1, row.entry.id)
      .bind(2, row.entry.at_ms)
      .bind(3, row.entry.actor)
      .bind(4, row.entry.action)
      .bind(5, row.entry.subject)
      .bind(6, row.entry.justification)
      .bind(7, row.prev_hash)
      .bind(8, row.hash)
      .run();
  return row;
}

Result<core::AuditRow> Repository::append_audit(const std::string& actor,
                                                const std::string& action,
                                                const std::string& subject,
                                                const std::string& justification,
                                                core::TimeMs now) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    auto row = rows::append_audit(*db_, actor, action, subject, justification, now);
    tx.commit();
    return row;
  });
}

Result<std::size_t> Repository::append_audit_batch(const std::vector<core::AuditEntry>& entries) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    for (const auto& e : entries) {
      rows::append_audit(*db_, e.actor, e.action, e.subject, e.justification, e.at_ms);
    }
    tx.commit();
    return entries.size();
  });
}

std::string rows::audit_rows_sql(const core::AuditQuery& query) {
  // Only the filters given enter the statement, so SQLite can walk a filter's index (actor,
  // action or subject, each ending in the id) in id order and stop at the limit; a second
  // filter is checked on the rows that index gives.
  std::string sql{kAuditSelect};
  sql += "WHERE id > ?1";
  if (query.before) {
    sql += " AND id < ?2";
  }
  if (!query.actor.empty()) {
    sql += " AND actor = ?3";
  }
  if (!query.action.empty()) {
    sql += " AND action = ?4";
  }
  if (!query.subject.empty()) {
    sql += " AND subject = ?5";
  }
  sql += query.newest_first ? " ORDER BY id DESC LIMIT ?6" : " ORDER BY id LIMIT ?6";
  return sql;
}

Result<std::vector<core::AuditRow>> Repository::audit_rows(const core::AuditQuery& query) {
  return rows::guarded([&] {
    Stmt s{*db_, rows::audit_rows_sql(query)};
    s.bind(1, query.after);
    if (query.before) {
      s.bind(2, *query.before);
    }
    if (!query.actor.empty()) {
      s.bind(3, query.actor);
    }
    if (!query.action.empty()) {
      s.bind(4, query.action);
    }
    if (!query.subject.empty()) {
      s.bind(5, query.subject);
    }
    s.bind(6, static_cast<std::int64_t>(query.limit));
    std::vector<core::AuditRow> out;
    while (s.step()) {
      out.push_back(audit_from_row(s));
    }
    return out;
  });
}

core::AuditStart rows::audit_start(Db& db) {
  core::AuditStart start;
  Stmt s{db, "SELECT first_id, prev_hash FROM audit_checkpoint WHERE id=1"};
  if (s.step()) {
    start.first_id = s.int64(0);
    start.prev_hash = s.text(1);
  }
  return start;
}

std::int64_t rows::purge_audit(Db& db, core::TimeMs cutoff, core::TimeMs now) {
  std::int64_t first_kept = 0;
  {
    Stmt s{db, "SELECT min(id) FROM audit WHERE at_ms >= ?1"};
    s.bind(1, cutoff);
    if (s.step() && !s.is_null(0)) {
      first_kept = s.int64(0);
    }
  }
  const auto start = audit_start(db);
  if (first_kept == 0) {
    // Every row is old: keep from the purge row itself (written next).
    Stmt last{db, "SELECT coalesce(max(id), 0) FROM audit"};
    last.step();
    first_kept = last.int64(0) + 1;
  }
  if (first_kept <= start.first_id) {
    return 0;
  }
  std::string prev_hash;
  {
    Stmt s{db, "SELECT hash FROM audit WHERE id=?1"};
    s.bind(1, first_kept - 1);
    if (!s.step()) {
      return 0;  // a gap: leave it for verify to report
    }
    prev_hash = s.text(0);
  }
  append_audit(db, "awared", core::kAuditPurgeAction, core::audit_purge_subject(first_kept),
               "retention: rows " + std::to_string(start.first_id) + ".." +
                   std::to_string(first_kept - 1) + " purged; checkpoint prev_hash " + prev_hash,
               now);
  Stmt cp{db,
          "INSERT INTO audit_checkpoint(id, first_id, prev_hash, at_ms) VALUES (1, ?1, ?2, ?3) "
          "ON CONFLICT(id) DO UPDATE SET first_id=excluded.first_id, "
          "prev_hash=excluded.prev_hash, at_ms=excluded.at_ms"};
  cp.bind(1, first_kept).bind(2, prev_hash).bind(3, now).run();
  Stmt del{db, "DELETE FROM audit WHERE id < ?1"};
  del.bind(1, first_kept).run();
  return db.changes();
}

Result<core::AuditVerdict> Repository::verify_audit(
    const std::optional<core::AuditAnchor>& anchor) {
  return rows::guarded([&] {
    Transaction tx{*db_, true};
    const auto start = rows::audit_start(*db_);
    Stmt s{*db_, std::string(kAuditSelect) + "ORDER BY id"};
    std::vector<core::AuditRow> chain;
    while (s.step()) {
      chain.push_back(audit_from_row(s));
    }
    tx.commit();
    return core::verify_audit(chain, start, anchor);
  });
}

}  // namespace aware::store
