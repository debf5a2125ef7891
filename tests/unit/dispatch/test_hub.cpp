// test_hub.cpp — unit tests for dispatch::Hub, the open-incident set and console fan-out.
// A FakeConsole (fake_console.hpp) records every frame and can be told to refuse, so the tests
// check the snapshot on attach (and which ids come back as still NEW), updates to every
// console, dropping and closing a console that refuses while the others still receive, closed
// incidents leaving the open set, and the accept / close rules. Frames are parsed back as
// aware.v1.ConsoleFeed JSON.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "dispatch/hub.hpp"
#include "fake_console.hpp"
#include "meldkamer.pb.h"

namespace core = aware::core;
namespace v1 = aware::v1;
using aware::dispatch::Hub;
using aware::testing::FakeConsole;

namespace {

v1::ConsoleFeed parse(const std::shared_ptr<const std::string>& frame) {
  REQUIRE(frame != nullptr);
  v1::ConsoleFeed feed;
  REQUIRE(google::protobuf::util::JsonStringToMessage(*frame, &feed).ok());
  return feed;
}

core::Incident incident(std::int64_t id, core::IncidentState state, std::string accepted_by = {}) {
  core::Incident inc;
  inc.id = id;
  inc.state = state;
  inc.received_ms = 1000 * id;
  inc.key = {"XM-" + std::to_string(id), 1, static_cast<std::uint64_t>(id)};
  inc.match.region = "landelijk";
  inc.accepted_by = std::move(accepted_by);
  return inc;
}

}  // namespace

TEST_CASE("attach sends one snapshot of the loaded open incidents, oldest first", "[dispatch]") {
  Hub hub;
  hub.load({incident(3, core::IncidentState::accepted, "a"),
            incident(1, core::IncidentState::created),
            incident(2, core::IncidentState::delivered),
            incident(4, core::IncidentState::closed)});
  CHECK(hub.open_count() == 3);
  auto console = std::make_shared<FakeConsole>();
  const auto fresh = hub.attach(console, 777);
  CHECK(fresh == std::vector<std::int64_t>{1});
  CHECK(hub.console_count() == 1);
  REQUIRE(console->frames.size() == 1);
  const auto feed = parse(console->frames[0]);
  REQUIRE(feed.has_snapshot());
  CHECK(feed.snapshot().server_time_ms() == 777);
  REQUIRE(feed.snapshot().incidents_size() == 3);
  CHECK(feed.snapshot().incidents(0).id() == "M-000001");
  CHECK(feed.snapshot().incidents(1).id() == "M-000002");
  CHECK(feed.snapshot().incidents(2).id() == "M-000003");
  CHECK(feed.snapshot().incidents(2).accepted_by() == "a");
}

TEST_CASE("attach to an empty hub sends an empty snapshot and returns no ids", "[dispatch]") {
  Hub hub;
  auto console = std::make_shared<FakeConsole>();
  CHECK(hub.attach(console, 1).empty());
  REQUIRE(console->frames.size() == 1);
  const auto feed = parse(console->frames[0]);
  REQUIRE(feed.has_snapshot());
  CHECK(feed.snapshot().incidents_size() == 0);
}

TEST_CASE("attach of a console that refuses the snapshot closes it and does not keep it",
          "[dispatch]") {
  Hub hub;
  hub.load({incident(1, core::IncidentState::created)});
  auto console = std::make_shared<FakeConsole>();
  console->refuse = true;
  CHECK(hub.attach(console, 1).empty());
  CHECK(console->closed == 1);
  CHECK(hub.console_count() == 0);
}

TEST_CASE("load replaces the open set", "[dispatch]") {
  Hub hub;
  hub.load({incident(1, core::IncidentState::created), incident(2, core::IncidentState::created)});
  hub.load({incident(5, core::IncidentState::delivered)});
  CHECK(hub.open_count() == 1);
  CHECK(hub.find(1) == nullptr);
  REQUIRE(hub.find(5) != nullptr);
  CHECK(hub.find(5)->state == core::IncidentState::delivered);
}

TEST_CASE("publish sends the same update to every console and reports delivery",
          "[dispatch]") {
  Hub hub;
  CHECK_FALSE(hub.publish(incident(1, core::IncidentState::created)));  // nobody watching
  CHECK(hub.open_count() == 1);

  auto a = std::make_shared<FakeConsole>();
  auto b = std::make_shared<FakeConsole>();
  hub.attach(a, 0);
  hub.attach(b, 0);
  CHECK(hub.publish(incident(2, core::IncidentState::created)));
  REQUIRE(a->frames.size() == 2);
  REQUIRE(b->frames.size() == 2);
  CHECK(a->frames[1] == b->frames[1]);  // encoded once, shared
  const auto feed = parse(a->frames[1]);
  REQUIRE(feed.has_update());
  CHECK(feed.update().incident().id() == "M-000002");
  CHECK(feed.update().incident().state() == v1::INCIDENT_STATE_NEW);
  CHECK(hub.open_count() == 2);
}

