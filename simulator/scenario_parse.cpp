// scenario_parse.cpp — parse_scenario (see scenario.hpp): TOML text to a validated Scenario.
// toml++ reports syntax errors as toml::parse_error, which is caught here; everything else is
// checked by key_reader, which keeps the first error with the key's dotted path and rejects
// keys nobody asked for (so a typo never silently falls back to a default).
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "scenario.hpp"

namespace aware::sim {

namespace {

constexpr std::int64_t ms_per_s = 1000;
constexpr double max_seconds = 366.0 * 86400.0;   // no scenario or period is longer than a year

// Reads the keys of one TOML table into typed fields. Each reader leaves its output unchanged
// when the key is absent (so struct defaults apply) and records the first error it meets; after
// an error every further call does nothing.
class key_reader {
 public:
  key_reader(const toml::table& table, std::string path, std::optional<ScenarioError>& error)
      : table_(table), path_(std::move(path)), error_(error) {}

  bool failed() const { return error_.has_value(); }

  std::string key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  void fail(std::string_view key, const std::string& what) {
    if (!error_) {
      const auto where = key_path(key);
      error_ = ScenarioError{where, where + ": " + what};
    }
  }

  void require(std::string_view key) {
    if (!failed() && !table_.contains(key)) {
      fail(key, "is required");
    }
  }

