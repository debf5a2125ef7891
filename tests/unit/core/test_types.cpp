// test_types.cpp — the text forms of core's domain types: incident labels and enum names.
#include <catch2/catch.hpp>

#include "core/types.hpp"

using namespace aware::core;

TEST_CASE("incident_label pads to six digits and round-trips", "[types]") {
  CHECK(incident_label(42) == "M-000042");
  CHECK(incident_label(1234567) == "M-1234567");
  for (std::int64_t id : {std::int64_t{1}, std::int64_t{42}, std::int64_t{999999},
                          std::int64_t{1234567}, std::int64_t{9007199254740993}}) {
    CHECK(incident_id_from(incident_label(id)) == id);
  }
}

TEST_CASE("incident_id_from rejects anything but a label", "[types]") {
  for (std::string_view bad : {"", "M-", "M", "42", "m-000042", "X-000042", "M-00004a",
                               "M-000042 ", " M-000042", "M--42", "M-+42", "M-000000", "M-0",
                               "M-99999999999999999999"}) {
    INFO("label: \"" << bad << "\"");
    CHECK_FALSE(incident_id_from(bad).has_value());
  }
}

TEST_CASE("FixSource and AudioKind names round-trip", "[types]") {
  for (auto v : {FixSource::none, FixSource::gps, FixSource::network}) {
    CHECK(fix_source_from(to_string(v)) == v);
  }
  for (auto v : {AudioKind::none, AudioKind::phone, AudioKind::sip, AudioKind::stream}) {
    CHECK(audio_kind_from(to_string(v)) == v);
  }
  CHECK(to_string(FixSource::gps) == "gps");
  CHECK(to_string(AudioKind::sip) == "sip");
  CHECK_FALSE(fix_source_from("GPS").has_value());
  CHECK_FALSE(fix_source_from("").has_value());
  CHECK_FALSE(audio_kind_from("voip").has_value());
}

TEST_CASE("Trigger and IncidentState have distinct, stable names", "[types]") {
  CHECK(to_string(Trigger::alarm) == "alarm");
  CHECK(to_string(Trigger::test) == "test");
  CHECK(to_string(Trigger::cancel) == "cancel");
  CHECK(to_string(IncidentState::created) == "new");
  CHECK(to_string(IncidentState::delivered) == "delivered");
  CHECK(to_string(IncidentState::accepted) == "accepted");
  CHECK(to_string(IncidentState::closed) == "closed");
}