TEST_CASE("publish of a changed incident replaces the stored copy", "[dispatch]") {
  Hub hub;
  hub.publish(incident(1, core::IncidentState::created));
  hub.publish(incident(1, core::IncidentState::accepted, "jan"));
  CHECK(hub.open_count() == 1);
  REQUIRE(hub.find(1) != nullptr);
  CHECK(hub.find(1)->state == core::IncidentState::accepted);
  CHECK(hub.find(1)->accepted_by == "jan");
}

TEST_CASE("a console that refuses an update is detached and closed while others still receive",
          "[dispatch]") {
  Hub hub;
  auto slow = std::make_shared<FakeConsole>();
  auto fast = std::make_shared<FakeConsole>();
  hub.attach(slow, 0);
  hub.attach(fast, 0);
  slow->refuse = true;
  CHECK(hub.publish(incident(1, core::IncidentState::created)));
  CHECK(slow->closed == 1);
  CHECK(fast->closed == 0);
  CHECK(hub.console_count() == 1);
  REQUIRE(fast->frames.size() == 2);

  slow->refuse = false;
  CHECK(hub.publish(incident(2, core::IncidentState::created)));
  CHECK(slow->frames.size() == 1);  // only its snapshot: it is no longer attached
  CHECK(fast->frames.size() == 3);
  CHECK(slow->closed == 1);
}

TEST_CASE("publish returns false when the only console refuses", "[dispatch]") {
  Hub hub;
  auto only = std::make_shared<FakeConsole>();
  hub.attach(only, 0);
  only->refuse = true;
  CHECK_FALSE(hub.publish(incident(1, core::IncidentState::created)));
  CHECK(only->closed == 1);
  CHECK(hub.console_count() == 0);
  CHECK(hub.open_count() == 1);  // the incident stays open for the next console
}

TEST_CASE("detach stops updates to that console without closing it", "[dispatch]") {
  Hub hub;
  auto a = std::make_shared<FakeConsole>();
  hub.attach(a, 0);
  hub.detach(a.get());
  CHECK(hub.console_count() == 0);
  hub.publish(incident(1, core::IncidentState::created));
  CHECK(a->frames.size() == 1);
  CHECK(a->closed == 0);
}

TEST_CASE("a closed incident is sent once more and then leaves the open set", "[dispatch]") {
  Hub hub;
  auto a = std::make_shared<FakeConsole>();
  hub.attach(a, 0);
  hub.publish(incident(1, core::IncidentState::accepted, "jan"));
  CHECK(hub.open_count() == 1);
  auto closed = incident(1, core::IncidentState::closed, "jan");
  closed.outcome = "vals alarm";
  CHECK(hub.publish(closed));
  CHECK(hub.open_count() == 0);
  CHECK(hub.find(1) == nullptr);
  const auto feed = parse(a->frames.back());
  REQUIRE(feed.has_update());
  CHECK(feed.update().incident().state() == v1::INCIDENT_STATE_CLOSED);
  CHECK(feed.update().incident().outcome() == "vals alarm");
  auto late = std::make_shared<FakeConsole>();
  hub.attach(late, 0);
  CHECK(parse(late->frames[0]).snapshot().incidents_size() == 0);
}

TEST_CASE("send_to delivers to one console and drops it if it refuses", "[dispatch]") {
  Hub hub;
  auto a = std::make_shared<FakeConsole>();
  auto b = std::make_shared<FakeConsole>();
  hub.attach(a, 0);
  hub.attach(b, 0);
  hub.send_to(a.get(), "{\"error\":{\"request\":\"accept\",\"text\":\"no\"}}");
  REQUIRE(a->frames.size() == 2);
  CHECK(b->frames.size() == 1);
  CHECK(parse(a->frames[1]).error().text() == "no");
  b->refuse = true;
  hub.send_to(b.get(), "{}");
  CHECK(b->closed == 1);
  CHECK(hub.console_count() == 1);
  FakeConsole stranger;
  hub.send_to(&stranger, "{}");  // not attached: ignored
  CHECK(stranger.frames.empty());
}

TEST_CASE("may_accept rules", "[dispatch]") {
  Hub hub;
  hub.load({incident(1, core::IncidentState::created),
            incident(2, core::IncidentState::delivered),
            incident(3, core::IncidentState::accepted, "anna")});
  CHECK(hub.may_accept(1, "bob"));
  CHECK(hub.may_accept(2, "bob"));
  CHECK(hub.may_accept(3, "anna"));  // accepting twice is harmless

  auto other = hub.may_accept(3, "bob");
  REQUIRE_FALSE(other);
  CHECK(other.error().find("M-000003") != std::string::npos);
  CHECK(other.error().find("anna") != std::string::npos);

  auto not_open = hub.may_accept(99, "bob");
  REQUIRE_FALSE(not_open);
  CHECK(not_open.error() == "M-000099 is not open");
}

