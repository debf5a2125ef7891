// commit_queue.cpp — see commit_queue.hpp.
#include "store/commit_queue.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>
#include <vector>

namespace aware::store {

CommitQueue::Added CommitQueue::add(ActivationToRecord job, std::function<void()> wake) {
  auto entry = std::make_shared<Entry>(Entry{std::move(job), std::move(wake), std::nullopt});
  std::lock_guard lock{mutex_};
  waiting_.push_back(entry);
  ++queued_;
  const bool start = !drain_pending_;
  drain_pending_ = true;
  return {std::move(entry), start};
}

void CommitQueue::drain_not_started() {
  std::lock_guard lock{mutex_};
  drain_pending_ = false;
}

std::size_t CommitQueue::waiting() {
  std::lock_guard lock{mutex_};
  return waiting_.size();
}

std::uint64_t CommitQueue::queued() {
  std::lock_guard lock{mutex_};
  return queued_;
}

std::uint64_t CommitQueue::taken() {
  std::lock_guard lock{mutex_};
  return taken_;
}

CommitQueue::Batch CommitQueue::record_waiting(Repository& repo, std::size_t at_most) {
  Batch batch;
  const auto limit = std::min(at_most, kMaxBatch);
  {
    std::lock_guard lock{mutex_};
    drain_pending_ = false;  // this one runs: what arrives from now on needs another
    batch.done.reserve(std::min(waiting_.size(), limit));
    while (!waiting_.empty() && batch.done.size() < limit) {
      batch.done.push_back(std::move(waiting_.front()));
      waiting_.pop_front();
    }
    taken_ += batch.done.size();
  }
  if (!batch.done.empty()) {
    const auto started = std::chrono::steady_clock::now();
    try {
      std::vector<ActivationToRecord> jobs;
      jobs.reserve(batch.done.size());
      for (auto& e : batch.done) {
        jobs.push_back(std::move(e->job));
      }
      auto results = repo.record_activations(jobs, hooks_);
      for (std::size_t i = 0; i < batch.done.size(); ++i) {
        batch.done[i]->result = std::move(results[i]);
      }
    } catch (const std::exception& e) {  // e.g. out of memory: not stored, the devices retransmit
      for (auto& entry : batch.done) {
        entry->result = tl::make_unexpected(StoreError{0, e.what()});
      }
    }
    if (commit_time_ != nullptr) {
      commit_time_->observe(std::chrono::steady_clock::now() - started);
    }
  }
  std::lock_guard lock{mutex_};
  batch.more = !waiting_.empty() && !drain_pending_;
  if (batch.more) {
    drain_pending_ = true;
  }
  return batch;
}

}  // namespace aware::store
