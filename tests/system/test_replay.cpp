// test_replay.cpp — system test of issue 6, item 2 with the real awared: a device whose message
// numbering goes back without a new boot epoch (a replayed or broken device) is still acked and
// dispatched — a panic is never refused on bookkeeping grounds — but flagged for the centralist,
// and the Ack carries awared's clock so the device can resync. Label: security.
#include <catch2/catch.hpp>

#include "device.pb.h"
#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
using nlohmann::json;

TEST_CASE("a press whose seq goes back is dispatched, flagged SEQUENCE_REGRESSED",
          "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  Centralist police{awared.meldkamer_port(), "centralist-1"};
  REQUIRE(police.next());
  Device device{awared.device_port(), "XM-DEMO-001"};
  device.press(5);
  const auto first = device.next();
  REQUIRE(first.has_ack());
  CHECK(first.ack().server_time_ms() > 0);
  device.press(3);  // same boot epoch, lower seq: not a retransmission of anything stored
  auto second = device.next();
  while (second.has_command()) {  // START_TRACKING after the first press comes first
    second = device.next();
  }
  REQUIRE(second.has_ack());
  CHECK(second.ack().seq() == 3);
  const auto flagged = police.wait_for([](const json& f) {
    if (!f.contains("update")) {
      return false;
    }
    const auto& flags = f["update"]["incident"]["flags"];
    return std::find(flags.begin(), flags.end(), "INCIDENT_FLAG_SEQUENCE_REGRESSED") != flags.end();
  });
  REQUIRE(flagged);
  CHECK((*flagged)["update"]["incident"]["activationCount"] == 2);
  CHECK(query_one(awared.db(), "SELECT count(*) FROM activations WHERE device_id='XM-DEMO-001'") == "2");
}