TEST_CASE("may_close rules", "[dispatch]") {
  Hub hub;
  hub.load({incident(1, core::IncidentState::created),
            incident(2, core::IncidentState::delivered),
            incident(3, core::IncidentState::accepted, "anna")});
  CHECK(hub.may_close(3, "anna", "overig"));

  auto before_accept = hub.may_close(1, "anna", "overig");
  REQUIRE_FALSE(before_accept);
  CHECK(before_accept.error().find("accepted before") != std::string::npos);
  CHECK_FALSE(hub.may_close(2, "anna", "overig"));

  auto by_other = hub.may_close(3, "bob", "overig");
  REQUIRE_FALSE(by_other);
  CHECK(by_other.error().find("anna") != std::string::npos);

  auto not_open = hub.may_close(99, "anna", "overig");
  REQUIRE_FALSE(not_open);
  CHECK(not_open.error().find("not open") != std::string::npos);

  hub.publish(incident(3, core::IncidentState::closed, "anna"));
  CHECK_FALSE(hub.may_close(3, "anna", "overig"));
  CHECK_FALSE(hub.may_accept(3, "anna"));
}

TEST_CASE("may_close takes only a configured outcome", "[dispatch]") {
  Hub hub;
  hub.load({incident(3, core::IncidentState::accepted, "anna")});
  CHECK(hub.may_close(3, "anna", "zelf verzonnen"));  // no list configured: any outcome
  hub.set_close_outcomes({"pleger aangehouden", "overig"});
  CHECK(hub.may_close(3, "anna", "overig"));
  auto other = hub.may_close(3, "anna", "zelf verzonnen");
  REQUIRE_FALSE(other);
  CHECK(other.error().find("\"pleger aangehouden\", \"overig\"") != std::string::npos);
}

TEST_CASE("a proefmelding (TEST) is never sent to a console, nor in a snapshot", "[dispatch]") {
  Hub hub;
  auto test_loaded = incident(1, core::IncidentState::created);
  test_loaded.priority = core::Priority::test;
  hub.load({test_loaded, incident(2, core::IncidentState::created)});
  CHECK(hub.open_count() == 1);
  auto console = std::make_shared<FakeConsole>();
  CHECK(hub.attach(console, 1) == std::vector<std::int64_t>{2});
  REQUIRE(console->frames.size() == 1);
  CHECK(parse(console->frames[0]).snapshot().incidents_size() == 1);

  auto test_new = incident(3, core::IncidentState::created);
  test_new.priority = core::Priority::test;
  CHECK_FALSE(hub.publish(test_new));
  CHECK(console->frames.size() == 1);
  CHECK(hub.find(3) == nullptr);
}

TEST_CASE("resync replaces the open set and sends every console a fresh snapshot without the "
          "withdrawn incidents",
          "[dispatch]") {
  Hub hub;
  hub.load({incident(1, core::IncidentState::delivered)});
  auto first = std::make_shared<FakeConsole>();
  auto second = std::make_shared<FakeConsole>();
  hub.attach(first, 1);
  hub.attach(second, 1);
  // Shown before its commit, which then failed: the store never had incident 2.
  CHECK(hub.publish(incident(2, core::IncidentState::created)));
  CHECK(hub.open_count() == 2);

  second->refuse = true;  // too far behind: closed, not kept
  const auto fresh = hub.resync({incident(1, core::IncidentState::delivered),
                                 incident(3, core::IncidentState::created)},
                                99);
  CHECK(fresh == std::vector<std::int64_t>{3});
  CHECK(hub.open_count() == 2);
  CHECK(hub.find(2) == nullptr);
  CHECK(hub.console_count() == 1);
  CHECK(second->closed == 1);
  REQUIRE(first->frames.size() == 3);  // snapshot, the update of 2, the fresh snapshot
  const auto feed = parse(first->frames[2]);
  REQUIRE(feed.has_snapshot());
  CHECK(feed.snapshot().server_time_ms() == 99);
  REQUIRE(feed.snapshot().incidents_size() == 2);
  CHECK(feed.snapshot().incidents(0).id() == "M-000001");
  CHECK(feed.snapshot().incidents(1).id() == "M-000003");
  // The console stays attached: the next update reaches it.
  CHECK(hub.publish(incident(4, core::IncidentState::created)));
  CHECK(first->frames.size() == 4);
}
