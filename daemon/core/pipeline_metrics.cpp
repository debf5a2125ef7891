// pipeline_metrics.cpp — see pipeline_metrics.hpp. The HELP texts here are what an operator
// reads in Prometheus; docs/metrics.md lists the same metrics.
#include "core/pipeline_metrics.hpp"

namespace aware::core {

ActivationClass activation_class(ActivationEffect effect, Priority priority) {
  if (effect == ActivationEffect::cancel_flagged || effect == ActivationEffect::cancel_alone) {
    return ActivationClass::cancel;
  }
  switch (priority) {
    case Priority::spoed:
      return ActivationClass::spoed;
    case Priority::technisch:
      return ActivationClass::technisch;
    case Priority::test:
      return ActivationClass::test;
  }
  return ActivationClass::spoed;
}

namespace {

template <std::size_t N>
void labelled_counters(TextWriter& w, std::string_view name, std::string_view label,
                       const std::array<std::string_view, N>& values,
                       const std::array<Counter, N>& counters, std::string_view help) {
  w.family(name, "counter", help);
  for (std::size_t i = 0; i < N; ++i) {
    w.sample(name, {{label, values[i]}}, counters[i].value());
  }
}

void gauge(TextWriter& w, std::string_view name, std::uint64_t value, std::string_view help) {
  w.family(name, "gauge", help);
  w.sample(name, {}, value);
}

}  // namespace

std::string render_metrics(const PipelineMetrics& m, const ScrapeGauges& g) {
  TextWriter w;
  labelled_counters(w, "awared_activations_total", "class", kActivationClassNames, m.activations,
                    "Activations durably stored (retransmissions not counted), by class: spoed "
                    "(an alarm), technisch, test (a proefmelding) or cancel.");
  w.family("awared_activation_duplicates_total", "counter",
           "Retransmitted activations recognised as already stored and acked again.");
  w.sample("awared_activation_duplicates_total", {}, m.duplicates.value());
  w.family("awared_decisions_total", "counter",
           "Activations shown on the consoles as decided ahead of the store (before its turn), "
           "by result: held (stored the same) or corrected (stored otherwise or not at all; "
           "the consoles got a fresh snapshot).");
  w.sample("awared_decisions_total", {{"result", "held"}}, m.decided_held.value());
  w.sample("awared_decisions_total", {{"result", "corrected"}}, m.decided_corrected.value());
  labelled_counters(w, "awared_acks_total", "message", kAckedMessageNames, m.acks,
                    "Acks written to devices (each after the durable commit), by the message "
                    "acknowledged.");
  labelled_counters(w, "awared_nacks_total", "reason", kNackReasonNames, m.nacks,
                    "Nacks written to devices, by aware.v1.NackReason.");
  labelled_counters(w, "awared_escalations_total", "action", kEscalationActionNames,
                    m.escalations,
                    "Routing deadlines that fired: not delivered in time (escalated to the "
                    "fallback region), not accepted (re-alerted), not accepted twice as long "
                    "(re-alerted to the fallback region too).");
  labelled_counters(w, "awared_dc09_messages_total", "category", kDc09CategoryNames,
                    m.dc09_messages, "SIA DC-09 messages handed to the pipeline, by category.");
  labelled_counters(w, "awared_dc09_replies_total", "reply", kDc09ReplyNames, m.dc09_replies,
                    "Answers to the SIA DC-09 frames read: none (dropped or not stored), ACK "
                    "(after the durable commit, or to a duplicate), NAK, DUH.");

  w.family("awared_incidents", "gauge",
           "Open incidents held for the police consoles (proefmeldingen excluded), by state.");
  constexpr std::array<IncidentState, 3> kOpenStates = {
      IncidentState::created, IncidentState::delivered, IncidentState::accepted};
  for (const auto s : kOpenStates) {
    w.sample("awared_incidents", {{"state", to_string(s)}},
             std::uint64_t{g.incidents[static_cast<std::size_t>(s) - 1]});
  }
  w.family("awared_console_connections", "gauge", "WebSocket consoles connected, by feed.");
  constexpr std::array<std::string_view, 3> kFeeds = {"meldkamer", "pac", "hulpverlener"};
  for (std::size_t i = 0; i < kFeeds.size(); ++i) {
    w.sample("awared_console_connections", {{"feed", kFeeds[i]}}, std::uint64_t{g.consoles[i]});
  }
  gauge(w, "awared_console_queued_frames", g.console_queued,
        "Frames waiting in the send queues of all consoles.");
  w.family("awared_log_lines_dropped_total", "counter",
           "Log lines dropped because stderr (journald) did not take them at once (AWR-1014).");
  w.sample("awared_log_lines_dropped_total", {}, g.log_lines_dropped);
  const auto jobs = m.store_jobs.load(std::memory_order_relaxed);
  gauge(w, "awared_store_jobs", jobs > 0 ? static_cast<std::uint64_t>(jobs) : 0U,
        "Jobs handed to the store thread and not yet finished (waiting or running).");
  gauge(w, "awared_device_connections", g.devices, "Device connections open.");
  gauge(w, "awared_dc09_connections", g.dc09_connections, "DC-09 TCP connections open.");
  gauge(w, "awared_dc09_in_flight", g.dc09_in_flight,
        "DC-09 messages received and being stored (not yet answered).");
  gauge(w, "awared_open_alerts", g.open_alerts, "Unresolved technical alerts of the PAC operator.");
  w.family("awared_tls_accept_waits_total", "counter",
           "New connections to the TLS listeners (devices, meldkamer) that waited in the listen "
           "queue for their turn ([tls] handshakes_per_s).");
  w.sample("awared_tls_accept_waits_total", {}, g.accept_waits);

  w.histogram("awared_commit_seconds",
              "Store-thread time of an activation's transaction, through the durable COMMIT.",
              m.commit);
  w.histogram("awared_match_seconds",
              "Time to match an activation against the registrations (network thread).",
              m.match);
  w.family("process_start_time_seconds", "gauge",
           "Start time of the process since the Unix epoch in seconds.");
  w.sample("process_start_time_seconds", {}, g.start_time_s);
  return w.text();
}

bool same_secret(std::string_view given, std::string_view expected) {
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    const char e = expected.empty() ? '\0' : expected[i % expected.size()];
    diff = static_cast<unsigned char>(diff | static_cast<unsigned char>(given[i] ^ e));
  }
  return diff == 0;
}

ScrapeVerdict scrape_verdict(bool enabled, std::string_view token,
                             std::string_view authorization, bool loopback) {
  if (!enabled) {
    return {404, "metrics are off ([metrics] enabled = false)"};
  }
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (token.empty()) {
      return {401, "no [metrics] token_file is configured: scrape from a loopback address "
                   "without a token"};
    }
    if (!authorization.starts_with(kBearer) ||
        !same_secret(authorization.substr(kBearer.size()), token)) {
      return {401, "wrong metrics token"};
    }
    return {};
  }
  if (!loopback) {
    return {403, "GET /metrics without the [metrics] token is served to loopback addresses only"};
  }
  return {};
}

}  // namespace aware::core
