// accounts.hpp — the receiver's account table built from the [dc09] config: each configured
// account's key made (and so checked) with make_key(), its window and quirks. Built once when
// the config is loaded (awared start-up and --check-config); a bad key is a config error naming
// the account.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/config.hpp"
#include "dc09/account.hpp"

namespace aware::dc09 {

// An account as awared keeps it: the hex digits upper-case (transmitters differ in case).
std::string normalize_account(std::string_view account);

class AccountTable {
 public:
  // The settings of `account` (as the transmitter sends it), or nullptr when not configured.
  // Hex letters compare case-insensitively.
  [[nodiscard]] const AccountConfig* find(std::string_view account) const;
  [[nodiscard]] std::size_t size() const { return accounts_.size(); }

  // Builds the table. Error: "dc09.accounts: account N (ACCOUNT): key: ..." for a key that
  // make_key() refuses (wrong length for its format, or not hex in hex mode).
  static tl::expected<AccountTable, std::string> build(
      const std::vector<core::Dc09Account>& configured);

 private:
  std::map<std::string, AccountConfig, std::less<>> accounts_;  // by upper-case account
};

}  // namespace aware::dc09
