// test_region_dispatch.cpp — system tests of routing by region (issue 4, items 3 and 8) with the
// real awared, a raw device connection and raw consoles: a console that names its regions in
// /ws/meldkamer?regions=… gets only the incidents of those regions, in its snapshot and in its
// updates; a console without the parameter still gets every region; the meldkamer client
// subscribes with --regions. Label: dispatch.
//
// Absence is checked without sleeping: the feed of one connection is ordered, so when the first
// update an amsterdam console reads is the amsterdam incident, the earlier midden-nederland
// incident was never sent to it.
#include <utility>

#include <catch2/catch.hpp>

#include "device.pb.h"
#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
using nlohmann::json;

namespace {

constexpr double kAmsterdamLat = 52.3760;   // Damrak, inside the demo region amsterdam
constexpr double kAmsterdamLon = 4.8970;

bool is_update_in(const json& feed, const std::string& region) {
  return feed.contains("update") && feed["update"]["incident"]["region"] == region;
}

}  // namespace

TEST_CASE("a console gets only the incidents of the regions it names", "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Centralist amsterdam{awared.meldkamer_port(), "centralist-a", "/ws/meldkamer?regions=amsterdam"};
  // A region id no incident carries (but the user serves) is accepted and matches nothing.
  const TestUser odd{"centralist-m", "centralist", "midden-nederland,onbekend", "", ""};
  Centralist midden{awared.meldkamer_port(), "centralist-m",
                    "/ws/meldkamer?regions=midden-nederland,onbekend",
                    token_for(awared.meldkamer_port(), odd)};
  Centralist all{awared.meldkamer_port(), "centralist-all"};
  for (auto* c : {&amsterdam, &midden, &all}) {
    const auto snapshot = c->next();
    REQUIRE(snapshot);
    CHECK((*snapshot)["snapshot"]["incidents"].empty());
  }

  // Utrecht: midden-nederland.
  Device utrecht{awared.device_port(), "XM-DEMO-001"};
  utrecht.press(1);
  REQUIRE(utrecht.next().has_ack());
  CHECK(midden.wait_for([](const json& f) { return is_update_in(f, "midden-nederland"); }));
  CHECK(all.wait_for([](const json& f) { return is_update_in(f, "midden-nederland"); }));

  // Amsterdam: the amsterdam console's first update is this one, not the one above.
  Device damrak{awared.device_port(), "XM-DEMO-004"};
  damrak.press(1, kAmsterdamLat, kAmsterdamLon);
  REQUIRE(damrak.next().has_ack());
  const auto first = amsterdam.next();
  REQUIRE(first);
  REQUIRE(first->contains("update"));
  CHECK((*first)["update"]["incident"]["region"] == "amsterdam");
  CHECK(all.wait_for([](const json& f) { return is_update_in(f, "amsterdam"); }));

  // Snapshots on connect are filtered the same way.
  Centralist late_amsterdam{awared.meldkamer_port(), "centralist-a2",
                            "/ws/meldkamer?regions=amsterdam"};
  const auto a = late_amsterdam.next();
  REQUIRE(a);
  REQUIRE((*a)["snapshot"]["incidents"].size() == 1);
  CHECK((*a)["snapshot"]["incidents"][0]["region"] == "amsterdam");
  Centralist late_midden{awared.meldkamer_port(), "centralist-m2",
                         "/ws/meldkamer?regions=midden-nederland"};
  const auto m = late_midden.next();
  REQUIRE(m);
  REQUIRE((*m)["snapshot"]["incidents"].size() == 1);
  CHECK((*m)["snapshot"]["incidents"][0]["region"] == "midden-nederland");
  Centralist late_all{awared.meldkamer_port(), "centralist-all2"};
  const auto both = late_all.next();
  REQUIRE(both);
  CHECK((*both)["snapshot"]["incidents"].size() == 2);
}

TEST_CASE("an incident stays NEW until a console of its region is connected",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Centralist amsterdam{awared.meldkamer_port(), "centralist-a", "/ws/meldkamer?regions=amsterdam"};
  REQUIRE(amsterdam.next());
  Device utrecht{awared.device_port(), "XM-DEMO-001"};
  utrecht.press(1);
  REQUIRE(utrecht.next().has_ack());

  // Only a midden-nederland console puts it on a screen: its snapshot shows it NEW, and the
  // following update DELIVERED.
  Centralist midden{awared.meldkamer_port(), "centralist-m",
                    "/ws/meldkamer?regions=midden-nederland"};
  const auto snapshot = midden.next();
  REQUIRE(snapshot);
  REQUIRE((*snapshot)["snapshot"]["incidents"].size() == 1);
  CHECK((*snapshot)["snapshot"]["incidents"][0]["state"] == "INCIDENT_STATE_NEW");
  CHECK(midden.wait_for([](const json& f) {
    return f.contains("update") && f["update"]["incident"]["state"] == "INCIDENT_STATE_DELIVERED";
  }));
}

TEST_CASE("the meldkamer client's --regions subscribes to those regions only",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  Device utrecht{awared.device_port(), "XM-DEMO-001"};
  utrecht.press(1);
  REQUIRE(utrecht.next().has_ack());
  Device damrak{awared.device_port(), "XM-DEMO-004"};
  damrak.press(1, kAmsterdamLat, kAmsterdamLon);
  REQUIRE(damrak.next().has_ack());

  Console amsterdam{dir, awared.meldkamer_port(), {"--regions", "amsterdam"}};
  const auto snapshot = amsterdam.wait_synced();
  REQUIRE(snapshot.size() == 1);
  CHECK(snapshot[0]["deviceId"] == "XM-DEMO-004");
  CHECK(snapshot[0]["region"] == "amsterdam");
}
