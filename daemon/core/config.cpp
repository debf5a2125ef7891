// config.cpp — turns TOML text into a validated Config (see config.hpp for the contract).
//
// Each known key is described once, in sections_of(), as a name plus an "applier" that checks a
// toml++ node and stores it into the Config; every problem becomes one ConfigError carrying the
// node's source position and the dotted key. Called by app/ at start-up and on SIGHUP, and by
// `awared --check-config`. Debian builds toml++ with exceptions, so parse errors arrive as
// toml::parse_error and are caught here; nothing leaves these functions as an exception.
#include "core/config.hpp"
#include "core/web_policy.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <vector>

#include <toml++/toml.h>

namespace aware::core {
namespace {

// Checks one value node and stores it; returns what is wrong (in plain words) or nullopt.
using Applier = std::function<std::optional<std::string>(const toml::node&)>;

struct Field {
  std::string_view name;
  Applier apply;
};

struct Section {
  std::string_view name;
  std::vector<Field> fields;
};

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

template <class T>
Applier integer_in(T& out, std::int64_t lo, std::int64_t hi) {
  return [&out, lo, hi](const toml::node& node) -> std::optional<std::string> {
    auto n = integer_value(node, lo, hi, "");
    if (!n) {
      return n.error();
    }
    out = static_cast<T>(*n);
    return std::nullopt;
  };
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

template <std::size_t N>
Applier one_of(std::string& out, const std::array<std::string_view, N>& allowed) {
  return [&out, &allowed](const toml::node& node) -> std::optional<std::string> {
    std::string want = "must be one of";
    for (std::size_t i = 0; i < N; ++i) {
      want += (i == 0 ? " " : ", ");
      want += allowed[i];
    }
    const auto* s = node.as_string();
    if (s == nullptr) {
      return want + " (got " + type_name(node) + ")";
    }
    for (auto a : allowed) {
      if (a == s->get()) {
        out = s->get();
        return std::nullopt;
      }
    }
    return want + " (got \"" + s->get() + "\")";
  };
}

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
      return "must be a string, \"\" or \"http://HOST:PORT/PATH\" (got " + type_name(node) + ")";
    }
    if (!s->get().empty()) {
      if (auto url = parse_http_url(s->get()); !url) {
        return url.error();
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

constexpr std::array<std::string_view, 7> kLogLevels = {"trace", "debug", "info",    "warn",
                                                        "error", "critical", "off"};
constexpr std::int64_t kMiB = 1024 * 1024;

// The whole schema: every table and key awared knows, bound to the members of `c`.
std::vector<Section> sections_of(Config& c) {
  return {
      {"device",
       {
           {"listen", endpoint(c.device.listen)},
           {"max_frame_bytes", integer_in(c.device.max_frame_bytes, 1024, 16 * kMiB)},
           {"hello_timeout_s", seconds_in(c.device.hello_timeout, 1, 86400)},
           {"idle_timeout_s", seconds_in(c.device.idle_timeout, 1, 86400)},
           {"frame_timeout_s", seconds_in(c.device.frame_timeout, 1, 86400)},
           {"max_connections", integer_in(c.device.max_connections, 1, 1000000)},
           {"clock_window_s", seconds_in(c.device.clock_window, 1, 86400)},
       }},
      {"meldkamer",
       {
           {"listen", endpoint(c.meldkamer.listen)},
           {"max_message_bytes", integer_in(c.meldkamer.max_message_bytes, 1024, 16 * kMiB)},
           {"max_import_bytes", integer_in(c.meldkamer.max_import_bytes, 1024, 1024 * kMiB)},
           {"request_timeout_s", seconds_in(c.meldkamer.request_timeout, 1, 86400)},
           {"max_queued_messages", integer_in(c.meldkamer.max_queued_messages, 16, 1000000)},
           {"web_root", string_value(c.meldkamer.web_root, true)},
           {"max_asset_bytes", integer_in(c.meldkamer.max_asset_bytes, 1024, 64 * kMiB)},
           {"tile_url", tile_url(c.meldkamer.tile_url)},
       }},
      {"store",
       {
           {"path", non_empty_string(c.store.path)},
       }},
      {"match",
       {
           {"near_m", number_in(c.match.near_m, 0, 100000)},
           {"near_max", integer_in(c.match.near_max, 0, 1000)},
           {"default_region", non_empty_string(c.match.default_region)},
           {"max_fix_age_s", seconds_in(c.match.max_fix_age, 1, 86400)},
       }},
      {"dispatch",
       {
           {"merge_window_s", seconds_in(c.dispatch.merge_window, 0, 86400)},
           {"tracking_interval_s", seconds_in(c.dispatch.tracking_interval, 1, 3600)},
           {"deliver_timeout_s", seconds_in(c.dispatch.deliver_timeout, 1, 3600)},
           {"accept_timeout_s", seconds_in(c.dispatch.accept_timeout, 1, 86400)},
           {"fallback_region", non_empty_string(c.dispatch.fallback_region)},
           {"close_outcomes", outcome_list(c.dispatch.close_outcomes)},
           {"test_channel", boolean(c.dispatch.test_channel)},
       }},
      {"supervision",
       {
           {"heartbeat_interval_s", seconds_in(c.supervision.heartbeat_interval, 1, 86400)},
           {"grace_percent", integer_in(c.supervision.grace_percent, 0, 100)},
           {"grace_s", seconds_in(c.supervision.grace, 0, 3600)},
           {"battery_low_pct", integer_in(c.supervision.battery_low_pct, 0, 100)},
           {"battery_critical_pct", integer_in(c.supervision.battery_critical_pct, 0, 100)},
           {"battery_hysteresis_pct", integer_in(c.supervision.battery_hysteresis_pct, 0, 50)},
           {"contract_reminder_days", integer_in(c.supervision.contract_reminder_days, 0, 365)},
           {"test_needs_window", boolean(c.supervision.test_needs_window)},
       }},
      {"security",
       {
           {"session_ttl_s", seconds_in(c.security.session_ttl, 60, 7 * 86400)},
       }},
      {"tls",
       {
           {"insecure_dev", boolean(c.tls.insecure_dev)},
           {"cert", non_empty_string(c.tls.cert)},
           {"key", non_empty_string(c.tls.key)},
           {"device_ca", non_empty_string(c.tls.device_ca)},
           {"device_crl", string_value(c.tls.device_crl, true)},
           {"handshake_timeout_s", seconds_in(c.tls.handshake_timeout, 1, 60)},
       }},
      {"retention",
       {
           {"tracks_days", integer_in(c.retention.tracks_days, 0, 36500)},
           {"incidents_days", integer_in(c.retention.incidents_days, 0, 36500)},
           {"notices_days", integer_in(c.retention.notices_days, 0, 36500)},
           {"alerts_days", integer_in(c.retention.alerts_days, 0, 36500)},
           {"sessions_days", integer_in(c.retention.sessions_days, 0, 36500)},
           {"registrations_days", integer_in(c.retention.registrations_days, 0, 36500)},
           {"audit_days", integer_in(c.retention.audit_days, 0, 36500)},
       }},
      {"notify",
       {
           {"webhook_url", webhook_url(c.notify.webhook_url)},
           {"webhook_timeout_s", seconds_in(c.notify.webhook_timeout, 1, 600)},
           {"replay_max", integer_in(c.notify.replay_max, 0, 10000)},
       }},
      {"dc09",
       {
           {"enabled", boolean(c.dc09.enabled)},
           {"tcp_listen", optional_endpoint(c.dc09.tcp_listen)},
           {"udp_listen", optional_endpoint(c.dc09.udp_listen)},
           {"idle_timeout_s", seconds_in(c.dc09.idle_timeout, 1, 86400)},
           {"frame_timeout_s", seconds_in(c.dc09.frame_timeout, 1, 86400)},
           {"max_connections", integer_in(c.dc09.max_connections, 1, 1000000)},
           {"accounts", dc09_accounts(c.dc09.accounts)},
       }},
      {"log",
       {
           {"level", one_of(c.log.level, kLogLevels)},
       }},
  };
}

template <class Named>
std::string names_of(const std::vector<Named>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ");
    out += item.name;
  }
  return out;
}

ConfigError error_at(std::string_view file, const toml::source_region& where, std::string key,
                     std::string message) {
  return ConfigError{std::string(file), where.begin.line, where.begin.column, std::move(key),
                     std::move(message)};
}

// Applies one table's keys to the Config. Unknown keys and bad values are errors.
std::optional<ConfigError> apply_section(const Section& section, const toml::table& table,
                                         std::string_view file) {
  for (const auto& [key, node] : table) {
    const std::string dotted = std::string(section.name) + "." + std::string(key.str());
    const Field* field = nullptr;
    for (const auto& f : section.fields) {
      if (f.name == key.str()) {
        field = &f;
      }
    }
    if (field == nullptr) {
      return error_at(file, key.source(), dotted,
                      std::string(node.is_table() ? "unknown table" : "unknown key") + "; [" +
                          std::string(section.name) + "] knows: " + names_of(section.fields));
    }
    if (auto err = field->apply(node)) {
      return error_at(file, node.source(), dotted, std::move(*err));
    }
  }
  return std::nullopt;
}

}  // namespace

std::string ConfigError::to_string() const {
  std::string out = file;
  if (line != 0) {
    out += (out.empty() ? "" : ":") + std::to_string(line);
    if (column != 0) {
      out += ":" + std::to_string(column);
    }
  }
  if (!key.empty()) {
    out += (out.empty() ? "" : ": ") + key;
  }
  out += (out.empty() ? "" : ": ") + message;
  return out;
}

tl::expected<Config, ConfigError> parse_config(std::string_view text, std::string_view file_name) {
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    return tl::unexpected(error_at(file_name, e.source(), "", std::string(e.description())));
  }

