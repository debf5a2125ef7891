// metrics_flow.cpp — GET /metrics (docs/metrics.md): who may scrape, and the Prometheus text of
// what the pipeline counted (Daemon::metrics_) plus what the network thread's parts hold now.
//
// Access (least access, [metrics] in config/awared.toml; the rule is core::scrape_verdict()):
// off → 404; a request with a bearer token is served only when the token is the [metrics]
// token_file's (else 401, from any peer); without one only a loopback peer is served (a remote
// one gets 403). The user sessions of /api/v1 play no part: a scraper is not a person and gets
// no login.
#include <cctype>
#include <fstream>
#include <string>
#include <string_view>

#include "app/daemon.hpp"
#include "core/log.hpp"

namespace aware::app {
namespace {

constexpr std::size_t kMinTokenLength = 16;
constexpr std::size_t kMaxTokenFileBytes = 4096;

std::string trimmed(const std::string& text) {
  std::size_t b = 0;
  std::size_t e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b])) != 0) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1])) != 0) {
    --e;
  }
  return text.substr(b, e - b);
}

}  // namespace

std::string metrics_token(const core::MetricsConfig& config) {
  if (config.token_file.empty()) {
    return "";
  }
  const std::string where = "[metrics] token_file " + config.token_file + ": ";
  std::ifstream in(config.token_file, std::ios::binary);
  if (!in) {
    throw StartupConfigError(where + "cannot be read");
  }
  std::string text(kMaxTokenFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    throw StartupConfigError(where + "cannot be read");
  }
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxTokenFileBytes) {
    throw StartupConfigError(where + "larger than " + std::to_string(kMaxTokenFileBytes) +
                             " bytes");
  }
  auto token = trimmed(text);
  if (token.size() < kMinTokenLength) {
    throw StartupConfigError(where + "the token must be at least " +
                             std::to_string(kMinTokenLength) + " characters");
  }
  for (const char c : token) {
    if (std::isgraph(static_cast<unsigned char>(c)) == 0) {
      throw StartupConfigError(where + "the token must be one word of visible ASCII characters");
    }
  }
  return token;
}

void Daemon::reload_metrics_token() {
  if (config_.metrics.token_file.empty()) {
    return;
  }
  auto log = core::log("app");
  try {
    auto token = metrics_token(config_.metrics);
    if (token != metrics_token_) {
      metrics_token_ = std::move(token);
      log->info("AWR-1012 reload: the metrics token of {} applies from now on",
                config_.metrics.token_file);
    }
  } catch (const StartupConfigError& e) {
    log->error("AWR-1013 reload: metrics token not changed: {}", e.what());
  }
}

netio::MetricsAnswer Daemon::metrics(const std::string& authorization, bool loopback) {
  const auto verdict =
      core::scrape_verdict(config_.metrics.enabled, metrics_token_, authorization, loopback);
  if (verdict.status != 200) {
    if (verdict.status != 404) {
      core::log("net")->warn("AWR-9001 GET /metrics refused ({}): {}", verdict.status,
                             verdict.error);
    }
    return {verdict.status, "{\"error\":\"" + std::string(verdict.error) + "\"}"};
  }
  core::ScrapeGauges g;
  g.incidents = hub_.count_by_state();
  const auto consoles = consoles_.session_stats();
  g.consoles = consoles.by_feed;
  g.console_queued = consoles.queued;
  g.devices = devices_.connection_count();
  g.dc09_connections = dc09_.connection_count();
  g.dc09_in_flight = dc09_.in_flight_count();
  g.open_alerts = alerts_.open_count();
  g.accept_waits = handshake_pacer_ ? handshake_pacer_->waits() : 0;
  g.log_lines_dropped = core::log_lines_dropped();
  g.start_time_s = start_time_s_;
  return {200, core::render_metrics(metrics_, g)};
}

}  // namespace aware::app
