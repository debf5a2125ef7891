// config.hpp — awared's configuration as one typed, validated struct.
//
// The defaults below are the embedded defaults: awared runs with no config file at all, and the
// shipped config/awared.toml spells out exactly these values (a unit test keeps the two equal).
// The file is parsed once at start-up (and again on SIGHUP) by parse_config(); everything else
// receives the result by const&.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace aware::core {

// A TCP address to listen on. Port 0 means "any free port" (used by the tests).
struct Endpoint {
  std::string host = "127.0.0.1";  // numeric IPv4/IPv6 address to bind
  std::uint16_t port = 0;          // TCP port, 0 = ephemeral
  bool operator==(const Endpoint&) const = default;
};

// [device]: the link from X-Mark devices.
struct DeviceConfig {
  Endpoint listen{"127.0.0.1", 7400};           // where devices connect
  std::size_t max_frame_bytes = 64 * 1024;      // largest accepted frame; larger ends the connection
  std::chrono::seconds hello_timeout{10};       // a new connection must send Hello within this
  std::chrono::seconds idle_timeout{1200};      // silence allowed between frames (> heartbeat interval)
  std::chrono::seconds frame_timeout{10};       // once a frame has begun, it must complete within this
  std::size_t max_connections = 10000;          // connections beyond this are refused at accept
  std::chrono::seconds clock_window{300};       // a device clock further off is flagged CLOCK_SKEW
  bool operator==(const DeviceConfig&) const = default;
};

// [meldkamer]: the console endpoint (WebSocket /ws/meldkamer, GET /healthz, REST /api/v1).
struct MeldkamerConfig {
  Endpoint listen{"127.0.0.1", 8080};           // where consoles and health checks connect
  std::size_t max_message_bytes = 16 * 1024;    // largest accepted request or WebSocket message
  std::size_t max_import_bytes = 16 * 1024 * 1024;  // largest body of POST /api/v1/import and
                                                   // /api/v1/regions/import
  std::chrono::seconds request_timeout{10};     // deadline for reading an HTTP request
  std::size_t max_queued_messages = 4096;       // a console further behind than this is disconnected
  std::string web_root;                         // the web console's asset folder; "" = none
  std::string tile_url;                         // the map's tile URL template; "" = none
  std::size_t max_asset_bytes = 4 * 1024 * 1024;  // a larger asset file is not served
  bool operator==(const MeldkamerConfig&) const = default;
};

// [store]: the SQLite database.
struct StoreConfig {
  std::string path = "var/awared.db";           // database file; its folder is created if missing
  bool operator==(const StoreConfig&) const = default;
};

// [match]: how an activation is matched to AOP/AOL records and a region.
struct MatchConfig {
  double near_m = 500.0;                        // AOLs within this distance are listed as "near"
  std::size_t near_max = 10;                    // at most this many near AOLs
  std::string default_region = "landelijk";     // desk used when no region can be found
  std::chrono::seconds max_fix_age{300};        // an older fix does not decide the region
  bool operator==(const MatchConfig&) const = default;
};

// [dispatch]: the incident lifecycle after an activation is stored.
struct DispatchConfig {
  std::chrono::seconds merge_window{600};       // an alarm this soon after the device's last incident
                                                // closed (or while it is open) updates that incident
  std::chrono::seconds tracking_interval{10};   // interval_s sent with START_TRACKING
  std::chrono::seconds deliver_timeout{3};      // not on a console of its region by then: escalate
  std::chrono::seconds accept_timeout{30};      // not accepted by then: re-alert; at 2x also to
                                                // the fallback region
  std::string fallback_region = "landelijk";    // the desk that gets escalated incidents
  bool test_channel = false;                    // proefmeldingen also to ?tests=1 consoles
  std::vector<std::string> close_outcomes = {   // the outcomes a centralist may close with
      "pleger aangehouden", "geen strafbaar feit", "per ongeluk / vals alarm",
      "technische storing", "overig"};
  bool operator==(const DispatchConfig&) const = default;
};

