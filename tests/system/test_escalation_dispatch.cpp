// test_escalation_dispatch.cpp — system tests of the routing timers of issue 4 (item 3) with the
// real awared, a raw device connection and raw consoles subscribed to regions: an incident on
// no console of its region within deliver_timeout_s is escalated to the fallback region
// (ESCALATED flag, incident_events row); one nobody accepts within accept_timeout_s is
// re-alerted, and at twice that also sent to the fallback region; and a deliver deadline
// pending when awared is killed with SIGKILL still fires after the restart, exactly once.
// Label: dispatch.
//
// Timeouts are configured small (1-5 s). The tests wait for the resulting console message with
// the harness deadline (kWait) — they never sleep and never assert durations.
#include <csignal>
#include <sys/wait.h>
#include <utility>

#include <catch2/catch.hpp>

#include "device.pb.h"
#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
using nlohmann::json;

namespace {

std::string count(const Awared& d, const std::string& table, const std::string& where) {
  return query_one(d.db(), "SELECT count(*) FROM " + table + " WHERE " + where);
}

bool escalated(const json& incident) {
  const auto& flags = incident["flags"];
  return std::find(flags.begin(), flags.end(), "INCIDENT_FLAG_ESCALATED") != flags.end();
}

// True for a feed message that carries an escalated incident of `region` (update or snapshot).
bool escalated_in(const json& feed, const std::string& region) {
  if (feed.contains("update")) {
    const auto& inc = feed["update"]["incident"];
    return inc["region"] == region && escalated(inc);
  }
  if (feed.contains("snapshot")) {
    for (const auto& inc : feed["snapshot"]["incidents"]) {
      if (inc["region"] == region && escalated(inc)) {
        return true;
      }
    }
  }
  return false;
}

const std::string kLandelijk = "/ws/meldkamer?regions=landelijk";
const std::string kMidden = "/ws/meldkamer?regions=midden-nederland";

}  // namespace

TEST_CASE("an incident on no console of its region is escalated to the fallback region",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.dispatch_toml = "deliver_timeout_s = 1\n"}};
  Centralist landelijk{awared.meldkamer_port(), "centralist-l", kLandelijk};
  REQUIRE(landelijk.next());  // empty snapshot
  Device utrecht{awared.device_port(), "XM-DEMO-001"};
  utrecht.press(1);
  REQUIRE(utrecht.next().has_ack());

  const auto feed = landelijk.wait_for([](const json& f) { return f.contains("update"); });
  REQUIRE(feed);
  const auto& inc = (*feed)["update"]["incident"];
  CHECK(inc["region"] == "midden-nederland");
  CHECK(escalated(inc));
  CHECK(count(awared, "incident_events", "detail='escalated: not delivered'") == "1");
  // Now on the fallback desk's screen: DELIVERED.
  CHECK(landelijk.wait_for([](const json& f) {
    return f.contains("update") && f["update"]["incident"]["state"] == "INCIDENT_STATE_DELIVERED";
  }));
}

TEST_CASE("an incident nobody accepts is re-alerted, and at twice the timeout also to the "
          "fallback region",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.dispatch_toml = "accept_timeout_s = 1\n"}};
  Centralist midden{awared.meldkamer_port(), "centralist-m", kMidden};
  Centralist landelijk{awared.meldkamer_port(), "centralist-l", kLandelijk};
  REQUIRE(midden.next());
  REQUIRE(landelijk.next());
  Device utrecht{awared.device_port(), "XM-DEMO-001"};
  utrecht.press(1);
  REQUIRE(utrecht.next().has_ack());

  // Delivered at once (no escalation), then re-alerted with the flag.
  CHECK(midden.wait_for([](const json& f) { return escalated_in(f, "midden-nederland"); }));
  CHECK(count(awared, "incident_events", "detail='re-alert: not accepted'") == "1");
  CHECK(count(awared, "incident_events", "detail='escalated: not delivered'") == "0");

  // The fallback desk gets it only with the second re-alert: its first update is that one.
  const auto first = landelijk.next();
  REQUIRE(first);
  CHECK(escalated_in(*first, "midden-nederland"));
  CHECK(count(awared, "incident_events", "detail='re-alert: not accepted, fallback region'") ==
        "1");
}

TEST_CASE("a pending deliver deadline survives SIGKILL and fires once after the restart",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.dispatch_toml = "deliver_timeout_s = 5\n"}};
  {
    Device utrecht{awared.device_port(), "XM-DEMO-001"};
    utrecht.press(1);
    REQUIRE(utrecht.next().has_ack());  // stored: the deadline is in the database
  }
  CHECK(count(awared, "incident_timers", "deliver_due_ms IS NOT NULL") == "1");
  awared.process().signal(SIGKILL);
  const auto status = awared.process().wait();
  REQUIRE(status);
  REQUIRE(WIFSIGNALED(*status));
  CHECK(count(awared, "incident_events", "detail='escalated: not delivered'") == "0");

  awared.restart();
  Centralist landelijk{awared.meldkamer_port(), "centralist-l", kLandelijk};
  CHECK(landelijk.wait_for([](const json& f) { return escalated_in(f, "midden-nederland"); }));
  CHECK(count(awared, "incident_events", "detail='escalated: not delivered'") == "1");
}
