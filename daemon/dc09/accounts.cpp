// accounts.cpp — see accounts.hpp.
#include "dc09/accounts.hpp"

#include <cctype>

namespace aware::dc09 {
std::string normalize_account(std::string_view account) {
  std::string out(account);
  for (auto& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

const AccountConfig* AccountTable::find(std::string_view account) const {
  auto it = accounts_.find(normalize_account(account));
  return it == accounts_.end() ? nullptr : &it->second;
}

tl::expected<AccountTable, std::string> AccountTable::build(
    const std::vector<core::Dc09Account>& configured) {
  AccountTable table;
  for (std::size_t i = 0; i < configured.size(); ++i) {
    const auto& c = configured[i];
    AccountConfig a;
    if (!c.key.empty()) {
      auto key = make_key(c.key, c.key_format == "ascii" ? KeyFormat::ascii : KeyFormat::hex);
      if (!key) {
        return tl::unexpected(
            "dc09.accounts: account " + std::to_string(i + 1) + " (" + c.account +
            "): key: " +
            (c.key_format == "ascii" ? "must be 16, 24 or 32 characters (key_format = \"ascii\")"
                                     : "must be 32, 48 or 64 hex digits (key_format = \"hex\")"));
      }
      a.key = std::move(*key);
    }
    a.window_past_s = static_cast<int>(c.window_past_s);
    a.window_future_s = static_cast<int>(c.window_future_s);
    a.quirks = Quirks{c.crc_includes_cr, c.decimal_length, c.lenient_length};
    if (!table.accounts_.emplace(normalize_account(c.account), std::move(a)).second) {
      return tl::unexpected("dc09.accounts: account " + std::to_string(i + 1) + " (" +
                            c.account + "): listed twice");
    }
  }
  return table;
}

}  // namespace aware::dc09
