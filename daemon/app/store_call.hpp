// store_call.hpp — Daemon::on_store() and its helpers: how work reaches the store and index
// threads and resumes the calling coroutine on the network thread. Included by the app/ .cpp
// files that implement Daemon members (daemon.cpp, device_flow.cpp); app-internal.
#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

#include "app/daemon.hpp"
#include "store/repository.hpp"

namespace aware::app {

// The store-thread half of on_store(). A plain function coroutine, so `fn` lives in its frame.
// (GCC 12 mis-destroys init-captures of coroutine lambdas, so none are used here.)
template <typename R, typename Fn>
netio::awaitable<R> call_on_store(store::Repository* repo, Fn fn) {
  co_return fn(*repo);
}

// Counts a store job in the awared_store_jobs gauge for as long as it lives.
class StoreJobCount {
 public:
  explicit StoreJobCount(std::atomic<std::int64_t>& jobs) : jobs_{jobs} {
    jobs_.fetch_add(1, std::memory_order_relaxed);
  }
  ~StoreJobCount() { jobs_.fetch_sub(1, std::memory_order_relaxed); }
  StoreJobCount(const StoreJobCount&) = delete;
  StoreJobCount& operator=(const StoreJobCount&) = delete;

 private:
  std::atomic<std::int64_t>& jobs_;
};

// The index-thread half of index_at_least().
template <typename R, typename Fn>
netio::awaitable<R> call_plain(Fn fn) {
  co_return fn();
}

template <typename Fn>
auto Daemon::on_store(Fn fn) -> netio::awaitable<decltype(fn(std::declval<store::Repository&>()))> {
  using R = decltype(fn(std::declval<store::Repository&>()));
  // After every activation queued before it, before those queued after it
  // (record_waiting_first).
  auto after_waiting = [this, ticket = activations_queued(),
                        fn = std::move(fn)](store::Repository& r) mutable {
    if (ticket > 0) {
      record_waiting_first(ticket);
    }
    return fn(r);
  };
  auto task = call_on_store<R>(repo_.get(), std::move(after_waiting));
  const StoreJobCount counted{metrics_.store_jobs};  // awared_store_jobs while it waits or runs
  co_return co_await net::co_spawn(store_pool_, std::move(task), netio::use_awaitable);
}

}  // namespace aware::app
