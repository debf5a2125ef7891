// refusals.hpp — the queue between refused requests and their audit rows (issue 6): every 401
// and 403 (REST, WebSocket upgrade, WebSocket message) is audited, but a flood of bad requests
// must not hold up the store thread, which also commits activations. So refusals are collected
// here on the network thread and written in one transaction per flush: at most one flush per
// `interval_ms`, sooner once `batch` refusals are waiting. The queue is bounded (`capacity`):
// beyond it refusals are only counted, and the next flush carries one extra row saying how many
// were suppressed.
//
// Pure: no I/O, no clock (the caller passes a monotonic `now`). The caller (app/refusal_flow)
// owns the timer and the store job. THREAD SAFETY: none; the network thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/types.hpp"

namespace aware::core {

// One refused request, as its audit row will say it.
struct Refusal {
  TimeMs at_ms = 0;       // wall-clock time of the refusal
  std::string actor;      // the user, or "anonymous" without a live session
  std::string what;       // the operation and its target, e.g. "GET /api/v1/aops/AOP-001"
  std::string reason;     // why it was refused (no secrets: never the token)
};

inline constexpr std::string_view kAnonymous = "anonymous";
inline constexpr std::string_view kRefusedAction = "refused";

class RefusalQueue {
 public:
  // `capacity` refusals are kept; a flush is due `interval_ms` after the previous one, or at
  // once when `batch` are waiting.
  explicit RefusalQueue(std::size_t capacity = 1000, std::size_t batch = 100,
                        std::int64_t interval_ms = 1000)
      : capacity_{capacity}, batch_{batch}, interval_ms_{interval_ms} {}

  // Queues `refusal` (or counts it when the queue is full). Returns true when this push made a
  // batch full, so the caller should flush now rather than wait for the interval.
  bool push(Refusal refusal);
  // Counts a refusal without queueing it: one the caller's own rate limit left out (reported
  // with the others in the "N further refusals suppressed" row).
  void suppress() { ++suppressed_; }

  // Whether anything (queued or counted) is waiting.
  [[nodiscard]] bool empty() const { return queued_.empty() && suppressed_ == 0; }
  [[nodiscard]] std::size_t size() const { return queued_.size(); }
  [[nodiscard]] std::size_t suppressed() const { return suppressed_; }

  // When a flush is due (monotonic ms); only meaningful when !empty().
  [[nodiscard]] std::int64_t due_at() const;
  [[nodiscard]] bool due(std::int64_t now) const { return !empty() && now >= due_at(); }

  // Takes everything waiting as audit entries (ids left 0: the store numbers them), oldest
  // first, plus one "N further refusals suppressed" entry at `wall_ms` when some were only
  // counted; the next interval starts at `now`.
  std::vector<AuditEntry> take(std::int64_t now, TimeMs wall_ms);

 private:
  std::size_t capacity_;
  std::size_t batch_;
  std::int64_t interval_ms_;
  std::vector<Refusal> queued_;
  std::size_t suppressed_ = 0;         // refusals dropped since the last take()
  std::int64_t last_flush_ = INT64_MIN / 2;  // monotonic ms of the last take()
};

}  // namespace aware::core