  void integer(std::string_view key, std::int64_t& out, std::int64_t lo, std::int64_t hi) {
    const auto* node = find(key);
    if (node == nullptr) {
      return;
    }
    const auto value = node->value_exact<std::int64_t>();
    if (!value || *value < lo || *value > hi) {
      fail(key, "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
      return;
    }
    out = *value;
  }

  template <typename T>
  void small_integer(std::string_view key, T& out, std::int64_t lo, std::int64_t hi) {
    std::int64_t wide = static_cast<std::int64_t>(out);
    integer(key, wide, lo, hi);
    out = static_cast<T>(wide);
  }

  void number(std::string_view key, double& out, double lo, double hi) {
    const auto* node = find(key);
    if (node == nullptr) {
      return;
    }
    const auto value = as_number(*node);
    if (!value || !(*value >= lo && *value <= hi)) {
      fail(key, "must be a number from " + format(lo) + " to " + format(hi));
      return;
    }
    out = *value;
  }

  // A duration given in seconds (integer or float), stored in milliseconds.
  void seconds(std::string_view key, std::int64_t& out_ms, double lo_s, double hi_s) {
    double value = static_cast<double>(out_ms) / ms_per_s;
    number(key, value, lo_s, hi_s);
    out_ms = std::llround(value * ms_per_s);
  }

  // Either one number (min = max) or a two-element array [min, max] with min <= max.
  void number_range(std::string_view key, double& lo_out, double& hi_out, double lo, double hi) {
    const auto* node = find(key);
    if (node == nullptr) {
      return;
    }
    std::optional<double> first = as_number(*node);
    std::optional<double> second = first;
    if (const auto* array = node->as_array(); array != nullptr && array->size() == 2) {
      first = as_number(*array->get(0));
      second = as_number(*array->get(1));
    }
    if (!first || !second || !(*first >= lo && *second <= hi && *first <= *second)) {
      fail(key, "must be a number or a [min, max] pair within " + format(lo) + " to " + format(hi));
      return;
    }
    lo_out = *first;
    hi_out = *second;
  }

  // An array of second offsets from the scenario start, stored in milliseconds.
  void seconds_list(std::string_view key, std::vector<std::int64_t>& out, double hi_s) {
    const auto* node = find(key);
    if (node == nullptr) {
      return;
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
      fail(key, "must be an array of seconds");
      return;
    }
    out.clear();
    for (const auto& element : *array) {
      const auto value = as_number(element);
      if (!value || !(*value >= 0 && *value <= hi_s)) {
        fail(key, "must hold only seconds from 0 to " + format(hi_s));
        return;
      }
      out.push_back(std::llround(*value * ms_per_s));
    }
  }

  void text(std::string_view key, std::string& out) {
    if (const auto* node = find(key); node != nullptr) {
      const auto value = node->value_exact<std::string>();
      if (!value) {
        fail(key, "must be a string");
        return;
      }
      out = *value;
    }
  }

  void boolean(std::string_view key, bool& out) {
    if (const auto* node = find(key); node != nullptr) {
      const auto value = node->value_exact<bool>();
      if (!value) {
        fail(key, "must be true or false");
        return;
      }
      out = *value;
    }
  }

  const toml::table* table(std::string_view key) {
    const auto* node = find(key);
    if (node != nullptr && !node->is_table()) {
      fail(key, "must be a table");
      return nullptr;
    }
    return node != nullptr ? node->as_table() : nullptr;
  }

  const toml::array* array_of_tables(std::string_view key) {
    const auto* node = find(key);
    if (node != nullptr && !node->is_array_of_tables()) {
      fail(key, "must be an array of tables ([[" + std::string(key) + "]])");
      return nullptr;
    }
    return node != nullptr ? node->as_array() : nullptr;
  }

  // Rejects every key of the table that no reader asked for.
  void reject_unknown() {
    for (const auto& [key, node] : table_) {
      if (known_.count(std::string(key.str())) == 0) {
        fail(key.str(), "is not a known key");
        return;
      }
    }
  }

 private:
  const toml::node* find(std::string_view key) {
    known_.emplace(key);
    return failed() ? nullptr : table_.get(key);
  }

  static std::optional<double> as_number(const toml::node& node) {
    if (const auto i = node.value_exact<std::int64_t>()) {
      return static_cast<double>(*i);
    }
    if (const auto d = node.value_exact<double>(); d && std::isfinite(*d)) {
      return *d;
    }
    return std::nullopt;
  }

  static std::string format(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
  }

  const toml::table& table_;                  // the table being read
  std::string path_;                          // its dotted path, "" at the top
  std::set<std::string, std::less<>> known_;  // keys some reader asked for
  std::optional<ScenarioError>& error_;       // first error, shared by all readers
};

void read_occurrence(key_reader& in, Occurrence& out) {
  in.number("probability", out.probability, 0.0, 1.0);
  in.number("per_day", out.per_day, 0.0, 10000.0);
  in.seconds_list("at_s", out.at_ms, max_seconds);
}

void read_period(const toml::table& table, const std::string& path, PeriodBehaviour& out,
                 std::optional<ScenarioError>& error) {
  key_reader in(table, path, error);
  read_occurrence(in, out.when);
  in.seconds("min_s", out.min_ms, 1.0, max_seconds);
  in.seconds("max_s", out.max_ms, 1.0, max_seconds);
  if (!in.failed() && out.max_ms < out.min_ms) {
    in.fail("max_s", "must not be less than min_s");
  }
  in.reject_unknown();
}

// Reads the optional sub-table `key` of a group with `read`, under the dotted path.
template <typename F>
void sub_table(key_reader& group, std::string_view key, std::optional<ScenarioError>& error,
               F read) {
  if (const auto* table = group.table(key); table != nullptr) {
    key_reader in(*table, group.key_path(key), error);
    read(in);
    in.reject_unknown();
  }
}

bool valid_id_prefix(const std::string& prefix) {
  for (const char c : prefix) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return prefix.size() <= 56;
}

void read_group(const toml::table& table, const std::string& path, DeviceGroup& g,
                std::optional<ScenarioError>& error) {
  key_reader in(table, path, error);
  in.text("name", g.name);
  in.require("count");
  in.small_integer("count", g.count, 1, 100000);
  in.text("id_prefix", g.id_prefix);
  if (!in.failed() && !valid_id_prefix(g.id_prefix)) {
    in.fail("id_prefix", "must be at most 56 characters of A-Z a-z 0-9 . _ : -");
  }
  in.small_integer("first", g.first, 0, 99999);
  if (!in.failed() && g.first + g.count - 1 > 99999) {
    in.fail("count", "first + count - 1 must stay within 99999");
  }
  in.seconds("heartbeat_interval_s", g.heartbeat_interval_ms, 1.0, 86400.0);
  in.number_range("battery_start_pct", g.battery_start_min_pct, g.battery_start_max_pct, 0, 100);
  in.number("drain_pct_per_hour", g.drain_pct_per_hour, 0.0, 100.0);
  double signal_lo = g.signal_min_dbm;
  double signal_hi = g.signal_max_dbm;
  in.number_range("signal_dbm", signal_lo, signal_hi, -150, 0);
  g.signal_min_dbm = static_cast<std::int32_t>(signal_lo);
  g.signal_max_dbm = static_cast<std::int32_t>(signal_hi);
  in.boolean("returned", g.returned);
  sub_table(in, "area", error, [&g](key_reader& t) {
    t.number("lat", g.area.lat, -90.0, 90.0);
    t.number("lon", g.area.lon, -180.0, 180.0);
    t.number("radius_m", g.area.radius_m, 0.0, 1e6);
  });
  sub_table(in, "charging", error, [&g](key_reader& t) {
    g.charging.enabled = true;
    t.small_integer("from_hour", g.charging.from_hour, 0, 23);
    t.small_integer("to_hour", g.charging.to_hour, 0, 23);
    t.number("probability", g.charging.probability, 0.0, 1.0);
    t.number("rate_pct_per_hour", g.charging.rate_pct_per_hour, 0.1, 1000.0);
    if (!t.failed() && g.charging.from_hour == g.charging.to_hour) {
      t.fail("to_hour", "must differ from from_hour");
    }
  });
  sub_table(in, "dead_battery", error, [&g](key_reader& t) {
    t.require("probability");
    t.number("probability", g.dead_battery_probability, 0.0, 1.0);
  });
  for (auto [key, behaviour] : {std::pair{"gps_lost", &g.gps_lost}, {"flapping", &g.flapping}}) {
    if (const auto* sub = in.table(key); sub != nullptr) {
      read_period(*sub, in.key_path(key), *behaviour, error);
    }
  }
  sub_table(in, "accidental_press", error, [&g](key_reader& t) {
    read_occurrence(t, g.accidental_press.when);
    t.seconds("cancel_after_s", g.accidental_press.cancel_after_ms, 0.001, 3600.0);
  });
  sub_table(in, "alarm", error, [&g](key_reader& t) {
    read_occurrence(t, g.alarm.when);
    t.small_integer("track_points", g.alarm.track_points, 0, 10000);
    t.seconds("track_interval_s", g.alarm.track_interval_ms, 1.0, 3600.0);
    t.number("speed_m_s", g.alarm.speed_m_s, 0.0, 100.0);
  });
  sub_table(in, "test_press", error,
            [&g](key_reader& t) { read_occurrence(t, g.test_press); });
  sub_table(in, "clock_skew", error, [&g](key_reader& t) {
    t.number("probability", g.clock_skew.probability, 0.0, 1.0);
    t.integer("max_ms", g.clock_skew.max_ms, 0, 86400000);
    constexpr auto absent = std::numeric_limits<std::int64_t>::min();
    std::int64_t offset = absent;
    t.integer("offset_ms", offset, -86400000, 86400000);
    if (!t.failed() && offset != absent) {
      g.clock_skew.offset_ms = offset;
    }
  });
  in.reject_unknown();
}

// Device ids must be unique across the whole fleet.
void check_unique_ids(const Scenario& scenario, std::optional<ScenarioError>& error) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < scenario.groups.size() && !error; ++i) {
    for (const auto& id : device_ids(scenario.groups[i])) {
      if (!seen.insert(id).second) {
        const auto key = "group[" + std::to_string(i) + "].id_prefix";
        error = ScenarioError{key, key + ": device id " + id + " is already used by an earlier group"};
        return;
      }
    }
  }
}

}  // namespace

