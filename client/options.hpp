// options.hpp — the meldkamer client's command line, parsed once into a typed struct.
//
// Pure: no I/O. main.cpp calls parse_options() with argv and prints help_text() or the error.
// The parsed options are then passed by const& to the session and the connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace aware::console {

// Process exit codes, as documented in --help.
enum exit_code : int {
  exit_ok = 0,         // finished (--exit-after reached) or stopped by SIGINT/SIGTERM
  exit_timeout = 1,    // --timeout elapsed before --exit-after was reached
  exit_usage = 2,      // bad command line
};

struct client_options {
  std::string host;                            // server host name or address
  std::string port;                            // server port, decimal
  bool json = false;                           // JSON lines instead of the live table
  bool accept = false;                         // accept every NEW/DELIVERED incident seen
  std::string name;                            // centralist name sent with Accept
  std::string regions;                         // "a,b": served regions; empty = all regions
  std::string token_file;                      // --token-file: where the session token is
  std::string token;                           // the session token (main.cpp reads it), sent
                                               // as "Authorization: Bearer" on the upgrade
  std::optional<std::string> ca_file;          // --ca FILE: wss:// trusting this CA; not
                                               // given: main uses $AWARED_CA, else ws://
  std::optional<std::uint64_t> exit_after;     // stop after this many incident lines
  std::optional<std::chrono::milliseconds> timeout;  // give up (exit 1) after this long
};

// Outcome of parse_options(): exactly one of `options`, `help` or a non-empty `error`.
struct parse_result {
  std::optional<client_options> options;  // set when the command line is valid
  bool help = false;                      // --help / -h was given
  std::string error;                      // what is wrong with the command line
};

// Parses argv (without argv[0]). `default_name` is used when --name is absent (main passes
// "centralist@<hostname>"). Accepts both "--opt value" and "--opt=value". Never throws.
[[nodiscard]] parse_result parse_options(std::span<const std::string_view> args,
                                         std::string_view default_name);

// The --help text, including the JSON line formats and the exit codes.
[[nodiscard]] std::string help_text();

}  // namespace aware::console
