// audience.hpp — the consoles attached to one feed, and fan-out to them.
//
// Every feed (the meldkamer hub, the PAC operator's alerts, the case workers' notices) keeps
// its attached consoles in an Audience. A message is encoded once and the same shared frame is
// queued on every console that wants it; a console whose queue is full (it refuses the frame)
// is removed and closed at once, so a slow console never holds up the others. It resyncs when
// it reconnects.
//
// Pure: no I/O (the sinks queue). THREAD SAFETY: none; the network thread owns it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace aware::core {
struct Notice;
struct Principal;
}

namespace aware::dispatch {

struct FeedTarget;

// Which feed a console subscribed to, from the path of its WebSocket URL.
enum class FeedKind {
  meldkamer,     // /ws/meldkamer: police centralists, incidents of their regions
  pac,           // /ws/pac: the PAC operator's alert queue
  hulpverlener,  // /ws/hulpverlener: case workers, notices about their clients
};

// A connected console as the feeds see it. Implemented by net/console_session.
class ConsoleSink {
 public:
  virtual ~ConsoleSink() = default;
  // Queues one text frame. Returns false when the console is too far behind; the feed then
  // detaches it and the sink must close its connection.
  virtual bool deliver(std::shared_ptr<const std::string> frame) = 0;
  // Ends the connection (called by a feed on a console it dropped).
  virtual void close() = 0;
  // The feed this console subscribed to.
  [[nodiscard]] virtual FeedKind feed() const { return FeedKind::meldkamer; }
  // Meldkamer feed: whether this console serves `region` (see region_filter.hpp).
  [[nodiscard]] virtual bool serves(std::string_view region) const {
    (void)region;
    return true;
  }
  // Meldkamer feed: whether this console asked for the test channel (?tests=1).
  [[nodiscard]] virtual bool wants_tests() const { return false; }
  // What the console's URL asked for (feed, regions, followed clients, ?since=); nullptr when
  // the sink has no URL (tests).
  [[nodiscard]] virtual const FeedTarget* target() const { return nullptr; }
  // The signed-in user of this console (kept from the upgrade, so per-message access checks
  // need no store); nullptr when the sink has none (tests).
  [[nodiscard]] virtual const core::Principal* principal() const { return nullptr; }
  // Frames queued and not yet written (GET /metrics).
  [[nodiscard]] virtual std::size_t queued() const { return 0; }
  // Case-worker feed: whether this console follows the client of `notice`.
  [[nodiscard]] virtual bool follows(const core::Notice& notice) const {
    (void)notice;
    return false;
  }
};

class Audience {
 public:
  using Frame = std::shared_ptr<const std::string>;

  // Sends `first` (a snapshot) to `console`, then keeps it. False (and the console closed)
  // when it refused even that.
  bool add(const std::shared_ptr<ConsoleSink>& console, Frame first);
  void remove(const ConsoleSink* console);

  // Queues `frame` on every console for which wants(console) holds, dropping those that refuse
  // it. Returns how many got it.
  template <typename Wants>
  std::size_t broadcast(const Frame& frame, Wants&& wants) {
    std::size_t delivered = 0;
    std::vector<std::shared_ptr<ConsoleSink>> dropped;
    for (const auto& c : members_) {
      if (!wants(*c)) {
        continue;
      }
      if (c->deliver(frame)) {
        ++delivered;
      } else {
        dropped.push_back(c);
      }
    }
    for (const auto& c : dropped) {
      drop(c);
    }
    return delivered;
  }

  // Queues `frame` on one console (e.g. an error reply), dropping it when it refuses.
  void send_to(const ConsoleSink* console, Frame frame);

  [[nodiscard]] std::size_t size() const { return members_.size(); }
  // The attached consoles (a copy: the caller may remove and re-add them).
  [[nodiscard]] std::vector<std::shared_ptr<ConsoleSink>> members() const { return members_; }

 private:
  void drop(const std::shared_ptr<ConsoleSink>& console);

  std::vector<std::shared_ptr<ConsoleSink>> members_;
};

}  // namespace aware::dispatch
