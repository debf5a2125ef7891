// feeds.hpp — the PAC operator's alert feed (/ws/pac) and the case workers' notice feed
// (/ws/hulpverlener), beside the police consoles' hub (hub.hpp), and which feed a WebSocket URL
// asks for.
//
// AlertFeed keeps every unresolved alert in memory (loaded from the store at start-up), sends a
// snapshot to each PAC console that attaches, then one update per change; a resolved alert is
// sent once more and leaves the queue. It also decides whether an operator's request is
// allowed; the caller persists it and publishes the result.
//
// NoticeFeed sends each notice to the case-worker consoles that follow its client (by case
// worker name or client id, from the URL). A console that names ?since=ID first gets the stored
// notices it missed; while they are read from the store it is "pending": notices published
// meanwhile are held for it and sent after the backlog, so none is lost or doubled.
//
// Pure: no I/O. THREAD SAFETY: none; the network thread owns both.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/alert.hpp"
#include "dispatch/audience.hpp"
#include "dispatch/region_filter.hpp"

namespace aware::dispatch {

// What a console's WebSocket URL asks for.
struct FeedTarget {
  FeedKind kind = FeedKind::meldkamer;
  RegionFilter regions;                                 // meldkamer: ?regions=a,b
  bool tests = false;                                   // meldkamer: ?tests=1 (test channel)
  std::set<std::string, std::less<>> case_workers;      // hulpverlener: ?case_worker= (repeatable)
  std::set<std::string, std::less<>> clients;           // hulpverlener: ?client= (repeatable)
  bool own_clients = false;                             // hulpverlener: ?own=1, every client of
                                                        // the signed-in user (bind_feed adds
                                                        // them; no URL length limit)
  std::optional<std::int64_t> since;                    // hulpverlener: ?since=ID, replay after ID
  // hulpverlener: the signed-in user's own clients (feed_access.hpp); nothing outside them is
  // followed, whatever the URL names. nullopt = not bound to a user (unit tests of the feed).
  std::optional<std::set<std::string, std::less<>>> scope;

  // Whether a case-worker console with this target gets `notice`.
  [[nodiscard]] bool follows(const core::Notice& notice) const;
};

// Most case workers or clients one console may name, and the longest value.
inline constexpr std::size_t max_feed_names = 64;
inline constexpr std::size_t max_feed_name_bytes = 128;

// Parses a WebSocket request target: /ws/meldkamer (see parse_console_target; ?tests=1 asks for
// the test channel), /ws/pac (no
// parameters), /ws/hulpverlener (own=1, or at least one case_worker or client — a case worker
// sees only the clients they follow; values percent-decoded). nullopt when the path is none of these;
// an error text when the parameters are wrong. Never throws.
std::optional<tl::expected<FeedTarget, std::string>> parse_feed_target(std::string_view target);

class AlertFeed {
 public:
  // Replaces the unresolved set (start-up).
  void load(const std::vector<core::Alert>& unresolved);

  // Attaches a PAC console and sends it the snapshot, oldest first. False when it refused it.
  bool attach(const std::shared_ptr<ConsoleSink>& console, core::TimeMs now);
  void detach(const ConsoleSink* console) { consoles_.remove(console); }

  // Records a new or changed alert and sends it to every PAC console.
  void publish(const core::Alert& alert);
  void send_to(const ConsoleSink* console, std::string frame);

  // Whether an operator may acknowledge / resolve alert `id` now; the error is for the console.
  [[nodiscard]] tl::expected<void, std::string> may_acknowledge(std::int64_t id) const;
  [[nodiscard]] tl::expected<void, std::string> may_resolve(std::int64_t id) const;

  [[nodiscard]] const core::Alert* find(std::int64_t id) const;
  [[nodiscard]] std::size_t open_count() const { return open_.size(); }
  [[nodiscard]] std::size_t console_count() const { return consoles_.size(); }

 private:
  std::map<std::int64_t, core::Alert> open_;   // unresolved alerts by id (= age order)
  Audience consoles_;
};

class NoticeFeed {
 public:
  // The console is waiting for its backlog: notices published from now on are held for it.
  void begin_attach(const std::shared_ptr<ConsoleSink>& console);
  // Sends `backlog` (from the store, oldest first), then what was held, and attaches the
  // console. False when it refused. Without begin_attach it simply attaches.
  bool finish_attach(const std::shared_ptr<ConsoleSink>& console,
                     std::vector<core::Notice> backlog, core::TimeMs now);
  void detach(const ConsoleSink* console);

  // Sends `notice` to every console that follows its client. Returns how many got it.
  std::size_t publish(const core::Notice& notice);

  [[nodiscard]] std::size_t console_count() const { return consoles_.size(); }

 private:
  Audience consoles_;
  std::map<const ConsoleSink*, std::vector<core::Notice>> pending_;   // held while attaching
};

}  // namespace aware::dispatch
