// cli.cpp — command-line parsing for xmark-sim (see cli.hpp). Options are "--name value" or
// "--name=value"; each may appear once. Numbers must be complete (no trailing junk); --lat and
// --lon accept anything strtod accepts, including "nan" and out-of-range values, on purpose.
#include "cli.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace aware::sim {

namespace {

struct raw_options {
  std::map<std::string, std::string> values;   // --name value
  std::set<std::string> flags;                 // --name
};

// Splits `args` (after the command word) into valued options and flags, rejecting unknown
// names, missing values, repeats and positional arguments.
bool split_options(const std::vector<std::string>& args, const std::set<std::string>& valued,
                   const std::set<std::string>& flags, raw_options& out, std::string& error) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> value;
    if (name.rfind("--", 0) != 0) {
      error = "unexpected argument '" + name + "'";
      return false;
    }
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    const auto bare = name.substr(2);
    if (flags.count(bare) != 0 && !value) {
      out.flags.insert(bare);
      continue;
    }
    if (valued.count(bare) == 0) {
      error = "unknown option '" + name + "'";
      return false;
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        error = "option '" + name + "' needs a value";
        return false;
      }
      value = args[++i];
    }
    if (!out.values.emplace(bare, *value).second) {
      error = "option '" + name + "' given twice";
      return false;
    }
  }
  return true;
}

template <typename T>
bool to_unsigned(const std::string& text, T& out) {
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && ptr == end;
}

bool to_double(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

// A positive, finite number of seconds up to a million (about 11 days).
bool to_seconds(const std::string& text, double& out) {
  return to_double(text, out) && std::isfinite(out) && out > 0 && out <= 1e6;
}

bool parse_server(const std::string& text, server_address& out) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return false;
  }
  out.host = text.substr(0, colon);
  out.port = text.substr(colon + 1);
  if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  std::uint16_t port = 0;
  return !out.host.empty() && to_unsigned(out.port, port) && port != 0;
}

// Reads option `name` with `convert` when present; sets `error` and returns false when the
// value does not convert.
template <typename F>
bool take(const raw_options& raw, const std::string& name, std::string& error, F convert) {
  const auto it = raw.values.find(name);
  if (it == raw.values.end() || convert(it->second)) {
    return true;
  }
  error = "invalid value '" + it->second + "' for --" + name;
  return false;
}

// The TLS options every command shares. `single` allows --cert/--key (one device). Returns
// false with `error` set when they do not fit together.
const std::set<std::string> tls_names = {"ca", "cert", "key", "device-ca-cert", "device-ca-key"};

bool take_tls(const raw_options& raw, bool single, tls_options& out, std::string& error) {
  const auto get = [&](const char* name) {
    const auto it = raw.values.find(name);
    return it == raw.values.end() ? std::string() : it->second;
  };
  out = {get("ca"), get("cert"), get("key"), get("device-ca-cert"), get("device-ca-key")};
  const bool own = !out.cert.empty() || !out.key.empty();
  const bool mint = !out.device_ca_cert.empty() || !out.device_ca_key.empty();
  if (own && !single) {
    error = "--cert/--key are for one device (activate); use --device-ca-cert and "
            "--device-ca-key to give each device its own certificate";
  } else if (own && (out.cert.empty() || out.key.empty())) {
    error = "--cert and --key go together";
  } else if (mint && (out.device_ca_cert.empty() || out.device_ca_key.empty())) {
    error = "--device-ca-cert and --device-ca-key go together";
  } else if (own && mint) {
    error = "give either --cert/--key or --device-ca-cert/--device-ca-key, not both";
  } else if ((own || mint) && out.ca.empty()) {
    error = "device certificates need --ca (the CA that signed awared's certificate)";
  } else if (!out.ca.empty() && !own && !mint) {
    error = single ? "--ca needs --cert and --key, or --device-ca-cert and --device-ca-key"
                   : "--ca needs --device-ca-cert and --device-ca-key";
  } else {
    return true;
  }
  return false;
}

// `names` plus the TLS option names.
std::set<std::string> with_tls(std::set<std::string> names) {
  names.insert(tls_names.begin(), tls_names.end());
  return names;
}

