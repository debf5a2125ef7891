// commit_queue.hpp — group commit for activations. The network thread queues each activation
// (add()); the store thread records what waits (record_waiting()): the oldest activations, up to
// kMaxBatch, in one transaction (Repository::record_activations: one WAL fsync for all of them).
// A drain job does this: add() says when none is pending (not yet started) — the caller then
// posts one, so an activation that arrives while a drain runs gets its place in the store
// thread's queue at once, before the jobs queued after it — and record_waiting() says when
// more wait with no drain pending (the caller posts the job again). So under load the batches
// grow by themselves while a commit is in progress, a lone activation is committed at once (no
// timer, no added wait), and a batch costs one job and one hand-back however many activations
// it holds. What a batch decided can be shown before its COMMIT (BatchHooks); its devices are
// answered only after it.
//
// THREAD SAFETY: add() from any thread; record_waiting() only on the store thread. An entry's
// result is written by record_waiting() and must be read only after the batch was handed back
// (e.g. posted) to the reading thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "core/metrics.hpp"
#include "store/repository.hpp"

namespace aware::store {

class CommitQueue {
 public:
  struct Entry {
    ActivationToRecord job;
    std::function<void()> wake;                   // the caller's: run it once `result` is set
    std::optional<Result<RecordOutcome>> result;  // set by record_waiting() on the store thread
  };
  struct Added {
    std::shared_ptr<Entry> entry;
    bool start_drain = false;  // no drain job is pending: post one (record_waiting())
  };
  struct Batch {
    std::vector<std::shared_ptr<Entry>> done;  // recorded (or failed), results set: hand back
    bool more = false;  // others wait and no drain job is pending: post the drain job again
  };

  // Most activations in one transaction: bounds how long one commit holds the store thread
  // (~20 ms for a full batch on the benchmark machine; docs/performance.md).
  static constexpr std::size_t kMaxBatch = 512;

  // `commit_time`, when given, gets the duration of each batch's transaction (one observation
  // per commit, however many activations it held).
  // `hooks` go to every batch's Repository::record_activations() (BatchHooks: what a batch
  // decided, before its COMMIT).
  explicit CommitQueue(core::Histogram* commit_time = nullptr, BatchHooks hooks = {})
      : commit_time_{commit_time}, hooks_{std::move(hooks)} {}

  // Queues `job`; `wake` is stored in the entry for the caller (record_waiting() never runs it).
  Added add(ActivationToRecord job, std::function<void()> wake = {});

  // Store thread: records the oldest waiting activations (at most `at_most`, at most
  // kMaxBatch) in one transaction and sets their results (an error for each when recording
  // throws). From its start, the next add() asks for a new drain job.
  Batch record_waiting(Repository& repo, std::size_t at_most = kMaxBatch);

  // When posting the drain job that add() asked for failed: the next add() asks again.
  void drain_not_started();

  // Activations waiting for a commit (for tests).
  [[nodiscard]] std::size_t waiting();
  // Activations ever queued by add(), and ever taken into a batch by record_waiting(): the
  // first `queued()` of that moment are all recorded once `taken()` reaches it (oldest first).
  [[nodiscard]] std::uint64_t queued();
  [[nodiscard]] std::uint64_t taken();

 private:
  core::Histogram* commit_time_;
  BatchHooks hooks_;
  std::mutex mutex_;
  std::deque<std::shared_ptr<Entry>> waiting_;
  bool drain_pending_ = false;  // a drain job is posted and has not started yet
  std::uint64_t queued_ = 0;    // add() calls, ever
  std::uint64_t taken_ = 0;     // entries record_waiting() took, ever
};

}  // namespace aware::store
