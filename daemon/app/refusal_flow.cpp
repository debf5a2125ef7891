// refusal_flow.cpp — the Daemon members for sessions and refused requests (issue 6): who a
// bearer token belongs to, and the audit rows of every 401 / 403 (REST, WebSocket upgrade,
// WebSocket message) and of every refused TLS connection (device and meldkamer port; 10 in each
// 10 minutes one by one, the rest of a scan counted in one row). Refusals are queued on the
// network thread (core::RefusalQueue) and written in one transaction at most every second
// (sooner when 100 are waiting), so a flood of bad requests costs the store thread — which
// also commits activations — one short transaction a second, not one per request.
//
// THREAD SAFETY: everything here runs on the network thread; the store is reached through
// on_store().
#include "app/daemon.hpp"
#include "app/store_call.hpp"

#include "auth/password.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "store/repository.hpp"

namespace aware::app {
namespace {

// Monotonic milliseconds, for the flush interval (the wall clock may jump).
std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

netio::awaitable<tl::expected<core::Principal, std::string>> Daemon::authenticate(
    std::string authorization) {
  const auto token = auth::bearer_token(authorization);
  if (token.empty()) {
    co_return tl::make_unexpected(std::string("log in first: Authorization: Bearer TOKEN"));
  }
  const auto digest = auth::token_digest(token);
  auto job = [digest](store::Repository& r) { return r.session_user(digest, core::now_ms()); };
  auto found = co_await on_store(std::move(job));
  if (!found) {
    core::log("store")->error("AWR-6004 cannot read sessions: {}", found.error().message);
    co_return tl::make_unexpected(std::string("sessions cannot be read now; try again"));
  }
  if (!*found) {
    co_return tl::make_unexpected(std::string("the session is unknown, expired or ended"));
  }
  auto who = (*found)->principal();
  who.session = digest;
  co_return who;
}

void Daemon::refused(core::Refusal refusal) {
  const bool was_empty = refusals_.empty();
  if (refusals_.push(std::move(refusal)) || was_empty) {
    refusal_timer_.cancel();  // re-plan: a first refusal or a full batch
  }
}

void Daemon::tls_refused(std::string_view listener, const std::string& peer,
                         const std::string& subject, const std::string& why) {
  if (stopping_) {
    return;  // the last batch is written; the log line (AWR-2010, AWR-5006) stands
  }
  core::Refusal refusal{
      core::now_ms(), subject.empty() ? std::string(core::kAnonymous) : "device:" + subject,
      "TLS connection to the " + std::string(listener) + " port from " + peer, why};
  for (auto& r : tls_refusals_.admit(std::move(refusal), steady_ms())) {
    refused(std::move(r));
  }
}

netio::awaitable<void> Daemon::flush_refusals() { co_await write_refusals(); }

netio::awaitable<void> Daemon::write_refusals() {
  auto batch = refusals_.take(steady_ms(), core::now_ms());
  if (batch.empty()) {
    co_return;
  }
  auto job = [batch = std::move(batch)](store::Repository& r) {
    return r.append_audit_batch(batch);
  };
  auto written = co_await on_store(std::move(job));
  if (!written) {
    core::log("store")->error("AWR-6012 cannot write the audit rows of refused requests: {}",
                              written.error().message);
  }
}

netio::awaitable<void> Daemon::refusal_loop() {
  while (!stopping_) {
    const auto now = steady_ms();
    if (refusals_.due(now)) {
      co_await write_refusals();
      continue;
    }
    if (refusals_.empty()) {
      refusal_timer_.expires_at(net::steady_timer::time_point::max());
    } else {
      refusal_timer_.expires_after(std::chrono::milliseconds(refusals_.due_at() - now));
    }
    boost::system::error_code ec;
    co_await refusal_timer_.async_wait(net::redirect_error(netio::use_awaitable, ec));
  }
  if (auto count = tls_refusals_.finish()) {
    refused(std::move(*count));  // the refused TLS connections only counted so far
  }
  co_await write_refusals();  // what came in before the stop is still audited
}

}  // namespace aware::app