// [supervision]: device supervision and the AWARE trajectory.
struct SupervisionConfig {
  std::chrono::seconds heartbeat_interval{900};  // a device's interval unless it has its own
  std::uint32_t grace_percent = 10;             // lost after interval + this % …
  std::chrono::seconds grace{120};              // … + this much silence
  std::uint32_t battery_low_pct = 20;           // batterij_laag below this
  std::uint32_t battery_critical_pct = 10;      // batterij_kritiek below this
  std::uint32_t battery_hysteresis_pct = 5;     // resolved at threshold + this
  std::uint32_t contract_reminder_days = 14;    // remind this many days before a contract ends
  bool test_needs_window = true;                // a test press outside a window is a real alarm
  bool operator==(const SupervisionConfig&) const = default;
};

// [security]: users and sessions (issue 6; TLS and enforcement follow).
struct SecurityConfig {
  std::chrono::seconds session_ttl{8 * 3600};   // a login lasts this long (one shift)
  std::int64_t login_free_failures = 5;         // wrong passwords in a row before a lock
  std::chrono::seconds login_lock{1};           // the first lock; each further one doubles
  std::chrono::seconds login_lock_max{900};     // … up to this
  bool operator==(const SecurityConfig&) const = default;
};

// [tls]: transport security (issue 6). Devices speak mutual TLS 1.3 (their certificate, signed
// by device_ca, names their device id); consoles and the API speak HTTPS/WSS (TLS 1.3) with
// `cert`. insecure_dev = true turns TLS off for development: both listeners must then be on a
// loopback address, and awared logs a warning at start.
struct TlsConfig {
  bool insecure_dev = false;
  std::string cert = "/etc/awared/tls/server.crt";        // awared's certificate chain (PEM)
  std::string key = "/etc/awared/tls/server.key";         // its private key (PEM)
  std::string device_ca = "/etc/awared/tls/device-ca.crt"; // CA(s) that sign device certs (PEM)
  std::string device_crl;                                 // revoked device certs (PEM CRL), "" = none
  std::chrono::seconds handshake_timeout{10};             // a TLS handshake must finish within this
  std::uint32_t handshakes_per_s = 1000;                  // connections a TLS listener takes on a
                                                          // second (a burst of as many after a
                                                          // quiet second); the rest wait in the
                                                          // kernel's listen queue
  bool operator==(const TlsConfig&) const = default;
};

// [retention]: how long data is kept once it is no longer needed (0 = keep).
struct RetentionConfig {
  std::uint32_t tracks_days = 30;        // positions of a closed incident
  std::uint32_t incidents_days = 1825;   // a closed incident and all about it (5 years)
  std::uint32_t notices_days = 90;       // case-worker notices
  std::uint32_t alerts_days = 365;       // resolved PAC alerts
  std::uint32_t sessions_days = 7;       // ended login sessions
  std::uint32_t registrations_days = 365;  // a registration whose contract ended (erased)
  std::uint32_t audit_days = 1825;       // audit rows (5 years, as long as incidents)
  bool operator==(const RetentionConfig&) const = default;
};

// [notify]: case-worker notices (activation, cancel, close) beyond the /ws/hulpverlener feed.
struct NotifyConfig {
  std::string webhook_url;                      // "" = none; else https://HOST:PORT/PATH, HOST a
                                                // numeric IPv4 or [IPv6] address (http:// only
                                                // to a loopback address)
  std::string webhook_ca_file;                  // PEM CAs an https webhook's certificate must
                                                // chain to; "" = the system's trust store
  std::chrono::seconds webhook_timeout{10};     // one POST must complete within this
  std::size_t replay_max = 500;                 // most stored notices replayed to a ?since= feed
  bool operator==(const NotifyConfig&) const = default;
};

// One transmitter account of the DC-09 receiver ([[dc09.accounts]]). The key text is checked by
// the daemon with dc09::make_key() when the config is loaded (app/dc09_accounts.cpp).
struct Dc09Account {
  std::string account;                          // the account as the transmitter sends it (hex digits)
  std::string key;                              // AES key; "" = plain messages only
  std::string key_format = "hex";               // "hex" (32/48/64 digits) or "ascii" (16/24/32 chars)
  std::uint32_t window_past_s = 40;             // an encrypted message's timestamp may lag this much
  std::uint32_t window_future_s = 20;           // ... or lead awared's clock this much
  bool crc_includes_cr = false;                 // quirk: the CRC covers the closing CR
  bool decimal_length = false;                  // quirk: the length field is decimal
  bool lenient_length = false;                  // quirk: the length value is not checked
  bool operator==(const Dc09Account&) const = default;
};

