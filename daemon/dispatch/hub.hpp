// hub.hpp — the dispatch stage: the open incidents and the consoles that watch them.
//
// The hub keeps every open incident in memory (loaded from the store at start-up), sends a
// snapshot to each console that attaches, and one update per change to every attached console.
// Each message is encoded once (without a seq) and shared; each console session stamps its own
// per-connection seq when writing (wire::seq_prefix). A console that cannot keep up (its sink refuses the
// message because its queue is full) is dropped by the hub; it resyncs with a fresh snapshot
// when it reconnects. So a slow console never holds up the others.
//
// A console only gets the incidents of the regions it serves (ConsoleSink::serves): its snapshot
// and its updates both leave the other regions out. An escalated incident (to_fallback) also
// goes to the consoles serving the fallback region (see escalation.hpp).
//
// A proefmelding (priority TEST) never reaches a police console: load() and publish() leave it
// out — unless the test channel is on, and then only to consoles that asked for it (?tests=1).
//
// The hub also decides whether a console's request is allowed (accept / close rules); the
// caller persists an allowed change and then publishes the result.
//
// THREAD SAFETY: none. The hub lives on the network thread; everything else posts to it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/types.hpp"
#include "dispatch/audience.hpp"

namespace aware::dispatch {

class Hub {
 public:
  // The region whose consoles also get escalated incidents ([dispatch] fallback_region).
  void set_fallback_region(std::string region) { fallback_region_ = std::move(region); }
  // The outcomes a close may carry ([dispatch] close_outcomes); every snapshot lists them.
  // With the test channel on ([dispatch] test_channel), proefmeldingen also go to the consoles
  // of their region that asked for them (?tests=1); never to any other console.
  void set_test_channel(bool on) { test_channel_ = on; }
  void set_close_outcomes(std::vector<std::string> outcomes) {
    close_outcomes_ = std::move(outcomes);
  }

  // Replaces the open-incident set (start-up, resync after a store reload); TEST incidents
  // are left out.
  void load(const std::vector<core::Incident>& open);

  // Replaces the open-incident set as load() does and sends every attached console a fresh
  // snapshot of it (a console replaces its view with each snapshot): after shown incidents
  // were withdrawn (a failed commit). Returns the ids still in state `created` on a screen.
  std::vector<std::int64_t> resync(const std::vector<core::Incident>& open, core::TimeMs now);

  // Attaches a console and sends it the snapshot of the open incidents of its regions, oldest
  // first. Returns the ids of those still in state `created`, which are now on a screen.
  std::vector<std::int64_t> attach(const std::shared_ptr<ConsoleSink>& console, core::TimeMs now);
  void detach(const ConsoleSink* console);

  // Records a new or changed incident and sends it to every console serving its region. A
  // closed incident leaves the open set after this last update. Returns true when at least one
  // console got it. A TEST
  // incident is not recorded or sent (returns false).
  bool publish(const core::Incident& incident);

  // Sends one frame to one console (e.g. a ConsoleError).
  void send_to(const ConsoleSink* console, std::string frame);

  // Whether `who` may accept / close incident `id` now; the error text is for the console.
  [[nodiscard]] tl::expected<void, std::string> may_accept(std::int64_t id,
                                                           const std::string& who) const;
  // A close also needs an outcome from the configured list.
  [[nodiscard]] tl::expected<void, std::string> may_close(std::int64_t id, const std::string& who,
                                                          const std::string& outcome) const;

  [[nodiscard]] std::size_t console_count() const { return consoles_.size(); }
  [[nodiscard]] const std::vector<std::string>& close_outcomes() const { return close_outcomes_; }
  [[nodiscard]] std::size_t open_count() const { return open_.size(); }
  // The open incidents by state ([state - 1]: created, delivered, accepted, closed).
  [[nodiscard]] std::array<std::size_t, 4> count_by_state() const;
  [[nodiscard]] const core::Incident* find(std::int64_t id) const;
  // The open incidents, oldest first (a copy).
  [[nodiscard]] std::vector<core::Incident> open_incidents() const;

 private:
  // Whether `console` gets `incident`: its region, or the fallback region once escalated.
  [[nodiscard]] bool wants(const ConsoleSink& console, const core::Incident& incident) const;

  std::map<std::int64_t, core::Incident> open_;            // open incidents by id (= age order)
  Audience consoles_;                                      // attached consoles
  std::string fallback_region_;                            // gets to_fallback incidents too
  std::vector<std::string> close_outcomes_;                // allowed outcomes; empty = any
  bool test_channel_ = false;                              // proefmeldingen to ?tests=1 consoles
};

}  // namespace aware::dispatch
