// feed_flow.cpp — the Daemon members for the two feeds beside the police consoles: the PAC
// operator's alert queue (/ws/pac: escalations, proefmeldingen; acknowledge and resolve) and
// the case workers' notices (/ws/hulpverlener with an optional ?since= backlog, and the
// optional webhook). Alerts and notices are written by the store in the same transaction as
// the change they report; these members only publish what was stored.
//
// THREAD SAFETY: everything here runs on the network thread; the store is reached through
// on_store().
#include "app/daemon.hpp"
#include "app/store_call.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "net/http_post.hpp"

namespace aware::app {
namespace {

constexpr std::size_t kWebhookBatch = 32;
constexpr std::chrono::seconds kWebhookFirstRetry{1};
constexpr std::chrono::seconds kWebhookMaxRetry{60};

// A webhook answer the receiver will never change its mind about (retrying cannot help).
bool permanent_refusal(int status) {
  return status >= 400 && status < 500 && status != 408 && status != 429;
}

}  // namespace

void Daemon::publish_effects(const std::vector<core::Alert>& alerts,
                             const std::optional<core::Notice>& notice) {
  for (const auto& a : alerts) {
    alerts_.publish(a);
    core::log("dispatch")->info("AWR-4020 alert {} {} ({}) {}", a.id, a.kind,
                                a.incident_id ? core::incident_label(*a.incident_id) : a.subject,
                                a.state == core::AlertState::resolved ? "resolved" : "raised");
  }
  if (notice) {
    notices_.publish(*notice);
    webhook_dirty_ = true;
    webhook_timer_.cancel();
  }
}

netio::awaitable<void> Daemon::attach_notices(std::shared_ptr<dispatch::ConsoleSink> console) {
  const auto* target = console->target();
  if (target == nullptr || !target->since) {
    notices_.finish_attach(console, {}, core::now_ms());
    co_return;
  }
  notices_.begin_attach(console);
  auto job = [filter = *target, limit = config_.notify.replay_max](store::Repository& r) {
    auto wanted = [&filter](const core::Notice& n) { return filter.follows(n); };
    return r.notices_after(*filter.since, limit, wanted);
  };
  auto backlog = co_await on_store(std::move(job));
  if (!backlog) {
    core::log("store")->error("AWR-3006 cannot read notices for a case-worker console: {}",
                              backlog.error().message);
    notices_.detach(console.get());
    console->close();
    co_return;
  }
  notices_.finish_attach(console, std::move(*backlog), core::now_ms());
}

void Daemon::pac_request(const dispatch::ConsoleSink* console, std::string_view text) {
  auto req = wire::decode_pac_request(text);
  if (!req) {
    alerts_.send_to(console, wire::encode_console_error("parse", req.error()));
    return;
  }
  net::co_spawn(io_, apply_pac(console, std::move(*req)), net::detached);
}

netio::awaitable<void> Daemon::apply_pac(const dispatch::ConsoleSink* console,
                                         wire::PacRequest req) {
  const bool acknowledge = std::holds_alternative<wire::AcknowledgeAlertRequest>(req);
  const char* kind = acknowledge ? "acknowledge" : "resolve";
  const auto id = acknowledge ? std::get<wire::AcknowledgeAlertRequest>(req).alert_id
                              : std::get<wire::ResolveAlertRequest>(req).alert_id;
  if (!console_may(console, core::Operation::alerts_change, {}, kind,
                   "alert:" + std::to_string(id))) {
    co_return;
  }
  // The session's user acts, whatever operator name the console sent.
  const std::string who = console->principal()->name;
  auto allowed = acknowledge ? alerts_.may_acknowledge(id) : alerts_.may_resolve(id);
  if (!allowed) {
    alerts_.send_to(console, wire::encode_console_error(kind, allowed.error()));
    co_return;
  }
  auto job = [acknowledge, id, who](store::Repository& r) {
    return acknowledge ? r.acknowledge_alert(id, who, core::now_ms())
                       : r.resolve_alert(id, who, core::now_ms());
  };
  auto done = co_await on_store(std::move(job));
  if (!done || !*done) {
    alerts_.send_to(console, wire::encode_console_error(
                                 kind, done ? "alert " + std::to_string(id) + " does not exist"
                                            : "not stored: " + done.error().message));
    co_return;
  }
  const auto& change = **done;
  if (!change.applied) {
    alerts_.send_to(console, wire::encode_console_error(
                                 kind, "alert " + std::to_string(id) + " changed meanwhile"));
  } else {
    core::log("dispatch")->info("AWR-4023 alert {} {} {} by {}", id, change.alert.kind,
                                acknowledge ? "acknowledged" : "resolved", who);
  }
  alerts_.publish(change.alert);
}

netio::awaitable<void> Daemon::webhook_loop() {
  auto url = core::parse_http_url(config_.notify.webhook_url);  // checked when the config loaded
  if (!url) {
    co_return;
  }
  auto log = core::log("notify");
  auto retry = kWebhookFirstRetry;
  webhook_dirty_ = true;  // notices stored before a restart may still be pending
  while (!stopping_) {
    if (!webhook_dirty_) {
      webhook_timer_.expires_at(net::steady_timer::time_point::max());
      boost::system::error_code ec;
      co_await webhook_timer_.async_wait(net::redirect_error(netio::use_awaitable, ec));
      continue;  // woken by a new notice (or stopping)
    }
    webhook_dirty_ = false;
    auto job = [](store::Repository& r) { return r.webhook_pending(kWebhookBatch); };
    auto pending = co_await on_store(std::move(job));
    bool failed = !pending;
    if (pending) {
      for (const auto& n : *pending) {
        auto status = co_await netio::http_post(*url, webhook_tls_.get(),
                                                wire::encode_notice_body(n),
                                                config_.notify.webhook_timeout);
        if (status && permanent_refusal(*status)) {
          log->error("AWR-4022 webhook refused notice {} with HTTP {}: not sent again", n.id,
                     *status);
        } else if (!status || *status < 200 || *status >= 300) {
          log->warn("AWR-4021 webhook did not take notice {} ({}); retrying in {} s", n.id,
                    status ? "HTTP " + std::to_string(*status) : status.error(), retry.count());
          failed = true;
          break;
        }
        auto mark = [id = n.id](store::Repository& r) {
          return r.mark_webhook_sent(id, core::now_ms());
        };
        auto marked = co_await on_store(std::move(mark));
        if (!marked) {
          failed = true;
          break;
        }
      }
      if (!failed && pending->size() == kWebhookBatch) {
        webhook_dirty_ = true;  // there may be more
      }
    }
    if (!failed) {
      retry = kWebhookFirstRetry;
      continue;
    }
    // Back off; a new notice does not cut the wait short.
    webhook_dirty_ = true;
    const auto until = std::chrono::steady_clock::now() + retry;
    while (!stopping_ && std::chrono::steady_clock::now() < until) {
      webhook_timer_.expires_at(until);
      boost::system::error_code ec;
      co_await webhook_timer_.async_wait(net::redirect_error(netio::use_awaitable, ec));
    }
    retry = std::min(retry * 2, kWebhookMaxRetry);
  }
}

}  // namespace aware::app
