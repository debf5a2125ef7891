// sqlite_aol_index.hpp — the SQLite R*Tree baseline of match_bench: an in-memory database with
// one R*Tree row per active AOL (its bounding box widened by its own radius), queried with the
// fix's bounding box widened by max(near_m, accuracy). The candidates are then filtered, ordered
// and limited with exactly the rules of match/matcher.hpp, so its answers must equal the index's.
//
// Benchmark code only: errors throw std::runtime_error. THREAD SAFETY: none (one prepared
// statement is reused by every query).
#pragma once

#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/registry.hpp"
#include "core/types.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace aware::bench {

class SqliteAolIndex {
 public:
  // Builds the R*Tree over `aols` (kept by reference: it must outlive this object).
  explicit SqliteAolIndex(const std::vector<core::AolRecord>& aols);
  ~SqliteAolIndex();
  SqliteAolIndex(const SqliteAolIndex&) = delete;
  SqliteAolIndex& operator=(const SqliteAolIndex&) = delete;

  // Same contract as MatchIndex::find_aols: appends the ordered, limited hits to `out`.
  void find_aols(core::GeoPoint p, double accuracy_m, std::string_view client_id,
                 const core::MatchConfig& config, std::vector<core::AolHit>& out);

  // Bytes SQLite's allocator holds right now (all of it is this database's).
  [[nodiscard]] static long long memory_used();

 private:
  struct Candidate {
    std::size_t index;  // into aols_
    double distance_m;  // fix to zone, 0 inside the zone itself
    bool own;           // the querying client's AOL
  };

  const std::vector<core::AolRecord>& aols_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* query_ = nullptr;
  std::vector<Candidate> inside_;  // scratch, reused between queries
  std::vector<Candidate> near_;
};

}  // namespace aware::bench