parsed_command parse_activate(const std::vector<std::string>& args) {
  raw_options raw;
  std::string error;
  const std::set<std::string> valued = {"server", "device", "lat", "lon", "accuracy", "source",
                                        "trigger", "seq", "boot-epoch", "audio-kind", "audio",
                                        "codec", "battery", "state-dir", "timeout"};
  if (!split_options(args, with_tls(valued), {"no-fix", "json", "help"}, raw, error)) {
    return usage_error{error};
  }
  if (raw.flags.count("help") != 0) {
    return show_help{};
  }
  activate_options o;
  o.json = raw.flags.count("json") != 0;
  if (raw.values.count("server") == 0 || raw.values.count("device") == 0) {
    return usage_error{"activate needs --server HOST:PORT and --device ID"};
  }
  o.device_id = raw.values.at("device");
  const bool has_lat = raw.values.count("lat") != 0;
  if (has_lat != (raw.values.count("lon") != 0)) {
    return usage_error{"--lat and --lon go together"};
  }
  if (raw.flags.count("no-fix") != 0 && (has_lat || raw.values.count("accuracy") != 0 ||
                                         raw.values.count("source") != 0)) {
    return usage_error{"--no-fix excludes --lat, --lon, --accuracy and --source"};
  }
  auto& fix = *o.fix;
  const bool ok =
      take(raw, "server", error, [&](const std::string& v) { return parse_server(v, o.server); }) &&
      take(raw, "lat", error, [&](const std::string& v) { return to_double(v, fix.lat); }) &&
      take(raw, "lon", error, [&](const std::string& v) { return to_double(v, fix.lon); }) &&
      take(raw, "accuracy", error, [&](const std::string& v) {
        double metres = 0;
        if (!to_double(v, metres)) {
          return false;
        }
        fix.accuracy_m = static_cast<float>(metres);
        return true;
      }) &&
      take(raw, "source", error, [&](const std::string& v) {
        fix.source = v == "gps" ? aware::v1::FIX_SOURCE_GPS : aware::v1::FIX_SOURCE_NETWORK;
        return v == "gps" || v == "network";
      }) &&
      take(raw, "trigger", error, [&](const std::string& v) {
        o.trigger = v == "alarm" ? aware::v1::TRIGGER_ALARM
                    : v == "test" ? aware::v1::TRIGGER_TEST : aware::v1::TRIGGER_CANCEL;
        return v == "alarm" || v == "test" || v == "cancel";
      }) &&
      take(raw, "seq", error, [&](const std::string& v) { return to_unsigned(v, o.seq.emplace()); }) &&
      take(raw, "boot-epoch", error,
           [&](const std::string& v) { return to_unsigned(v, o.boot_epoch.emplace()); }) &&
      take(raw, "audio-kind", error, [&](const std::string& v) {
        static const std::map<std::string, aware::v1::AudioKind> kinds = {
            {"phone", aware::v1::AUDIO_KIND_PHONE}, {"sip", aware::v1::AUDIO_KIND_SIP},
            {"stream", aware::v1::AUDIO_KIND_STREAM}, {"none", aware::v1::AUDIO_KIND_NONE}};
        const auto it = kinds.find(v);
        return it != kinds.end() && (o.audio.kind = it->second, true);
      }) &&
      take(raw, "battery", error, [&](const std::string& v) { return to_unsigned(v, o.battery_pct); }) &&
      take(raw, "timeout", error,
           [&](const std::string& v) { return to_seconds(v, o.timeout_s); });
  if (!ok || !take_tls(raw, true, o.tls, error)) {
    return usage_error{error};
  }
  if (raw.flags.count("no-fix") != 0) {
    o.fix.reset();
  }
  if (const auto it = raw.values.find("audio"); it != raw.values.end()) {
    o.audio.address = it->second;
  }
  if (const auto it = raw.values.find("codec"); it != raw.values.end()) {
    o.audio.codec = it->second;
  }
  if (const auto it = raw.values.find("state-dir"); it != raw.values.end()) {
    o.state_dir = it->second;
  }
  return o;
}

parsed_command parse_fleet(const std::vector<std::string>& args) {
  raw_options raw;
  std::string error;
  const std::set<std::string> valued = {"server", "devices", "prefix", "first", "interval-s",
                                        "count", "heartbeat-s", "area", "seed"};
  if (!split_options(args, with_tls(valued), {"json", "help"}, raw, error)) {
    return usage_error{error};
  }
  if (raw.flags.count("help") != 0) {
    return show_help{};
  }
  fleet_options o;
  o.json = raw.flags.count("json") != 0;
  if (raw.values.count("server") == 0) {
    return usage_error{"fleet needs --server HOST:PORT"};
  }
  const bool ok =
      take(raw, "server", error, [&](const std::string& v) { return parse_server(v, o.server); }) &&
      take(raw, "devices", error,
           [&](const std::string& v) { return to_unsigned(v, o.devices) && o.devices > 0; }) &&
      take(raw, "first", error, [&](const std::string& v) { return to_unsigned(v, o.first); }) &&
      take(raw, "interval-s", error,
           [&](const std::string& v) { return to_seconds(v, o.interval_s); }) &&
      take(raw, "count", error, [&](const std::string& v) { return to_unsigned(v, o.count); }) &&
      take(raw, "heartbeat-s", error,
           [&](const std::string& v) { return to_seconds(v, o.heartbeat_s); }) &&
      take(raw, "seed", error, [&](const std::string& v) { return to_unsigned(v, o.seed.emplace()); }) &&
      take(raw, "area", error, [&](const std::string& v) {
        const auto c1 = v.find(',');
        const auto c2 = c1 == std::string::npos ? c1 : v.find(',', c1 + 1);
        return c2 != std::string::npos && to_double(v.substr(0, c1), o.area_lat) &&
               to_double(v.substr(c1 + 1, c2 - c1 - 1), o.area_lon) &&
               to_double(v.substr(c2 + 1), o.area_radius_m) && o.area_radius_m >= 0;
      });
  if (!ok || !take_tls(raw, false, o.tls, error)) {
    return usage_error{error};
  }
  if (const auto it = raw.values.find("prefix"); it != raw.values.end()) {
    o.prefix = it->second;
  }
  return o;
}

