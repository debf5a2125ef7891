// commit_queue.cpp — see commit_queue.hpp.
#include "store/commit_queue.hpp"

#include <chrono>
#include <exception>
#include <utility>
#include <vector>

namespace aware::store {

CommitQueue::Added CommitQueue::add(ActivationToRecord job, std::function<void()> wake) {
  auto entry = std::make_shared<Entry>(Entry{std::move(job), std::move(wake), std::nullopt});
  std::lock_guard lock{mutex_};
  waiting_.push_back(entry);
  const bool start = !draining_;
  draining_ = true;
  return {std::move(entry), start};
}

std::size_t CommitQueue::waiting() {
  std::lock_guard lock{mutex_};
  return waiting_.size();
}

CommitQueue::Batch CommitQueue::record_waiting(Repository& repo) {
  Batch batch;
  {
    std::lock_guard lock{mutex_};
    while (!waiting_.empty() && batch.done.size() < kMaxBatch) {
      batch.done.push_back(std::move(waiting_.front()));
      waiting_.pop_front();
    }
  }
  if (!batch.done.empty()) {
    std::vector<ActivationToRecord> jobs;
    jobs.reserve(batch.done.size());
    for (auto& e : batch.done) {
      jobs.push_back(std::move(e->job));
    }
    const auto started = std::chrono::steady_clock::now();
    std::vector<Result<RecordOutcome>> results;
    try {
      results = repo.record_activations(jobs, hooks_);
    } catch (const std::exception& e) {  // e.g. out of memory: not stored, the devices retransmit
      results.assign(jobs.size(), tl::make_unexpected(StoreError{0, e.what()}));
    }
    if (commit_time_ != nullptr) {
      commit_time_->observe(std::chrono::steady_clock::now() - started);
    }
    for (std::size_t i = 0; i < batch.done.size(); ++i) {
      batch.done[i]->result = std::move(results[i]);
    }
  }
  std::lock_guard lock{mutex_};
  batch.more = !waiting_.empty();
  draining_ = batch.more;
  return batch;
}

}  // namespace aware::store
