// refusals.cpp — see refusals.hpp.
#include "core/refusals.hpp"

namespace aware::core {

bool RefusalQueue::push(Refusal refusal) {
  if (queued_.size() >= capacity_) {
    ++suppressed_;
    return false;
  }
  queued_.push_back(std::move(refusal));
  return queued_.size() == batch_;
}

std::int64_t RefusalQueue::due_at() const {
  if (queued_.size() >= batch_) {
    return last_flush_;  // a full batch goes at once
  }
  return last_flush_ + interval_ms_;
}

std::vector<AuditEntry> RefusalQueue::take(std::int64_t now, TimeMs wall_ms) {
  std::vector<AuditEntry> out;
  out.reserve(queued_.size() + 1);
  for (auto& r : queued_) {
    out.push_back({0, r.at_ms, std::move(r.actor), std::string(kRefusedAction), std::move(r.what),
                   std::move(r.reason)});
  }
  queued_.clear();
  if (suppressed_ > 0) {
    out.push_back({0, wall_ms, "awared", std::string(kRefusedAction), "refusals",
                   std::to_string(suppressed_) + " further refusals suppressed"});
    suppressed_ = 0;
  }
  last_flush_ = now;
  return out;
}

std::vector<Refusal> RefusalWindow::admit(Refusal refusal, std::int64_t now) {
  std::vector<Refusal> out;
  if (now - window_start_ >= window_ms_) {
    if (auto count = finish()) {
      out.push_back(std::move(*count));
    }
    window_start_ = now;
    window_wall_start_ = refusal.at_ms;
    admitted_ = 0;
  }
  if (admitted_ < per_window_) {
    ++admitted_;
    out.push_back(std::move(refusal));
  } else {
    ++counted_;
  }
  return out;
}

std::optional<Refusal> RefusalWindow::finish() {
  if (counted_ == 0) {
    return std::nullopt;
  }
  Refusal count{window_wall_start_, "awared", what_,
                std::to_string(counted_) + " further refused " + what_ + " in the " +
                    std::to_string(window_ms_ / 60000) + " min from this time, only counted"};
  counted_ = 0;
  return count;
}

}  // namespace aware::core
