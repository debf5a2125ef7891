// commit_queue.hpp — group commit for activations. The network thread queues each activation
// (add()) and then hands the store thread a job that asks for its result (take()). The first
// such job to run records every activation waiting at that moment in one transaction
// (Repository::record_activations: one WAL fsync for all of them); the jobs behind it find their
// results ready. So under load the batches grow by themselves while a commit is in progress,
// and a lone activation is committed at once: no timer, no added wait. What a batch decided can
// be shown before its COMMIT (BatchHooks), its devices are answered only after it.
//
// THREAD SAFETY: add() from any thread; take() only on the store thread (it owns the results).
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "core/metrics.hpp"
#include "store/repository.hpp"

namespace aware::store {

class CommitQueue {
 public:
  struct Entry {
    ActivationToRecord job;
    std::optional<Result<RecordOutcome>> result;  // set by take() on the store thread
  };

  // Most activations in one transaction (bounds how long one commit holds the store thread).
  static constexpr std::size_t kMaxBatch = 256;

  // `commit_time`, when given, gets the duration of each batch's transaction (one observation
  // per commit, however many activations it held).
  // `hooks` go to every batch's Repository::record_activations() (BatchHooks: what a batch
  // decided, before its COMMIT).
  explicit CommitQueue(core::Histogram* commit_time = nullptr, BatchHooks hooks = {})
      : commit_time_{commit_time}, hooks_{std::move(hooks)} {}

  // Queues `job`; pass the entry to take() on the store thread.
  std::shared_ptr<Entry> add(ActivationToRecord job);

  // Store thread: `entry`'s result. Unless an earlier take() recorded it already, records the
  // waiting activations, oldest first, in batches of at most kMaxBatch until `entry` is done.
  Result<RecordOutcome> take(Repository& repo, Entry& entry);

  // Activations waiting for a commit (for /metrics and tests).
  [[nodiscard]] std::size_t waiting();

 private:
  core::Histogram* commit_time_;
  BatchHooks hooks_;
  std::mutex mutex_;
  std::deque<std::shared_ptr<Entry>> waiting_;
};

}  // namespace aware::store
