// test_incident.cpp — unit tests for the pure incident rules in core/incident: which alarm
// joins an incident (merge_window), what a merge keeps and changes (count, flags, reopen), and
// what a cancel does.
#include <catch2/catch.hpp>

#include "core/incident.hpp"

namespace core = aware::core;

namespace {

core::Incident existing() {
  core::Incident inc;
  inc.id = 7;
  inc.state = core::IncidentState::accepted;
  inc.received_ms = 1000;
  inc.key = {"XM-1", 1, 1};
  inc.position = core::GeoFix{52.0, 5.0, 10.0F, 900, core::FixSource::gps, 1000};
  inc.track = {core::GeoFix{52.1, 5.1, 10.0F, 1100, core::FixSource::gps, 1100}};
  inc.flags = {core::Flag::cancel_requested, core::Flag::device_restarted};
  inc.accepted_by = "c-1";
  return inc;
}

core::Incident draft(bool with_fix) {
  core::Activation a;
  a.key = {"XM-1", 1, 2};
  a.received_ms = 5000;
  a.battery_pct = 40;
  if (with_fix) {
    a.fix = core::GeoFix{52.2, 5.2, 5.0F, 4900, core::FixSource::gps, 5000};
  }
  core::MatchResult m;
  m.client_id = "C-NEW";
  m.region = "amsterdam";
  return core::make_incident(a, m);
}

}  // namespace

TEST_CASE("joins_incident: open always, closed only within the window", "[dispatch]") {
  using core::IncidentState;
  CHECK(core::joins_incident(IncidentState::delivered, 0, 10'000'000, 600'000));
  CHECK(core::joins_incident(IncidentState::accepted, 0, 10'000'000, 0));
  CHECK(core::joins_incident(IncidentState::closed, 1000, 1000 + 599'999, 600'000));
  CHECK_FALSE(core::joins_incident(IncidentState::closed, 1000, 1000 + 600'000, 600'000));
  CHECK_FALSE(core::joins_incident(IncidentState::closed, 1000, 1001, 0));
}

TEST_CASE("merge_activation counts, flags and takes the newest facts", "[dispatch]") {
  const auto merged = core::merge_activation(existing(), draft(true));
  CHECK(merged.id == 7);
  CHECK(merged.key == core::MessageKey{"XM-1", 1, 1});
  CHECK(merged.received_ms == 1000);
  CHECK(merged.activation_count == 2);
  CHECK(merged.state == core::IncidentState::accepted);
  CHECK(merged.accepted_by == "c-1");
  CHECK(merged.match.client_id == "C-NEW");
  CHECK(merged.position->lat == 52.2);
  CHECK(merged.battery_pct == 40);
  CHECK(merged.track.size() == 1);
  CHECK(core::has_flag(merged.flags, core::Flag::repeated_activation));
  CHECK(core::has_flag(merged.flags, core::Flag::device_restarted));
  CHECK_FALSE(core::has_flag(merged.flags, core::Flag::cancel_requested));
  CHECK(core::merge_activation(merged, draft(true)).activation_count == 3);
}

TEST_CASE("merge_activation keeps the old position when the new press has none", "[dispatch]") {
  const auto merged = core::merge_activation(existing(), draft(false));
  REQUIRE(merged.position);
  CHECK(merged.position->lat == 52.0);
  CHECK_FALSE(core::has_flag(merged.flags, core::Flag::no_position));
}

TEST_CASE("merging into a closed incident reopens it as NEW", "[dispatch]") {
  auto closed = existing();
  closed.state = core::IncidentState::closed;
  closed.outcome = "geen strafbaar feit";
  closed.listen_in_by = "anna";
  closed.listen_in_ms = 1234;
  closed.notes = {{"anna", 1200, "eenheid ter plaatse"}};
  const auto merged = core::merge_activation(closed, draft(true));
  CHECK(merged.state == core::IncidentState::created);
  CHECK(merged.accepted_by.empty());
  CHECK(merged.outcome.empty());
  CHECK(merged.listen_in_by.empty());  // a new handling: nobody listens in yet
  CHECK(merged.listen_in_ms == 0);
  CHECK(merged.notes.size() == 1);     // the notes stay with the incident
}

TEST_CASE("apply_cancel flags once and keeps the state", "[dispatch]") {
  auto inc = existing();
  inc.flags.clear();
  const auto once = core::apply_cancel(inc);
  const auto twice = core::apply_cancel(once);
  CHECK(twice.flags == std::vector<core::Flag>{core::Flag::cancel_requested});
  CHECK(twice.state == core::IncidentState::accepted);
}

TEST_CASE("a device clock beyond the window flags CLOCK_SKEW, an unset one does not",
          "[core][incident]") {
  core::Activation a;
  a.key = {"XM-1", 1, 1};
  a.received_ms = 1'000'000'000;
  a.device_time_ms = a.received_ms - 301'000;
  auto has_skew = [](const core::Incident& inc) {
    return std::find(inc.flags.begin(), inc.flags.end(), core::Flag::clock_skew) != inc.flags.end();
  };
  CHECK(has_skew(core::make_incident(a, {}, 300'000)));
  CHECK_FALSE(has_skew(core::make_incident(a, {}, 0)));        // no window: no check
  a.device_time_ms = a.received_ms + 299'000;
  CHECK_FALSE(has_skew(core::make_incident(a, {}, 300'000)));
  a.device_time_ms = 0;                                   // the device sent no time
  CHECK_FALSE(has_skew(core::make_incident(a, {}, 300'000)));
}
