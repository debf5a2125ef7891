// console_flow.cpp — the Daemon members that carry out a meldkamer console's requests (issue 4,
// issue 7): accept, close, meeluisteren and notes. Each request is decoded by
// wire::decode_console_request() (sans-I/O), authorised against the console's signed-in user
// (console_may(), core::decide()), stored on the store thread, and the incident as it now is
// is pushed to every console of its region through the hub. The signed-in user acts and is
// recorded, whatever name the console sent.
//
// THREAD SAFETY: everything here runs on the network thread; the store is reached through
// on_store().
#include "app/daemon.hpp"
#include "app/store_call.hpp"

#include "core/clock.hpp"
#include "core/incident_note.hpp"
#include "core/log.hpp"
#include "device.pb.h"
#include "store/repository.hpp"

namespace aware::app {

void Daemon::request(const dispatch::ConsoleSink* console, std::string text) {
  if (console->feed() == dispatch::FeedKind::pac) {
    pac_request(console, text);
    return;
  }
  if (console->feed() == dispatch::FeedKind::hulpverlener) {
    return;  // the notice feed is one-way; whatever a case-worker console sends is ignored
  }
  auto req = wire::decode_console_request(text);
  if (!req) {
    hub_.send_to(console, wire::encode_console_error("parse", req.error()));
    return;
  }
  net::co_spawn(io_, apply(console, std::move(*req)), net::detached);
}

netio::awaitable<void> Daemon::apply(const dispatch::ConsoleSink* console, wire::ConsoleRequest req) {
  if (auto* listen = std::get_if<wire::ListenInRequest>(&req)) {
    co_await listen_in(console, std::move(*listen));
    co_return;
  }
  if (auto* note = std::get_if<wire::AddNoteRequest>(&req)) {
    co_await add_note(console, std::move(*note));
    co_return;
  }
  const bool is_accept = std::holds_alternative<wire::AcceptRequest>(req);
  const char* kind = is_accept ? "accept" : "close";
  const auto id = is_accept ? std::get<wire::AcceptRequest>(req).incident_id
                            : std::get<wire::CloseRequest>(req).incident_id;
  auto& who = is_accept ? std::get<wire::AcceptRequest>(req).centralist
                        : std::get<wire::CloseRequest>(req).centralist;
  // An incident that is not open is refused below by the hub ("is not open").
  const auto* user = console->principal();
  if (const auto* inc = hub_.find(id); inc != nullptr || user == nullptr) {
    core::Resource what;
    what.region = inc != nullptr && user != nullptr ? acting_region(*user, *inc) : "";
    const auto op = is_accept ? core::Operation::incident_accept : core::Operation::incident_close;
    if (!console_may(console, op, what, kind, "incident:" + core::incident_label(id))) {
      co_return;
    }
  }
  who = user->name;  // the session's user acts, whatever name the console sent
  auto allowed = is_accept ? hub_.may_accept(id, who)
                           : hub_.may_close(id, who, std::get<wire::CloseRequest>(req).outcome);
  if (!allowed) {
    hub_.send_to(console, wire::encode_console_error(kind, allowed.error()));
    co_return;
  }
  auto job = [req = std::move(req)](store::Repository& r) {
    if (const auto* a = std::get_if<wire::AcceptRequest>(&req)) {
      return r.accept(a->incident_id, a->centralist, core::now_ms());
    }
    const auto& c = std::get<wire::CloseRequest>(req);
    return r.close(c.incident_id, c.centralist, c.outcome, c.note, core::now_ms());
  };
  auto done = co_await on_store(std::move(job));
  if (!done) {
    hub_.send_to(console, wire::encode_console_error(kind, "not stored: " + done.error().message));
    co_return;
  }
  if (!done->applied) {
    // Someone else got there first: tell this console, and give everyone the current state.
    hub_.send_to(console, wire::encode_console_error(
                              kind, core::incident_label(id) + " changed meanwhile (now " +
                                        std::string(core::to_string(done->incident.state)) +
                                        (done->incident.accepted_by.empty()
                                             ? ""
                                             : " by " + done->incident.accepted_by) + ")"));
  }
  hub_.publish(done->incident);
  publish_effects(done->alerts, done->notice);
  if (done->applied && done->incident.state == core::IncidentState::closed) {
    stop_device(done->incident);
  }
}

const core::Incident* Daemon::open_incident_for(const dispatch::ConsoleSink* console,
                                                core::Operation op, const std::string& request,
                                                std::int64_t id) {
  const auto* inc = hub_.find(id);
  if (inc == nullptr) {
    hub_.send_to(console,
                 wire::encode_console_error(request, core::incident_label(id) + " is not open"));
    return nullptr;
  }
  core::Resource what;
  const auto* user = console->principal();
  what.region = user != nullptr ? acting_region(*user, *inc) : inc->match.region;
  if (!console_may(console, op, what, request, "incident:" + core::incident_label(id))) {
    return nullptr;
  }
  return inc;
}

netio::awaitable<void> Daemon::listen_in(const dispatch::ConsoleSink* console,
                                         wire::ListenInRequest req) {
  const auto id = req.incident_id;
  const auto* user = console->principal();
  if (open_incident_for(console, core::Operation::incident_listen_in, "listenIn", id) ==
      nullptr) {
    co_return;
  }
  req.centralist = user->name;  // the session's user listens in, whatever name was sent
  // The event and its audit row (incident.listen_in) commit before the channel opens.
  auto job = [req = std::move(req)](store::Repository& r) {
    return r.record_listen_in(req.incident_id, req.centralist, core::now_ms());
  };
  auto done = co_await on_store(std::move(job));
  if (!done || !done->applied) {
    hub_.send_to(console, wire::encode_console_error(
                              "listenIn", done ? core::incident_label(id) + " is not open"
                                               : "not stored: " + done.error().message));
    co_return;
  }
  core::log("dispatch")->info("AWR-4011 meeluisteren on {} recorded",
                              core::incident_label(id));
  hub_.publish(done->incident);  // every centralist of the region sees who listens in
  send_command(done->incident.key.device_id, v1::COMMAND_KIND_OPEN_LISTEN_IN, done->incident);
}

netio::awaitable<void> Daemon::add_note(const dispatch::ConsoleSink* console,
                                        wire::AddNoteRequest req) {
  const auto id = req.incident_id;
  const auto* user = console->principal();
  const auto* inc = open_incident_for(console, core::Operation::incident_note, "addNote", id);
  if (inc == nullptr) {
    co_return;
  }
  const auto full = core::incident_label(id) + " has " +
                    std::to_string(core::kMaxNotesPerIncident) +
                    " notes already, the most it holds";
  if (inc->notes.size() >= core::kMaxNotesPerIncident) {
    hub_.send_to(console, wire::encode_console_error("addNote", full));
    co_return;
  }
  auto job = [req = std::move(req), author = user->name](store::Repository& r) {
    return r.add_note(req.incident_id, author, req.text, core::now_ms());
  };
  auto done = co_await on_store(std::move(job));
  if (!done || !done->applied) {
    const bool open = done && done->incident.state != core::IncidentState::closed;
    hub_.send_to(console, wire::encode_console_error(
                              "addNote", !done ? "not stored: " + done.error().message
                                         : open ? full
                                                : core::incident_label(id) + " is not open"));
    co_return;
  }
  core::log("dispatch")->info("AWR-5040 note on {} stored", core::incident_label(id));
  hub_.publish(done->incident);
}

}  // namespace aware::app
