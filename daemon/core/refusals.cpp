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

}  // namespace aware::core
