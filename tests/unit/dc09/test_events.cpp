// test_events.cpp — SIA and Contact ID codes → activation / test / technical / heartbeat, the
// alarm-by-form rule, and the extended data ([X]/[Y], [V], [H], [I]) with Windows-1252 bytes.
#include <catch2/catch.hpp>

#include <string>

#include "dc09/events.hpp"

using namespace aware::dc09;

namespace {

Interpretation sia(const std::string& data) {
  Content c;
  c.data = data;
  return interpret("SIA-DCS", c);
}

Interpretation cid(const std::string& data) {
  Content c;
  c.data = data;
  return interpret("ADM-CID", c);
}

}  // namespace

TEST_CASE("SIA codes map to the issue's categories", "[dc09][events]") {
  CHECK(sia("#1234|Nri1/PA501").category == Category::activation);
  CHECK(sia("#1234|NHA").category == Category::activation);
  CHECK(sia("#1234|NRX").category == Category::test);
  CHECK(sia("#1234|NRP").category == Category::test);
  CHECK(sia("#1234|NYT").category == Category::technical);
  CHECK(sia("#1234|NYC").category == Category::technical);
  CHECK(sia("#1234|NPR1").category == Category::technical);  // panic restoral
}

TEST_CASE("SIA data: address, modifiers, several blocks, no account", "[dc09][events]") {
  const auto m = sia("#1234|Nri1/PA501");
  REQUIRE(m.events.size() == 1);
  CHECK(m.events[0].code == "PA");
  CHECK(m.events[0].address == "501");
  CHECK(m.events[0].known);
  const auto two = sia("Nti20:50:26RP99/id3YT");
  REQUIRE(two.events.size() == 2);
  CHECK(two.events[0].code == "RP");
  CHECK(two.events[0].address == "99");
  CHECK(two.events[1].code == "YT");
  CHECK(two.category == Category::technical);  // the most urgent event wins
  CHECK(sia("#1234|NRP/PA1").category == Category::activation);
  CHECK(sia("").data_readable);
  CHECK(sia("").events.empty());
}

TEST_CASE("An unfamiliar alarm-like code is still an activation", "[dc09][events]") {
  const auto m = sia("#1234|NMA1");
  CHECK(m.category == Category::activation);
  CHECK_FALSE(m.events[0].known);
  CHECK(sia("#1234|NTA1").category == Category::unknown);  // tamper is no alarm
  CHECK(sia("#1234|NRR").category == Category::unknown);
  CHECK(cid("#1234|1100 01 001").category == Category::activation);  // medical, unfamiliar
  CHECK(cid("#1234|3100 01 001").category == Category::unknown);     // its restore
}

TEST_CASE("Unreadable SIA data is flagged, events found in it are kept", "[dc09][events]") {
  CHECK_FALSE(sia("#1234 no bar").data_readable);
  const auto m = sia("#1234|Xjunk/PA1");
  CHECK_FALSE(m.data_readable);
  CHECK(m.is_alarm());
}

TEST_CASE("Contact ID events map to the issue's categories", "[dc09][events]") {
  CHECK(cid("#1234|1120 01 015").category == Category::activation);
  CHECK(cid("#1234|1121 01 015").category == Category::activation);
  CHECK(cid("#1234|1122 01 015").category == Category::activation);
  CHECK(cid("#1234|1601 00 000").category == Category::test);
  CHECK(cid("#1234|1602 00 000").category == Category::test);
  CHECK(cid("#1234|1302 00 000").category == Category::technical);
  CHECK(cid("#1234|1309 00 000").category == Category::technical);
  CHECK(cid("#1234|1350 00 000").category == Category::technical);
  const auto restore = cid("#1234|3120 01 015");
  CHECK(restore.category == Category::technical);  // a restore is never a new activation
  CHECK(restore.events[0].restore);
  const auto packed = cid("1120010015");
  CHECK_FALSE(packed.data_readable);  // ten digits: not the form
  const auto m = cid("#1234|112001015");
  REQUIRE(m.events.size() == 1);
  CHECK(m.events[0].code == "120");
  CHECK(m.events[0].address == "015");
  CHECK_FALSE(cid("#1234|9120 01 015").data_readable);  // no such qualifier
}

TEST_CASE("NULL is a heartbeat, an unknown token is unreadable", "[dc09][events]") {
  CHECK(interpret("NULL", Content{}).category == Category::heartbeat);
  CHECK_FALSE(interpret("FOO", Content{}).data_readable);
}

TEST_CASE("Extended data: position, audio reference, event time, text", "[dc09][events]") {
  Content c;
  c.data = "#1234|NPA1";
  c.extended = {{'X', "E4 53.710"}, {'Y', "N52 22.213"}, {'V', "sip:listen-7@pac.invalid"},
                {'H', "11:59:30,11-26-2026"}, {'I', "Caf\xE9 \x80 5\xB0"}};
  const auto m = interpret("SIA-DCS", c);
  REQUIRE(m.location.valid());
  CHECK(*m.location.lon == Approx(4.0 + 53.710 / 60.0));
  CHECK(*m.location.lat == Approx(52.0 + 22.213 / 60.0));
  CHECK(m.location.raw_x == "E4 53.710");
  CHECK(m.audio_ref == "sip:listen-7@pac.invalid");
  CHECK(m.event_time_text == "11:59:30,11-26-2026");
  REQUIRE(m.event_time);
  CHECK(*m.event_time % 1000 == 0);
  CHECK(m.text == std::string("Caf\xE9 \x80 5\xB0"));  // Windows-1252 bytes kept as sent
}

TEST_CASE("Extended data that cannot be read stays raw and does not block the event",
          "[dc09][events]") {
  Content c;
  c.data = "#1234|NPA1";
  c.extended = {{'X', "\xE9\xFF"}, {'Y', "north"}, {'H', "yesterday"}};
  const auto m = interpret("SIA-DCS", c);
  CHECK(m.is_alarm());
  CHECK_FALSE(m.location.valid());
  CHECK(m.location.raw_x == "\xE9\xFF");
  CHECK_FALSE(m.event_time);
  CHECK(m.event_time_text == "yesterday");
}
