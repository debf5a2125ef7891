// sqlite.cpp — RAII wrappers over the SQLite C API; every failure becomes a SqliteError.
#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <utility>

#include "store/fault_vfs.hpp"

namespace aware::store {
namespace {

[[noreturn]] void fail(Db& db, int rc, std::string_view what) {
  db.note_failure(rc);
  std::string msg{what};
  msg += ": ";
  msg += sqlite3_errmsg(db.handle());
  throw SqliteError{rc, msg};
}

void check(Db& db, int rc, std::string_view what) {
  if (rc != SQLITE_OK) {
    fail(db, rc, what);
  }
}

}  // namespace

Db::Db(const std::filesystem::path& path) {
  install_fault_vfs_if_asked();
  const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = "cannot open " + path.string() + ": " + sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError{rc, msg};
  }
  sqlite3_extended_result_codes(db_, 1);
}

Db::~Db() {
  for (auto& [sql, stmt] : cached_) {
    sqlite3_finalize(stmt);  // null for one still in use: a harmless no-op
  }
  sqlite3_close_v2(db_);
}

void Db::note_failure(int rc) {
  if ((rc & 0xff) == SQLITE_IOERR && !io_failed_) {
    // fsyncgate: after a failed write or fsync the kernel may have dropped the dirty pages, so
    // this connection writes nothing more — not even the checkpoint sqlite3_close would run.
    io_failed_ = true;
    sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  }
}

void Db::exec(std::string_view sql) {
  check(*this, sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, nullptr), "exec");
}

void Db::run(std::string_view one_statement) { Stmt{*this, one_statement}.run(); }

std::int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Db::changes() const { return sqlite3_changes(db_); }

Stmt::Stmt(Db& db, std::string_view sql) : db_{db} {
  auto it = db.cached_.find(sql);
  if (it != db.cached_.end() && it->second != nullptr) {
    stmt_ = std::exchange(it->second, nullptr);
    slot_ = &it->second;
    return;
  }
  check(db,
        sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr),
        "prepare");
  if (stmt_ == nullptr) {
    return;  // SQL with no statement in it (blank or a comment): nothing to run or to keep
  }
  if (it == db.cached_.end() && db.cached_.size() < Db::kMaxCached) {
    try {
      it = db.cached_.emplace(std::string{sql}, nullptr).first;
    } catch (...) {
      sqlite3_finalize(stmt_);
      throw;
    }
  }
  if (it != db.cached_.end()) {
    slot_ = &it->second;  // references into an unordered_map survive rehashing
  }
}

Stmt::~Stmt() {
  if (slot_ != nullptr && *slot_ == nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *slot_ = stmt_;
  } else {
    sqlite3_finalize(stmt_);  // not cached, or a second one of the same text ran meanwhile
  }
}

Stmt& Stmt::bind(int index, std::int64_t value) {
  check(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}
Stmt& Stmt::bind(int index, double value) {
  check(db_, sqlite3_bind_double(stmt_, index, value), "bind");
  return *this;
}
Stmt& Stmt::bind(int index, std::string_view value) {
  // An empty string_view may have a null data(), which SQLite would bind as NULL, not ''.
  const char* text = value.data() != nullptr ? value.data() : "";
  check(db_,
        sqlite3_bind_text(stmt_, index, text, static_cast<int>(value.size()), SQLITE_TRANSIENT),
        "bind");
  return *this;
}
Stmt& Stmt::bind_null(int index) {
  check(db_, sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}

int Stmt::parameter_count() const { return sqlite3_bind_parameter_count(stmt_); }

bool Stmt::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  sqlite3_reset(stmt_);
  fail(db_, rc, "step");
}

void Stmt::run() {
  while (step()) {
  }
  sqlite3_reset(stmt_);
}

std::int64_t Stmt::int64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Stmt::real(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Stmt::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p != nullptr ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
                      : std::string{};
}
bool Stmt::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Transaction::Transaction(Db& db, bool read_only) : db_{db} {
  if (!read_only && db_.io_failed()) {
    throw SqliteError{SQLITE_IOERR, "the store had an I/O error; no write until awared restarts"};
  }
  db_.run(read_only ? "BEGIN" : "BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.run("COMMIT");
  done_ = true;
}

}  // namespace aware::store
