// config.cpp — turns TOML text into a validated Config (see config.hpp for the contract).
//
// Each known key is described once, in sections_of(), as a name plus an "applier" that checks a
// toml++ node and stores it into the Config; every problem becomes one ConfigError carrying the
// node's source position and the dotted key. Called by app/ at start-up and on SIGHUP, and by
// `awared --check-config`. Debian builds toml++ with exceptions, so parse errors arrive as
// toml::parse_error and are caught here; nothing leaves these functions as an exception.
#include "core/config.hpp"
#include "core/config_appliers.hpp"

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

using namespace config_detail;  // the appliers: Applier, integer_in, boolean, …

struct Field {
  std::string_view name;
  Applier apply;
};

struct Section {
  std::string_view name;
  std::vector<Field> fields;
};

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
           {"login_free_failures", integer_in(c.security.login_free_failures, 1, 1000)},
           {"login_lock_s", seconds_in(c.security.login_lock, 1, 86400)},
           {"login_lock_max_s", seconds_in(c.security.login_lock_max, 1, 86400)},
       }},
      {"tls",
       {
           {"insecure_dev", boolean(c.tls.insecure_dev)},
           {"cert", non_empty_string(c.tls.cert)},
           {"key", non_empty_string(c.tls.key)},
           {"device_ca", non_empty_string(c.tls.device_ca)},
           {"device_crl", string_value(c.tls.device_crl, true)},
           {"handshake_timeout_s", seconds_in(c.tls.handshake_timeout, 1, 60)},
           {"handshakes_per_s", integer_in(c.tls.handshakes_per_s, 1, 100000)},
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
           {"webhook_ca_file", string_value(c.notify.webhook_ca_file, true)},
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
      {"metrics",
       {
           {"enabled", boolean(c.metrics.enabled)},
           {"token_file", string_value(c.metrics.token_file, true)},
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
