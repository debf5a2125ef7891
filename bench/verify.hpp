// verify.hpp — the check match_bench runs before it times anything: every implementation must
// return the same answers for the same queries. A difference is a bug in one of them, so the
// benchmark prints the first one found and exits non-zero (ctest's smoke test relies on it).
#pragma once

#include <cstddef>
#include <vector>

#include "core/config.hpp"
#include "dataset.hpp"
#include "match/matcher.hpp"
#include "sqlite_aol_index.hpp"

namespace aware::bench {

struct VerifyOutcome {
  bool identical = true;
  std::size_t aol_checked = 0;     // AOL queries compared index vs SQLite
  std::size_t full_checked = 0;    // full matches run on the index
  std::size_t linear_checked = 0;  // queries also compared against the linear scan
  double mean_hits = 0;            // AOL hits per AOL query (index)
  std::size_t max_hits = 0;
  std::vector<std::size_t> hits;  // AOL hits of each query with a fix, in query order
};

// Compares, for the queries of `dataset`:
// - AOL query: MatchIndex::find_aols == SqliteAolIndex::find_aols on all of them, and
//   == find_aols_linear on the first `linear_n`;
// - full match: match() == match_linear() on the first `linear_n`.
// Prints the first difference to stderr and stops there. Without `sqlite` (nullptr), only the
// comparisons with the linear scan are made.
VerifyOutcome verify_all(const match::MatchIndex& index, SqliteAolIndex* sqlite,
                         const Dataset& dataset, const core::MatchConfig& config,
                         std::size_t linear_n);

}  // namespace aware::bench