tl::expected<Scenario, ScenarioError> parse_scenario(std::string_view toml_text) {
  toml::table root;
  try {
    root = toml::parse(toml_text);
  } catch (const toml::parse_error& failure) {
    std::ostringstream message;
    message << "line " << failure.source().begin.line << ", column "
            << failure.source().begin.column << ": " << failure.description();
    return tl::make_unexpected(ScenarioError{"", message.str()});
  }
  Scenario scenario;
  std::optional<ScenarioError> error;
  key_reader in(root, "", error);
  std::int64_t seed = 1;
  in.integer("seed", seed, 0, std::numeric_limits<std::int64_t>::max());
  scenario.seed = static_cast<std::uint64_t>(seed);
  in.integer("start_ms", scenario.start_ms, 0, 253402300799999);
  in.seconds("duration_s", scenario.duration_ms, 1.0, max_seconds);
  in.require("group");
  if (const auto* groups = in.array_of_tables("group"); groups != nullptr) {
    for (std::size_t i = 0; i < groups->size() && !error; ++i) {
      read_group(*groups->get(i)->as_table(), "group[" + std::to_string(i) + "]",
                 scenario.groups.emplace_back(), error);
    }
  }
  if (const auto* storms = in.array_of_tables("reconnect_storm"); storms != nullptr) {
    for (std::size_t i = 0; i < storms->size() && !error; ++i) {
      key_reader storm(*storms->get(i)->as_table(), "reconnect_storm[" + std::to_string(i) + "]",
                       error);
      auto& s = scenario.storms.emplace_back();
      storm.require("at_s");
      storm.seconds("at_s", s.at_ms, 0.0, max_seconds);
      storm.seconds("down_s", s.down_ms, 0.0, 86400.0);
      storm.seconds("spread_s", s.spread_ms, 0.0, 86400.0);
      storm.reject_unknown();
    }
  }
  in.reject_unknown();
  if (!error) {
    check_unique_ids(scenario, error);
  }
  if (error) {
    return tl::make_unexpected(*error);
  }
  return scenario;
}

}  // namespace aware::sim
