// config_appliers.cpp — see config_appliers.hpp: the checks of single config values (type,
// range, format), each turned into one plain-words error by config.cpp. Split from config.cpp.
#include "core/config_appliers.hpp"

#include <algorithm>
#include <cstring>

#include "core/web_policy.hpp"

namespace aware::core::config_detail {

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

// Checks that `node` is a TOML integer (not a float, not a boolean) within [lo, hi].
tl::expected<std::int64_t, std::string> integer_value(const toml::node& node, std::int64_t lo,
                                                      std::int64_t hi, std::string_view unit) {
  const std::string want = "must be an integer" + std::string(unit) + " between " +
                           std::to_string(lo) + " and " + std::to_string(hi);
  const auto* v = node.as_integer();
  if (v == nullptr) {
    return tl::unexpected(want + " (got " + type_name(node) + ")");
  }
  if (v->get() < lo || v->get() > hi) {
    return tl::unexpected(want + " (got " + std::to_string(v->get()) + ")");
  }
  return v->get();
}

Applier seconds_in(std::chrono::seconds& out, std::int64_t lo, std::int64_t hi) {
  return [&out, lo, hi](const toml::node& node) -> std::optional<std::string> {
    auto n = integer_value(node, lo, hi, " number of seconds");
    if (!n) {
      return n.error();
    }
    out = std::chrono::seconds{*n};
    return std::nullopt;
  };
}

// Float keys that also accept an integer (500 and 500.0 mean the same), within [lo, hi].
Applier number_in(double& out, double lo, double hi) {
  return [&out, lo, hi](const toml::node& node) -> std::optional<std::string> {
    std::string want = "must be a number between " + std::to_string(static_cast<long long>(lo)) +
                       " and " + std::to_string(static_cast<long long>(hi));
    double d = 0;
    if (const auto* f = node.as_floating_point()) {
      d = f->get();
    } else if (const auto* i = node.as_integer()) {
      d = static_cast<double>(i->get());
    } else {
      return want + " (got " + type_name(node) + ")";
    }
    if (!(d >= lo && d <= hi)) {
      return want + " (got " + std::to_string(d) + ")";
    }
    out = d;
    return std::nullopt;
  };
}

Applier boolean(bool& out) {
  return [&out](const toml::node& node) -> std::optional<std::string> {
    const auto* b = node.as_boolean();
    if (b == nullptr) {
      return "must be true or false (got " + type_name(node) + ")";
    }
    out = b->get();
    return std::nullopt;
  };
}

// A string; `allow_empty` says whether "" is a value (e.g. "no CRL").
Applier string_value(std::string& out, bool allow_empty) {
  return [&out, allow_empty](const toml::node& node) -> std::optional<std::string> {
    const std::string want = allow_empty ? "must be a string" : "must be a non-empty string";
    const auto* s = node.as_string();
    if (s == nullptr) {
      return want + " (got " + type_name(node) + ")";
    }
    if (s->get().empty() && !allow_empty) {
      return want;
    }
    out = s->get();
    return std::nullopt;
  };
}

Applier non_empty_string(std::string& out) { return string_value(out, false); }

Applier endpoint(Endpoint& out) {
  return [&out](const toml::node& node) -> std::optional<std::string> {
    const auto* s = node.as_string();
    if (s == nullptr) {
      return "must be a string \"HOST:PORT\" (got " + type_name(node) + ")";
    }
    return parse_endpoint(s->get(), out);
  };
}

// A list of 1..64 distinct non-empty strings of at most 128 bytes (the close outcomes).
Applier outcome_list(std::vector<std::string>& out) {
  return [&out](const toml::node& node) -> std::optional<std::string> {
    const std::string want = "must be a list of 1 to 64 distinct non-empty strings of at most "
                             "128 bytes";
    const auto* arr = node.as_array();
    if (arr == nullptr || arr->empty() || arr->size() > 64) {
      return want;
    }
    std::vector<std::string> items;
    for (const auto& item : *arr) {
      const auto* s = item.as_string();
      if (s == nullptr || s->get().empty() || s->get().size() > 128) {
        return want;
      }
      if (std::find(items.begin(), items.end(), s->get()) != items.end()) {
        return want + " (\"" + s->get() + "\" twice)";
      }
      items.push_back(s->get());
    }
    out = std::move(items);
    return std::nullopt;
  };
}

Applier webhook_url(std::string& out) {
  return [&out](const toml::node& node) -> std::optional<std::string> {
    const auto* s = node.as_string();
    if (s == nullptr) {
      return "must be a string, \"\" or \"https://HOST:PORT/PATH\" (got " + type_name(node) + ")";
    }
    if (!s->get().empty()) {
      auto url = parse_http_url(s->get());
      if (!url) {
        return url.error();
      }
      // A notice is personal data: in clear text only to a relay on this host.
      if (!url->tls && !is_loopback(url->endpoint.host)) {
        return "plain http:// only to a loopback address (127.0.0.0/8, [::1]): a notice is "
               "personal data; use https://";
      }
    }
    out = s->get();
    return std::nullopt;
  };
}

// The web console map's tile URL template (core/web_policy.hpp): "" or http(s) with {z}/{x}/{y}.
Applier tile_url(std::string& out) {
  return [&out](const toml::node& node) -> std::optional<std::string> {
    const auto* s = node.as_string();
    if (s == nullptr) {
      return "must be a string, \"\" or \"https://HOST/{z}/{x}/{y}.png\" (got " +
             type_name(node) + ")";
    }
    if (auto error = tile_url_error(s->get())) {
      return *error;
    }
    out = s->get();
    return std::nullopt;
  };
}

// A listen address that may be switched off: "" = none, else "HOST:PORT" as endpoint() reads it.
Applier optional_endpoint(std::optional<Endpoint>& out) {
  return [&out](const toml::node& node) -> std::optional<std::string> {
    const auto* s = node.as_string();
    if (s == nullptr) {
      return "must be a string, \"\" or \"HOST:PORT\" (got " + type_name(node) + ")";
    }
    if (s->get().empty()) {
      out.reset();
      return std::nullopt;
    }
    Endpoint ep;
    if (auto error = parse_endpoint(s->get(), ep)) {
      return error;
    }
    out = ep;
    return std::nullopt;
  };
}

namespace {

// The DC-09 accounts: a list of tables, each with `account` (1..16 hex digits, distinct) and
// optional key, key_format, window_past_s, window_future_s and the three quirk flags. The key's
// length and digits are checked by the daemon with dc09::make_key() (the core has no AES).
std::optional<std::string> apply_dc09_account(const toml::table& t, Dc09Account& a) {
  static constexpr std::array<std::string_view, 2> kFormats = {"hex", "ascii"};
  const std::vector<std::pair<std::string_view, Applier>> fields = {
      {"account", non_empty_string(a.account)},
      {"key", string_value(a.key, true)},
      {"key_format", one_of(a.key_format, kFormats)},
      {"window_past_s", integer_in(a.window_past_s, 0, 86400)},
      {"window_future_s", integer_in(a.window_future_s, 0, 86400)},
      {"crc_includes_cr", boolean(a.crc_includes_cr)},
      {"decimal_length", boolean(a.decimal_length)},
      {"lenient_length", boolean(a.lenient_length)},
  };
  for (const auto& [key, node] : t) {
    const Applier* apply = nullptr;
    for (const auto& [name, f] : fields) {
      if (name == key.str()) {
        apply = &f;
      }
    }
    if (apply == nullptr) {
      return "unknown key \"" + std::string(key.str()) +
             "\"; an account knows: account, key, key_format, window_past_s, window_future_s, "
             "crc_includes_cr, decimal_length, lenient_length";
    }
    if (auto e = (*apply)(node)) {
      return std::string(key.str()) + ": " + *e;
    }
  }
  if (a.account.empty()) {
    return "account: missing (the account number as the transmitter sends it)";
  }
  if (a.account.size() > 16 || a.account.find_first_not_of("0123456789ABCDEFabcdef") !=
                                   std::string::npos) {
    return "account: must be 1 to 16 hex digits (got \"" + a.account + "\")";
  }
  return std::nullopt;
}

}  // namespace

Applier dc09_accounts(std::vector<Dc09Account>& out) {
  return [&out](const toml::node& node) -> std::optional<std::string> {
    const auto* arr = node.as_array();
    if (arr == nullptr || arr->size() > 100000) {
      return "must be a list of account tables (got " + type_name(node) + ")";
    }
    std::vector<Dc09Account> accounts;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto* t = (*arr)[i].as_table();
      const std::string where = "account " + std::to_string(i + 1) + ": ";
      if (t == nullptr) {
        return where + "must be a table";
      }
      Dc09Account a;
      if (auto e = apply_dc09_account(*t, a)) {
        return where + *e;
      }
      for (const auto& seen : accounts) {
        if (seen.account == a.account) {
          return where + "account \"" + a.account + "\" is listed twice";
        }
      }
      accounts.push_back(std::move(a));
    }
    out = std::move(accounts);
    return std::nullopt;
  };
}

}  // namespace aware::core::config_detail
