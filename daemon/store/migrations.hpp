// migrations.hpp — the numbered schema migrations (daemon/store/migrations/NNN_*.sql), embedded
// into the binary at build time. Migration N is applied when PRAGMA user_version < N.
#pragma once

#include <string_view>
#include <vector>

namespace aware::store {

struct Migration {
  int version;            // becomes PRAGMA user_version once applied
  std::string_view name;  // file name, for logs
  std::string_view sql;   // the statements
};

// All migrations in ascending version order.
const std::vector<Migration>& migrations();

}  // namespace aware::store
