// sqlite.hpp — a thin RAII layer over the SQLite C API, used only inside store/.
//
// Error policy: every failing SQLite call throws SqliteError carrying the result code and
// message. An I/O error also marks the connection failed (Db::io_failed). Repository catches these at its public boundary and turns them into StoreError
// values, so nothing outside store/ sees an exception from here.
// THREAD SAFETY: a Db and its statements belong to one thread (the store thread).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace aware::store {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& what) : std::runtime_error{what}, code_{code} {}
  [[nodiscard]] int code() const { return code_; }

 private:
  int code_;  // SQLite extended result code
};

class Db {
 public:
  explicit Db(const std::filesystem::path& path);  // opens or creates; throws SqliteError
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);                 // runs one or more statements
  void run(std::string_view one_statement);        // runs one statement, prepared once (Stmt)
  [[nodiscard]] sqlite3* handle() const { return db_; }
  [[nodiscard]] std::int64_t last_insert_rowid() const;
  [[nodiscard]] int changes() const;
  // True once a call on this connection failed with an I/O error (SQLITE_IOERR_*, e.g. a
  // failed fsync): from then on every write Transaction throws SQLITE_IOERR without touching
  // the files, and closing it runs no checkpoint. Never retried: only a new process may write.
  [[nodiscard]] bool io_failed() const { return io_failed_; }
  // Called with the result code of every failed call before it is thrown (sets io_failed).
  void note_failure(int rc);

 private:
  friend class Stmt;
  // Prepared statements kept for reuse, by SQL text: a Stmt takes its statement from here
  // (leaving a null slot while it runs) and puts it back, reset, when it ends. Preparing costs
  // several microseconds a statement; an activation runs about a dozen. At most kMaxCached
  // texts are kept, so SQL built at run time cannot grow it without bound.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  static constexpr std::size_t kMaxCached = 256;
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> cached_;

  sqlite3* db_ = nullptr;
  bool io_failed_ = false;  // an SQLITE_IOERR_* was seen on this connection
};

// One prepared statement, reused through the Db's cache: constructing one with the same SQL
// text as an earlier one that has ended costs a lookup, not a prepare. Ending it resets it (a
// read statement holds no snapshot afterwards) and clears its bindings. A Stmt must end before
// its Db does. bind() indices are 1-based as in SQLite.
class Stmt {
 public:
  Stmt(Db& db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int index, std::int64_t value);
  Stmt& bind(int index, double value);
  Stmt& bind(int index, std::string_view value);
  Stmt& bind_null(int index);
  template <typename T>
  Stmt& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  [[nodiscard]] int parameter_count() const;       // highest ?N in the statement
  bool step();                                     // true while a row is available
  void run();                                      // step to completion, resets for reuse

  [[nodiscard]] std::int64_t int64(int col) const;
  [[nodiscard]] double real(int col) const;
  [[nodiscard]] std::string text(int col) const;
  [[nodiscard]] bool is_null(int col) const;

 private:
  Db& db_;
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3_stmt** slot_ = nullptr;  // the cache slot it goes back to; null: finalized instead
};

// BEGIN IMMEDIATE ... COMMIT (a write transaction), or with `read_only` a plain BEGIN (a read
// transaction: one consistent snapshot across several SELECTs, no write lock). Rolls back in
// the destructor unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Db& db, bool read_only = false);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace aware::store
