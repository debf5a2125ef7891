// options.cpp — parsing and help text for the meldkamer command line (see options.hpp).
#include "options.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace aware::console {
namespace {

constexpr double max_timeout_seconds = 7.0 * 24 * 3600;  // a week: anything longer is a typo

// Splits "HOST:PORT" (or "[v6]:PORT") at the last colon. Returns false when malformed.
bool split_server(std::string_view text, std::string& host, std::string& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return false;
  }
  std::string_view h = text.substr(0, colon);
  const std::string_view p = text.substr(colon + 1);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') {
    h = h.substr(1, h.size() - 2);
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc{} || end != p.data() + p.size() || value == 0 || value > 65535 || h.empty()) {
    return false;
  }
  host = std::string{h};
  port = std::string{p};
  return true;
}

bool parse_count(std::string_view text, std::uint64_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && out > 0;
}

bool parse_seconds(std::string_view text, std::chrono::milliseconds& out) {
  double seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(seconds) ||
      seconds <= 0 || seconds > max_timeout_seconds) {
    return false;
  }
  out = std::chrono::milliseconds{static_cast<std::int64_t>(std::llround(seconds * 1000.0))};
  return out.count() > 0;
}

// A region list is ids of lowercase letters, digits and '-', separated by single commas.
bool valid_regions(std::string_view text) {
  if (text.empty() || text.front() == ',' || text.back() == ',' ||
      text.find(",,") != std::string_view::npos) {
    return false;
  }
  for (const char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == ',')) {
      return false;
    }
  }
  return true;
}

parse_result fail(std::string text) {
  parse_result r;
  r.error = std::move(text);
  return r;
}

}  // namespace

parse_result parse_options(std::span<const std::string_view> args, std::string_view default_name) {
  client_options o;
  bool have_server = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view key = args[i];
    std::optional<std::string_view> inline_value;
    if (const auto eq = key.find('='); key.starts_with("--") && eq != std::string_view::npos) {
      inline_value = key.substr(eq + 1);
      key = key.substr(0, eq);
    }
    // Fetches the option's value from "--opt=value" or the next argument.
    auto value = [&](std::string_view& out) {
      if (inline_value) {
        out = *inline_value;
        return true;
      }
      if (i + 1 >= args.size()) {
        return false;
      }
      out = args[++i];
      return true;
    };
    const bool is_flag = key == "--json" || key == "--accept" || key == "--help" || key == "-h";
    if (is_flag && inline_value) {
      return fail(std::string{key} + " takes no value");
    }
    std::string_view v;
    if (key == "--help" || key == "-h") {
      parse_result r;
      r.help = true;
      return r;
    } else if (key == "--json") {
      o.json = true;
    } else if (key == "--accept") {
      o.accept = true;
    } else if (key == "--server") {
      if (!value(v) || !split_server(v, o.host, o.port)) {
        return fail("--server needs HOST:PORT with a port 1-65535");
      }
      have_server = true;
    } else if (key == "--name") {
      if (!value(v) || v.empty()) {
        return fail("--name needs a non-empty NAME");
      }
      o.name = std::string{v};
    } else if (key == "--token-file") {
      if (!value(v) || v.empty()) {
        return fail("--token-file needs a FILE");
      }
      o.token_file = std::string{v};
    } else if (key == "--regions") {
      if (!value(v) || !valid_regions(v)) {
        return fail("--regions needs REGION[,REGION...] (lowercase letters, digits, '-')");
      }
      o.regions = std::string{v};
    } else if (key == "--ca") {
      if (!value(v) || v.empty()) {
        return fail("--ca needs a FILE (the CA certificate, PEM)");
      }
      o.ca_file = std::string{v};
    } else if (key == "--exit-after") {
      std::uint64_t n = 0;
      if (!value(v) || !parse_count(v, n)) {
        return fail("--exit-after needs a positive whole number");
      }
      o.exit_after = n;
    } else if (key == "--timeout") {
      std::chrono::milliseconds t{};
      if (!value(v) || !parse_seconds(v, t)) {
        return fail("--timeout needs a positive number of seconds");
      }
      o.timeout = t;
    } else {
      return fail("unknown argument: " + std::string{args[i]});
    }
  }
  if (!have_server) {
    return fail("--server HOST:PORT is required");
  }
  if (o.name.empty()) {
    o.name = std::string{default_name};
  }
  parse_result r;
  r.options = std::move(o);
  return r;
}

std::string help_text() {
  return R"(meldkamer — console client for awared's meldkamer feed (wss://HOST:PORT/ws/meldkamer,
or ws:// without a CA)

Usage:
  meldkamer --server HOST:PORT [--ca FILE] [--token-file FILE] [--json] [--accept]
            [--name NAME]
            [--regions R1,R2] [--exit-after N] [--timeout SECONDS]

Options:
  --server HOST:PORT  awared's console endpoint (IPv6 as [addr]:port). Required.
  --ca FILE           connect with TLS (wss://) and trust only the CA certificate(s) in FILE
                      (PEM); the server certificate must name HOST (DNS name or IP address).
                      Default: $AWARED_CA; without either, plain ws:// (for awared with
                      [tls] insecure_dev = true). A refused certificate is reported as
                      "certificate verify failed: ..." and retried like any connection failure.
  --token-file FILE   the session token of a centralist (from `awarectl login`), sent as
                      "Authorization: Bearer" when connecting. Default: $AWARED_TOKEN, else
                      $AWARED_TOKEN_FILE, else ~/.config/awared/token. Without a valid
                      session awared refuses the connection (HTTP 401; 403 for a user who is
                      not a centralist, or for regions not theirs).
  --json              print JSON lines instead of the live table (see below).
  --accept            accept every incident seen in state NEW or DELIVERED, once per
                      incident per connection (re-asked after a reconnect if still open).
  --name NAME         name sent with accepts (default "centralist@<hostname>"); awared
                      records the logged-in user instead.
  --regions R1,R2     serve only these meldkamer regions (e.g. midden-nederland,landelijk):
                      the snapshot and updates leave other regions out. Default: all the
                      regions of the logged-in centralist.
  --exit-after N      exit 0 once N incident events (snapshot + update) were processed;
                      checked after each whole server message.
  --timeout SECONDS   exit 1 if not finished (--exit-after) within SECONDS; without
                      --exit-after it always ends with exit 1 after SECONDS.
  -h, --help          show this text.

Without --timeout the client runs until SIGINT/SIGTERM, reconnecting when the connection
drops (backoff 100 ms doubling to 2 s; each reconnect brings a fresh snapshot).

Table mode: redraws on every change and once a second; SPOED first, then oldest first;
closed incidents drop out.

JSON mode, one object per line on stdout (incident = protobuf JSON mapping, lowerCamelCase,
all primitive fields present):
  {"event":"snapshot","incident":{...}}        one per incident in a snapshot
  {"event":"synced","count":N}                 after each snapshot's incidents
  {"event":"update","incident":{...}}          one per IncidentUpdate
  {"event":"error","request":"...","text":"..."}   ConsoleError from the server
  {"event":"disconnected","reason":"..."}      connection lost, or first connect failed
                                               (once per outage)
  {"event":"resync","reason":"gap: ..."}       a message was missed (seq gap): the client
                                               reconnects for a fresh snapshot
Problems the client itself detects (unparsable frames) go to stderr.

Exit codes:
  0  finished (--exit-after reached) or stopped by SIGINT/SIGTERM
  1  --timeout elapsed
  2  usage error (also: the --ca file cannot be read)
)";
}

}  // namespace aware::console