// Rejects a signed integer that is not complete or lies outside [lo, hi].
bool to_integer(const std::string& text, std::int64_t& out, std::int64_t lo, std::int64_t hi) {
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc() && ptr == end && out >= lo && out <= hi;
}

// `scenario FILE (--server HOST:PORT | --print | --expect) [options]`.
parsed_command parse_scenario_command(const std::vector<std::string>& args) {
  if (args.size() >= 2 && (args[1] == "--help" || args[1] == "-h")) {
    return show_help{};
  }
  if (args.size() < 2 || args[1].rfind("--", 0) == 0) {
    return usage_error{"scenario needs a FILE"};
  }
  std::vector<std::string> rest{args.front()};
  rest.insert(rest.end(), args.begin() + 2, args.end());
  raw_options raw;
  std::string error;
  const std::set<std::string> valued = {"server", "speed", "start-ms", "grace-fixed-ms",
                                        "grace-factor", "battery-low", "battery-critical",
                                        "battery-hysteresis"};
  if (!split_options(rest, with_tls(valued), {"print", "expect", "json", "help"}, raw, error)) {
    return usage_error{error};
  }
  if (raw.flags.count("help") != 0) {
    return show_help{};
  }
  scenario_options o;
  o.file = args[1];
  o.json = raw.flags.count("json") != 0;
  const auto modes = raw.values.count("server") + raw.flags.count("print") +
                     raw.flags.count("expect");
  if (modes != 1) {
    return usage_error{"scenario needs exactly one of --server HOST:PORT, --print, --expect"};
  }
  if (raw.flags.count("print") != 0) {
    o.what = scenario_options::mode::print;
  } else if (raw.flags.count("expect") != 0) {
    o.what = scenario_options::mode::expect;
  }
  auto& rules = o.rules;
  const auto percent = [](const std::string& v, int& out) {
    std::int64_t wide = 0;
    return to_integer(v, wide, 0, 100) && (out = static_cast<int>(wide), true);
  };
  const bool ok =
      take(raw, "server", error, [&](const std::string& v) { return parse_server(v, o.server); }) &&
      take(raw, "speed", error, [&](const std::string& v) {
        return to_double(v, o.speed) && std::isfinite(o.speed) && o.speed > 0 && o.speed <= 1e6;
      }) &&
      take(raw, "start-ms", error, [&](const std::string& v) {
        return to_integer(v, o.start_ms.emplace(), 0, 253402300799999);
      }) &&
      take(raw, "grace-fixed-ms", error, [&](const std::string& v) {
        return to_integer(v, rules.grace_fixed_ms, 0, 86400000);
      }) &&
      take(raw, "grace-factor", error, [&](const std::string& v) {
        return to_double(v, rules.grace_factor) && rules.grace_factor >= 0 &&
               rules.grace_factor <= 10;
      }) &&
      take(raw, "battery-low", error, [&](const std::string& v) { return percent(v, rules.battery_low); }) &&
      take(raw, "battery-critical", error,
           [&](const std::string& v) { return percent(v, rules.battery_critical); }) &&
      take(raw, "battery-hysteresis", error,
           [&](const std::string& v) { return percent(v, rules.battery_hysteresis); });
  if (!ok || !take_tls(raw, false, o.tls, error)) {
    return usage_error{error};
  }
  if (!o.tls.ca.empty() && o.what != scenario_options::mode::play) {
    return usage_error{"--ca and the device CA options only apply with --server"};
  }
  return o;
}

}  // namespace

parsed_command parse_command_line(const std::vector<std::string>& args) {
  if (args.empty()) {
    return usage_error{"missing command (activate, fleet or scenario)"};
  }
  const auto& command = args.front();
  if (command == "--help" || command == "-h" || command == "help") {
    return show_help{};
  }
  if (command == "--version") {
    return show_version{};
  }
  if (command == "activate") {
    return parse_activate(args);
  }
  if (command == "fleet") {
    return parse_fleet(args);
  }
  if (command == "scenario") {
    return parse_scenario_command(args);
  }
  return usage_error{"unknown command '" + command + "'"};
}

}  // namespace aware::sim
