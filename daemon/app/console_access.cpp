// console_access.cpp — the Daemon members that apply the access policy to consoles (issue 6):
// admit() at the WebSocket upgrade (the bearer token, then dispatch::bind_feed()), and
// console_may() before every message a console sends is acted on (accept, close, listen-in on
// /ws/meldkamer against the incident's region; acknowledge / resolve on /ws/pac). The user
// travels with the connection (ConsoleSink::principal()), so a message costs no store read;
// the session's end is checked on every message. Every refusal gets an error reply on that
// socket and an audit row (refusal_flow.cpp); it changes nothing.
//
// THREAD SAFETY: everything here runs on the network thread.
#include "app/daemon.hpp"

#include "core/clock.hpp"
#include "core/log.hpp"
#include "dispatch/feed_access.hpp"

namespace aware::app {

netio::awaitable<netio::Admission> Daemon::admit(dispatch::FeedTarget asked,
                                                 std::string authorization) {
  netio::Admission out;
  const auto what = "GET " + dispatch::feed_path(asked.kind);
  auto who = co_await authenticate(std::move(authorization));
  if (!who) {
    out.status = 401;
    out.error = who.error();
    refused({core::now_ms(), std::string(core::kAnonymous), what, out.error});
  } else if (auto bound = dispatch::bind_feed(*who, std::move(asked)); !bound) {
    out.status = 403;
    out.error = bound.error();
    refused({core::now_ms(), who->name, what, out.error});
  } else {
    out.target = std::move(*bound);
    out.principal = std::move(*who);
    co_return out;
  }
  core::log("net")->info("AWR-5005 console upgrade to {} refused ({})", what, out.status);
  co_return out;
}

bool Daemon::console_may(const dispatch::ConsoleSink* console, core::Operation op,
                         const core::Resource& what, const std::string& request,
                         const std::string& target) {
  const auto* who = console->principal();
  auto decision = core::decide_at(who, op, what, core::now_ms());
  if (decision.allowed) {
    return true;
  }
  const auto& reason = decision.reason;
  const auto frame = wire::encode_console_error(request, "refused: " + reason);
  if (console->feed() == dispatch::FeedKind::pac) {
    alerts_.send_to(console, frame);
  } else {
    hub_.send_to(console, frame);
  }
  core::log("dispatch")->info("AWR-4030 console {} on {} refused", request, target);
  refused({core::now_ms(), who != nullptr ? who->name : std::string(core::kAnonymous),
           std::string(core::to_string(op)) + " " + target, reason});
  return false;
}

std::string Daemon::acting_region(const core::Principal& who,
                                  const core::Incident& incident) const {
  const auto& fallback = config_.dispatch.fallback_region;
  if (!who.regions.contains(incident.match.region) && incident.to_fallback && !fallback.empty() &&
      who.regions.contains(fallback)) {
    return fallback;
  }
  return incident.match.region;
}

}  // namespace aware::app
