// pipeline_metrics.hpp — awared's metric set (GET /metrics, docs/metrics.md): what the pipeline
// counts as it runs (PipelineMetrics, owned by app::Daemon) and what is read at scrape time
// (ScrapeGauges), rendered together by render_metrics().
//
// Every label has a fixed, small set of values (the names below): never a device id, a user,
// a region or anything else about a person, so the series stay few and carry no personal data.
// THREAD SAFETY: the counters and histograms are atomics (metrics.hpp), counted from the network
// thread (matching, replies, dispatch) and the store thread (commit time); render_metrics() may
// run on any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/metrics.hpp"
#include "core/types.hpp"

namespace aware::core {

// awared_activations_total{class}: a stored activation (not a retransmission) by what it was.
enum class ActivationClass { spoed, technisch, test, cancel };
inline constexpr std::array<std::string_view, 4> kActivationClassNames = {"spoed", "technisch",
                                                                          "test", "cancel"};
// The class of a stored activation: "cancel" for a cancel, else its incident's priority.
ActivationClass activation_class(ActivationEffect effect, Priority priority);

// awared_acks_total{message}: an Ack written to a device, by the message it acknowledged.
enum class AckedMessage { activation, position, heartbeat };
inline constexpr std::array<std::string_view, 3> kAckedMessageNames = {"activation", "position",
                                                                       "heartbeat"};

// awared_nacks_total{reason}: a Nack written to a device, by aware.v1.NackReason (the wire
// values 0..4, proto/device.proto, in this order).
inline constexpr std::array<std::string_view, 5> kNackReasonNames = {
    "unspecified", "unknown_message", "no_hello", "invalid_field", "busy"};

// awared_escalations_total{action}: a routing deadline that fired (dispatch/escalation.hpp):
// not delivered in time (to the fallback region), not accepted (re-alert), not accepted twice
// as long (re-alert to the fallback region too).
enum class EscalationAction { not_delivered, not_accepted, not_accepted_fallback };
inline constexpr std::array<std::string_view, 3> kEscalationActionNames = {
    "not_delivered", "not_accepted", "not_accepted_fallback"};

// awared_dc09_messages_total{category}: DC-09 messages handed to the pipeline, by the
// receiver's category (dc09/events.hpp, same order).
inline constexpr std::array<std::string_view, 5> kDc09CategoryNames = {
    "activation", "test", "technical", "heartbeat", "unknown"};

// awared_dc09_replies_total{reply}: what awared answered each DC-09 frame (TCP) or datagram
// (UDP) it received, by dc09::Reply (same order): none (dropped: unreadable header, bad CRC,
// not decryptable, oversize, not a whole frame, too many datagrams in hand; not stored; or a
// retransmission whose original is still being stored), ACK (also when its write then fails),
// NAK (timestamp missing or outside the window), DUH (not an alarm and not readable).
inline constexpr std::array<std::string_view, 4> kDc09ReplyNames = {"none", "ack", "nak", "duh"};

// What the pipeline counts while it runs.
struct PipelineMetrics {
  std::array<Counter, kActivationClassNames.size()> activations;
  Counter duplicates;                                     // retransmissions acked again
  Counter decided_held;       // shown as the decider decided, and stored so (decider.hpp)
  Counter decided_corrected;  // shown as decided, then stored otherwise: consoles resynced
  std::array<Counter, kAckedMessageNames.size()> acks;
  std::array<Counter, kNackReasonNames.size()> nacks;
  std::array<Counter, kEscalationActionNames.size()> escalations;
  std::array<Counter, kDc09CategoryNames.size()> dc09_messages;
  std::array<Counter, kDc09ReplyNames.size()> dc09_replies;
  Histogram commit{latency_bounds()};                     // store thread: the activation's
                                                          // transaction, through COMMIT
  Histogram match{latency_bounds()};                      // network thread: match::match()
  std::atomic<std::int64_t> store_jobs{0};                // store-thread jobs not yet finished

  void activation(ActivationClass c) { activations[static_cast<std::size_t>(c)].add(); }
  void ack(AckedMessage m) { acks[static_cast<std::size_t>(m)].add(); }
  // An unknown reason counts as "unspecified".
  void nack(int reason) {
    const auto i = reason >= 0 && static_cast<std::size_t>(reason) < nacks.size()
                       ? static_cast<std::size_t>(reason)
                       : 0U;
    nacks[i].add();
  }
  void escalation(EscalationAction a) { escalations[static_cast<std::size_t>(a)].add(); }
  // `category`: the index of a dc09::Category (out of range counts as "unknown").
  void dc09_message(std::size_t category) {
    dc09_messages[category < dc09_messages.size() ? category : dc09_messages.size() - 1].add();
  }
  // `reply`: the index of a dc09::Reply (out of range counts as "none").
  void dc09_reply(std::size_t reply) {
    dc09_replies[reply < dc09_replies.size() ? reply : 0U].add();
  }
};

// What is read at scrape time, on the network thread, from the parts that own it.
struct ScrapeGauges {
  std::array<std::size_t, 4> incidents{};        // open incidents in the hub by IncidentState
                                                 // (index state - 1: created, delivered,
                                                 // accepted, closed)
  std::array<std::size_t, 3> consoles{};         // WebSocket consoles: meldkamer, pac, hulpverlener
  std::size_t console_queued = 0;                // frames waiting in all console send queues
  std::size_t devices = 0;                       // device connections
  std::size_t dc09_connections = 0;              // DC-09 TCP connections
  std::size_t dc09_in_flight = 0;                // DC-09 messages being stored
  std::size_t open_alerts = 0;                   // unresolved PAC alerts
  std::uint64_t accept_waits = 0;                // TLS connections that waited for their turn
                                                 // ([tls] handshakes_per_s)
  std::uint64_t log_lines_dropped = 0;           // stderr (journald) did not take them in time
  double start_time_s = 0;                       // process start, seconds since the Unix epoch
};

// The whole GET /metrics body (Prometheus text format 0.0.4).
std::string render_metrics(const PipelineMetrics& metrics, const ScrapeGauges& gauges);

// Whether `given` equals `expected`, in time independent of where they differ (a token check).
bool same_secret(std::string_view given, std::string_view expected);

// Who may scrape GET /metrics ([metrics], least access): off → 404; a request with an
// Authorization header is served only with "Bearer TOKEN", TOKEN the configured one (else 401,
// from any peer); without one only a loopback peer is served (else 403).
struct ScrapeVerdict {
  unsigned status = 200;       // 200 = serve; else the HTTP status of the refusal
  std::string_view error;      // why not (for the JSON error and the log), "" when served
};
ScrapeVerdict scrape_verdict(bool enabled, std::string_view token,
                             std::string_view authorization, bool loopback);

}  // namespace aware::core
