// test_rules.cpp — unit tests of core/supervision with plain numbers for the clock: the lost
// deadline (late-to-test), a message exactly at the deadline, battery thresholds with
// hysteresis, and the SilenceWatch bookkeeping.
#include <catch2/catch.hpp>

#include "core/supervision.hpp"

using namespace aware::core;

namespace {

std::vector<std::string_view> kinds(const std::vector<HealthChange>& changes, bool open) {
  std::vector<std::string_view> out;
  for (const auto& c : changes) {
    if (c.open == open) {
      out.push_back(c.kind);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the lost deadline is interval plus ten percent plus two minutes", "[supervision]") {
  SupervisionRules rules;
  DeviceHealth h;
  h.last_heard_ms = 1'000'000;
  CHECK(lost_deadline(h, rules) == 1'000'000 + 900'000 + 90'000 + 120'000);
  h.interval_ms = 60'000;  // a device with its own interval
  CHECK(lost_deadline(h, rules) == 1'000'000 + 60'000 + 6'000 + 120'000);
}

TEST_CASE("silence opens verbinding verloren dated at the deadline, once", "[supervision]") {
  SupervisionRules rules;
  DeviceHealth h;
  h.last_heard_ms = 0;
  const auto deadline = lost_deadline(h, rules);
  CHECK_FALSE(on_silence(h, deadline, rules));  // exactly at the deadline: still in time
  const auto lost = on_silence(h, deadline + 1, rules);
  REQUIRE(lost);
  CHECK(lost->kind == alert_kind::connection_lost);
  CHECK(lost->open);
  CHECK(lost->at_ms == deadline);
  CHECK(h.lost_open);
  CHECK_FALSE(on_silence(h, deadline + 100'000, rules));  // one open at a time
}

TEST_CASE("a message exactly at the deadline keeps the device in time", "[supervision]") {
  SupervisionRules rules;
  DeviceHealth h;
  const auto deadline = lost_deadline(h, rules);
  CHECK(on_message(h, deadline, std::nullopt, rules).empty());
  CHECK_FALSE(on_silence(h, deadline + 1, rules));
  CHECK(h.last_heard_ms == deadline);
}

TEST_CASE("the next message resolves verbinding verloren", "[supervision]") {
  SupervisionRules rules;
  DeviceHealth h;
  REQUIRE(on_silence(h, lost_deadline(h, rules) + 5, rules));
  const auto changes = on_message(h, 5'000'000, 90U, rules);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == alert_kind::connection_lost);
  CHECK_FALSE(changes[0].open);
  CHECK(changes[0].at_ms == 5'000'000);
  CHECK_FALSE(h.lost_open);
}

TEST_CASE("battery alerts open below the thresholds and resolve only above the hysteresis",
          "[supervision]") {
  SupervisionRules rules;  // 20 / 10 / 5
  DeviceHealth h;
  CHECK(on_message(h, 1, 20U, rules).empty());  // 20 is not below 20
  CHECK(kinds(on_message(h, 2, 19U, rules), true) == std::vector<std::string_view>{alert_kind::battery_low});
  CHECK(on_message(h, 3, 15U, rules).empty());   // still open: no second alert
  CHECK(kinds(on_message(h, 4, 9U, rules), true) ==
        std::vector<std::string_view>{alert_kind::battery_critical});
  CHECK(on_message(h, 5, 14U, rules).empty());   // 14 < 10 + 5: critical stays open
  CHECK(kinds(on_message(h, 6, 15U, rules), false) ==
        std::vector<std::string_view>{alert_kind::battery_critical});
  CHECK(on_message(h, 7, 24U, rules).empty());   // 24 < 20 + 5: low stays open
  CHECK(kinds(on_message(h, 8, 25U, rules), false) ==
        std::vector<std::string_view>{alert_kind::battery_low});
  CHECK_FALSE(h.low_open);
  CHECK_FALSE(h.critical_open);
}

TEST_CASE("a report below both thresholds opens both battery alerts", "[supervision]") {
  SupervisionRules rules;
  DeviceHealth h;
  const auto opened = kinds(on_message(h, 1, 5U, rules), true);
  CHECK(opened == std::vector<std::string_view>{alert_kind::battery_low, alert_kind::battery_critical});
}

TEST_CASE("a message without a battery reading leaves battery alerts alone", "[supervision]") {
  SupervisionRules rules;
  DeviceHealth h;
  REQUIRE(on_message(h, 1, 5U, rules).size() == 2);
  CHECK(on_message(h, 2, std::nullopt, rules).empty());
  CHECK(h.low_open);
  CHECK(h.critical_open);
}

TEST_CASE("SilenceWatch hands out the due devices in deadline order and forgets replaced ones",
          "[supervision]") {
  SilenceWatch w;
  CHECK_FALSE(w.next_due());
  w.set("B", 200);
  w.set("A", 100);
  w.set("C", 300);
  w.set("C", 50);  // replaced: only the new deadline counts
  CHECK(w.next_due() == 50);
  CHECK(w.take_due(50).empty());  // due means strictly before now
  CHECK(w.take_due(150) == std::vector<std::string>{"C", "A"});
  w.forget("B");
  CHECK(w.size() == 0);
  CHECK(w.take_due(1000).empty());
}