// [dc09]: the SIA DC-09 receiver for standard IP alarm transmitters (docs/dc09.md).
struct Dc09Config {
  bool enabled = false;                         // off: no DC-09 listener at all
  std::optional<Endpoint> tcp_listen = Endpoint{"127.0.0.1", 7500};  // nullopt ("") = no TCP
  std::optional<Endpoint> udp_listen = Endpoint{"127.0.0.1", 7500};  // nullopt ("") = no UDP
  std::chrono::seconds idle_timeout{1200};      // silence allowed on a TCP connection
  std::chrono::seconds frame_timeout{10};       // a begun frame must be complete within this
  std::size_t max_connections = 1000;           // TCP connections held at most
  std::vector<Dc09Account> accounts;            // per-account settings; others: plain only
  bool operator==(const Dc09Config&) const = default;
};

// [metrics]: GET /metrics on the meldkamer port (Prometheus text format; docs/metrics.md).
// Least access: a loopback peer may scrape without a token; any other peer only with
// "Authorization: Bearer TOKEN", TOKEN the content of token_file (read at start-up).
struct MetricsConfig {
  bool enabled = true;                          // false: /metrics answers 404
  std::string token_file;                       // "" = no token: loopback peers only
  bool operator==(const MetricsConfig&) const = default;
};

// [log]
struct LogConfig {
  std::string level = "info";                   // trace, debug, info, warn, error, critical, off
  bool operator==(const LogConfig&) const = default;
};

struct Config {
  DeviceConfig device;
  MeldkamerConfig meldkamer;
  StoreConfig store;
  MatchConfig match;
  DispatchConfig dispatch;
  SupervisionConfig supervision;
  NotifyConfig notify;
  SecurityConfig security;
  TlsConfig tls;
  RetentionConfig retention;
  Dc09Config dc09;
  MetricsConfig metrics;
  LogConfig log;
  bool operator==(const Config&) const = default;
};

// Why a config could not be used: where, which key, and what is wrong.
struct ConfigError {
  std::string file;      // file name as given ("<embedded>" for a string)
  std::uint32_t line = 0;    // 1-based line, 0 when unknown
  std::uint32_t column = 0;  // 1-based column, 0 when unknown
  std::string key;       // dotted key, e.g. "device.max_frame_bytes"; empty for syntax errors
  std::string message;   // what is wrong, in plain words
  // "file:line:col: key: message", the form printed by awared before it exits with code 2.
  [[nodiscard]] std::string to_string() const;
};

// A plain-HTTP address "http://HOST:PORT/PATH" (numeric host; TLS comes with the security work).
struct HttpUrl {
  Endpoint endpoint;
  std::string path = "/";        // starts with '/'
  bool tls = false;              // https://
};
// Parses `text`; the error says what is wrong. Never throws.
tl::expected<HttpUrl, std::string> parse_http_url(std::string_view text);

// Splits "HOST:PORT" or "[V6HOST]:PORT" into a numeric address (brackets removed) and a port.
// Returns what is wrong, or nullopt after filling `out`. Never throws.
std::optional<std::string> parse_endpoint(std::string_view text, Endpoint& out);

// True for 127.0.0.0/8 and ::1 (numeric addresses only).
bool is_loopback(std::string_view host);

// Parses TOML text into a Config, starting from the embedded defaults. Any unknown table or key,
// wrong type or out-of-range value is an error naming file, line and key. Never throws.
tl::expected<Config, ConfigError> parse_config(std::string_view text, std::string_view file_name);

// Reads and parses a file. A file that cannot be read is an error with line 0. Never throws.
tl::expected<Config, ConfigError> load_config_file(const std::filesystem::path& path);

}  // namespace aware::core