  Config config;
  const auto sections = sections_of(config);
  for (const auto& [key, node] : root) {
    const Section* section = nullptr;
    for (const auto& s : sections) {
      if (s.name == key.str()) {
        section = &s;
      }
    }
    if (section == nullptr) {
      return tl::unexpected(error_at(file_name, key.source(), std::string(key.str()),
                                     (node.is_table() ? "unknown table; known tables: "
                                                      : "unknown key; known tables: ") +
                                         names_of(sections)));
    }
    const auto* table = node.as_table();
    if (table == nullptr) {
      return tl::unexpected(error_at(file_name, node.source(), std::string(key.str()),
                                     "must be a table (got " + type_name(node) + ")"));
    }
    if (auto err = apply_section(*section, *table, file_name)) {
      return tl::unexpected(std::move(*err));
    }
  }
  if (config.tls.insecure_dev &&
      (!is_loopback(config.device.listen.host) || !is_loopback(config.meldkamer.listen.host))) {
    const auto* node = root.at_path("tls.insecure_dev").node();  // set: it is true
    return tl::unexpected(error_at(file_name, node->source(), "tls.insecure_dev",
                                   "plain TCP/HTTP is allowed only with both [device] listen and "
                                   "[meldkamer] listen on a loopback address (127.0.0.1, ::1)"));
  }
  return config;
}

tl::expected<Config, ConfigError> load_config_file(const std::filesystem::path& path) {
  constexpr std::size_t kMaxFileBytes = 1024 * 1024;
  const std::string name = path.string();
  auto fail = [&name](std::string message) {
    return tl::unexpected(ConfigError{name, 0, 0, "", std::move(message)});
  };
  std::FILE* f = std::fopen(name.c_str(), "rb");
  if (f == nullptr) {
    return fail("cannot open: " + std::string(std::strerror(errno)));
  }
  std::string text;
  std::array<char, 8192> buf{};
  std::size_t n = 0;
  while (text.size() <= kMaxFileBytes && (n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    text.append(buf.data(), n);
  }
  const int read_errno = std::ferror(f) != 0 ? errno : 0;
  std::fclose(f);
  if (read_errno != 0) {
    return fail("cannot read: " + std::string(std::strerror(read_errno)));
  }
  if (text.size() > kMaxFileBytes) {
    return fail("file is larger than 1 MiB");
  }
  return parse_config(text, name);
}

}  // namespace aware::core
