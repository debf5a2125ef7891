// cli.hpp — the command line of xmark-sim: typed option structs for the `activate`, `fleet`
// and `scenario` commands, the parser that fills them, and the --help text (which documents the exit codes).
// Pure: no I/O; main.cpp prints the help text and usage errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "messages.hpp"
#include "supervision_oracle.hpp"

namespace aware::sim {

// Process exit codes, as documented in --help.
enum exit_code : int {
  exit_acked = 0,        // success (activate: acked; fleet: stopped or --count reached)
  exit_timed_out = 1,    // no ack within --timeout
  exit_usage = 2,        // bad command line
  exit_nacked = 3,       // the server refused the message (any reason but BUSY)
  exit_local_error = 4,  // state file unreadable/unwritable or an internal error
};

struct server_address {
  std::string host;      // name or address, without IPv6 brackets
  std::string port;      // decimal port number
};

// The device link's TLS (--ca etc.); all empty = plain TCP.
struct tls_options {
  std::string ca;              // --ca FILE: trust anchor for awared's certificate; "" = plain TCP
  std::string cert;            // --cert FILE: the device certificate (activate only)
  std::string key;             // --key FILE: its private key
  std::string device_ca_cert;  // --device-ca-cert FILE: mint a certificate per device ...
  std::string device_ca_key;   // --device-ca-key FILE: ... signed with this key
};

struct activate_options {
  server_address server;                              // --server HOST:PORT (required)
  std::string device_id;                              // --device ID (required)
  std::optional<fix_params> fix = fix_params{52.0907, 5.1214, 10.0F, aware::v1::FIX_SOURCE_GPS};
  aware::v1::Trigger trigger = aware::v1::TRIGGER_ALARM;   // --trigger
  std::optional<std::uint64_t> seq;                   // --seq, else from the state file
  std::optional<std::uint32_t> boot_epoch;            // --boot-epoch, else from the state file
  audio_params audio;                                 // --audio-kind, --audio, --codec
  std::uint32_t battery_pct = 80;                     // --battery
  std::string state_dir = "var/xmark-sim";            // --state-dir
  double timeout_s = 60.0;                            // --timeout, total seconds
  bool json = false;                                  // --json
  tls_options tls;                                    // --ca, --cert/--key or --device-ca-*
};

struct fleet_options {
  server_address server;                              // --server HOST:PORT (required)
  unsigned devices = 5;                               // --devices
  std::string prefix = "XM-DEMO-";                    // --prefix
  unsigned first = 1;                                 // --first device number
  double interval_s = 20.0;                           // --interval-s, mean time between presses
  std::uint64_t count = 0;                            // --count, 0 = until signalled
  double heartbeat_s = 60.0;                          // --heartbeat-s
  double area_lat = 52.0907;                          // --area LAT,...
  double area_lon = 5.1214;                           // --area ...,LON,...
  double area_radius_m = 15000.0;                     // --area ...,RADIUS_M
  std::optional<std::uint64_t> seed;                  // --seed, else random
  bool json = false;                                  // --json
  tls_options tls;                                    // --ca, --device-ca-cert/--device-ca-key
};

struct scenario_options {
  enum class mode { play, print, expect };
  std::string file;                                   // FILE, the scenario (required)
  mode what = mode::play;                             // --server (play), --print or --expect
  server_address server;                              // --server HOST:PORT (play only)
  double speed = 1.0;                                 // --speed, scenario s per wall s
  std::optional<std::int64_t> start_ms;               // --start-ms, replaces the file's start
  SupervisionRules rules;                             // --grace-*, --battery-* (for --expect)
  bool json = false;                                  // --json (play output)
  tls_options tls;                                    // --ca, --device-ca-cert/--device-ca-key
};

struct show_help {};
struct show_version {};
struct usage_error {
  std::string message;   // what was wrong, without the program name
};

using parsed_command =
    std::variant<activate_options, fleet_options, scenario_options, show_help, show_version,
                 usage_error>;

// Parses argv[1..] (argv[0] excluded). Never throws on bad input: returns usage_error.
parsed_command parse_command_line(const std::vector<std::string>& args);

// The full --help text.
const char* help_text();

}  // namespace aware::sim
