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
#include <optional>
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

// Refusals that come in floods (a scan of the TLS ports) audited without letting them fill the
// audit log: in each window of `window_ms`, the first `per_window` go to the audit one by one,
// the rest are only counted, and the count goes out as one row once the window is over (with
// the next refusal after it, or from finish() at stop). So a scan that never ends writes at
// most per_window + 1 rows a window.
// THREAD SAFETY: none (one owner).
class RefusalWindow {
 public:
  // `what` names the refused thing in the count's row, e.g. "TLS connections".
  RefusalWindow(std::size_t per_window, std::int64_t window_ms, std::string what)
      : per_window_{per_window}, window_ms_{window_ms}, what_{std::move(what)} {}

  // What to audit for `refusal`, refused at monotonic `now` (ms): the count of a window that is
  // over, if some of its refusals were only counted, then `refusal` itself unless this
  // window's share is used up.
  std::vector<Refusal> admit(Refusal refusal, std::int64_t now);
  // The count of the current window, if some refusals were only counted (then reset): at stop.
  // The count's row is dated at the start of its window, whenever it is written.
  std::optional<Refusal> finish();

 private:
  std::size_t per_window_;
  std::int64_t window_ms_;
  std::string what_;
  std::int64_t window_start_ = INT64_MIN / 2;  // monotonic ms
  TimeMs window_wall_start_ = 0;                // wall-clock ms of the window's first refusal
  std::size_t admitted_ = 0;                    // audited one by one in this window
  std::size_t counted_ = 0;                     // only counted in this window
};

}  // namespace aware::core
