// commit_queue.cpp — see commit_queue.hpp.
#include "store/commit_queue.hpp"

#include <chrono>
#include <utility>
#include <vector>

namespace aware::store {

std::shared_ptr<CommitQueue::Entry> CommitQueue::add(ActivationToRecord job) {
  auto entry = std::make_shared<Entry>(Entry{std::move(job), std::nullopt});
  std::lock_guard lock{mutex_};
  waiting_.push_back(entry);
  return entry;
}

std::size_t CommitQueue::waiting() {
  std::lock_guard lock{mutex_};
  return waiting_.size();
}

Result<RecordOutcome> CommitQueue::take(Repository& repo, Entry& entry) {
  while (!entry.result) {
    std::vector<std::shared_ptr<Entry>> batch;
    {
      std::lock_guard lock{mutex_};
      while (!waiting_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(waiting_.front()));
        waiting_.pop_front();
      }
    }
    if (batch.empty()) {
      break;  // not queued through add(): cannot happen; reported below
    }
    std::vector<ActivationToRecord> jobs;
    jobs.reserve(batch.size());
    for (auto& e : batch) {
      jobs.push_back(std::move(e->job));
    }
    const auto started = std::chrono::steady_clock::now();
    auto results = repo.record_activations(jobs, hooks_);
    if (commit_time_ != nullptr) {
      commit_time_->observe(std::chrono::steady_clock::now() - started);
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      batch[i]->result = std::move(results[i]);
    }
  }
  if (!entry.result) {
    return tl::make_unexpected(StoreError{0, "activation was not queued for a commit"});
  }
  return std::move(*entry.result);
}

}  // namespace aware::store
