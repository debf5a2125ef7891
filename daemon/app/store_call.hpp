// store_call.hpp — Daemon::on_store() and its helpers: how work reaches the store and index
// threads and resumes the calling coroutine on the network thread. Included by the app/ .cpp
// files that implement Daemon members (daemon.cpp, device_flow.cpp); app-internal.
#pragma once

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

// The index-thread half of index_at_least().
template <typename R, typename Fn>
netio::awaitable<R> call_plain(Fn fn) {
  co_return fn();
}

template <typename Fn>
auto Daemon::on_store(Fn fn) -> netio::awaitable<decltype(fn(std::declval<store::Repository&>()))> {
  using R = decltype(fn(std::declval<store::Repository&>()));
  auto task = call_on_store<R>(repo_.get(), std::move(fn));
  co_return co_await net::co_spawn(store_pool_, std::move(task), netio::use_awaitable);
}

}  // namespace aware::app
