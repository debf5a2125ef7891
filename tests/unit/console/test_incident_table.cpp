// test_incident_table.cpp — unit tests for the meldkamer client's incident_table: snapshots
// replace the table (skipping closed incidents and resetting the accept memory), updates insert,
// replace or remove, the queue order is priority (SPOED, TECHNISCH, TEST, unspecified) then age
// then id, needs_accept() answers true once per NEW/DELIVERED incident, and ages follow the
// server clock taken from the snapshot.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "incident_table.hpp"

namespace v1 = aware::v1;
using aware::console::incident_table;
using aware::console::priority_rank;

namespace {

v1::Incident incident(const std::string& id, v1::Priority priority, std::int64_t received_ms,
                      v1::IncidentState state = v1::INCIDENT_STATE_NEW) {
  v1::Incident inc;
  inc.set_id(id);
  inc.set_priority(priority);
  inc.set_received_ms(received_ms);
  inc.set_state(state);
  return inc;
}

v1::Snapshot snapshot(std::initializer_list<v1::Incident> incidents, std::int64_t server_ms = 0) {
  v1::Snapshot s;
  for (const auto& inc : incidents) {
    *s.add_incidents() = inc;
  }
  s.set_server_time_ms(server_ms);
  return s;
}

std::vector<std::string> order(const incident_table& table) {
  std::vector<std::string> ids;
  for (const auto* inc : table.sorted()) {
    ids.push_back(inc->id());
  }
  return ids;
}

}  // namespace

TEST_CASE("apply_snapshot replaces the table and skips closed incidents", "[console][table]") {
  incident_table table;
  table.apply_update(incident("M-000099", v1::PRIORITY_SPOED, 1));
  table.apply_snapshot(snapshot({incident("M-000001", v1::PRIORITY_SPOED, 10),
                                 incident("M-000002", v1::PRIORITY_SPOED, 20,
                                          v1::INCIDENT_STATE_CLOSED),
                                 incident("", v1::PRIORITY_SPOED, 30)}),
                       0);
  CHECK(table.size() == 1);
  CHECK(order(table) == std::vector<std::string>{"M-000001"});
}

TEST_CASE("apply_update inserts, replaces and removes on CLOSED", "[console][table]") {
  incident_table table;
  CHECK(table.apply_update(incident("M-000001", v1::PRIORITY_SPOED, 10)));
  CHECK(table.size() == 1);
  auto accepted = incident("M-000001", v1::PRIORITY_SPOED, 10, v1::INCIDENT_STATE_ACCEPTED);
  accepted.set_accepted_by("jan");
  CHECK(table.apply_update(accepted));
  REQUIRE(table.size() == 1);
  CHECK(table.sorted().front()->accepted_by() == "jan");
  CHECK(table.apply_update(incident("M-000001", v1::PRIORITY_SPOED, 10,
                                    v1::INCIDENT_STATE_CLOSED)));
  CHECK(table.size() == 0);
  CHECK_FALSE(table.apply_update(incident("M-000001", v1::PRIORITY_SPOED, 10,
                                          v1::INCIDENT_STATE_CLOSED)));  // already gone
  CHECK_FALSE(table.apply_update(incident("", v1::PRIORITY_SPOED, 10)));  // no id: ignored
  CHECK(table.size() == 0);
}

TEST_CASE("sorted orders by priority, then oldest first, then id", "[console][table]") {
  incident_table table;
  table.apply_update(incident("M-000001", v1::PRIORITY_TEST, 10));
  table.apply_update(incident("M-000002", v1::PRIORITY_SPOED, 300));
  table.apply_update(incident("M-000003", v1::PRIORITY_TECHNISCH, 5));
  table.apply_update(incident("M-000004", v1::PRIORITY_SPOED, 100));
  table.apply_update(incident("M-000005", v1::PRIORITY_UNSPECIFIED, 1));
  table.apply_update(incident("M-000007", v1::PRIORITY_SPOED, 100));
  table.apply_update(incident("M-000006", v1::PRIORITY_SPOED, 100));
  CHECK(order(table) == std::vector<std::string>{"M-000004", "M-000006", "M-000007", "M-000002",
                                                 "M-000003", "M-000001", "M-000005"});
}

TEST_CASE("priority_rank puts unknown priorities last", "[console][table]") {
  CHECK(priority_rank(v1::PRIORITY_SPOED) < priority_rank(v1::PRIORITY_TECHNISCH));
  CHECK(priority_rank(v1::PRIORITY_TECHNISCH) < priority_rank(v1::PRIORITY_TEST));
  CHECK(priority_rank(v1::PRIORITY_TEST) < priority_rank(v1::PRIORITY_UNSPECIFIED));
  CHECK(priority_rank(static_cast<v1::Priority>(42)) == priority_rank(v1::PRIORITY_UNSPECIFIED));
}

TEST_CASE("needs_accept answers true once per NEW or DELIVERED incident", "[console][table]") {
  incident_table table;
  const auto fresh = incident("M-000001", v1::PRIORITY_SPOED, 1, v1::INCIDENT_STATE_NEW);
  const auto shown = incident("M-000002", v1::PRIORITY_SPOED, 1, v1::INCIDENT_STATE_DELIVERED);
  CHECK(table.needs_accept(fresh));
  CHECK_FALSE(table.needs_accept(fresh));
  CHECK(table.needs_accept(shown));
  CHECK_FALSE(table.needs_accept(shown));
  CHECK_FALSE(table.needs_accept(
      incident("M-000003", v1::PRIORITY_SPOED, 1, v1::INCIDENT_STATE_ACCEPTED)));
  CHECK_FALSE(table.needs_accept(
      incident("M-000004", v1::PRIORITY_SPOED, 1, v1::INCIDENT_STATE_CLOSED)));
  CHECK_FALSE(table.needs_accept(incident("", v1::PRIORITY_SPOED, 1)));
}

TEST_CASE("a snapshot makes open incidents eligible for accept again", "[console][table]") {
  incident_table table;
  const auto fresh = incident("M-000001", v1::PRIORITY_SPOED, 1);
  CHECK(table.needs_accept(fresh));
  table.apply_snapshot(snapshot({fresh}), 0);
  CHECK(table.needs_accept(fresh));
  CHECK_FALSE(table.needs_accept(fresh));
}

TEST_CASE("age_ms follows the server clock from the snapshot and is never negative",
          "[console][table]") {
  incident_table table;
  const auto inc = incident("M-000001", v1::PRIORITY_SPOED, 10000);
  CHECK(table.age_ms(inc, 15000) == 5000);   // no snapshot yet: local clock
  table.apply_snapshot(snapshot({inc}, 20000), 18000);  // server is 2 s ahead
  CHECK(table.age_ms(inc, 18000) == 10000);
  CHECK(table.age_ms(inc, 19000) == 11000);
  CHECK(table.age_ms(inc, 0) == 0);
  table.apply_snapshot(snapshot({inc}, 0), 50000);  // no server time: offset 0
  CHECK(table.age_ms(inc, 12000) == 2000);
}
