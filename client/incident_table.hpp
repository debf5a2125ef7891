// incident_table.hpp — the console's local picture of the open incidents.
//
// Pure model, no I/O and no clock reads: console_session feeds it the server's Snapshot and
// IncidentUpdate messages; table_view reads sorted() to draw; the accept policy asks
// needs_accept(). Incidents are keyed by their id; a CLOSED incident leaves the table.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "meldkamer.pb.h"

namespace aware::console {

class incident_table {
 public:
  // Replaces the whole table with the snapshot's incidents (a resync after (re)connecting).
  // Incidents already CLOSED are skipped. Also records the server clock offset against
  // `now_ms` so ages follow awared's clock, and forgets which incidents were asked to accept
  // (a new connection may have lost earlier requests).
  void apply_snapshot(const aware::v1::Snapshot& snapshot, std::int64_t now_ms);

  // Inserts or replaces one incident; removes it when its state is CLOSED. Updates without
  // an incident id are ignored. Returns true when the table changed.
  bool apply_update(const aware::v1::Incident& incident);

  // The open incidents in queue order: SPOED, TECHNISCH, TEST, unspecified; within a
  // priority oldest first; ties broken by id. Pointers stay valid until the next apply_*.
  [[nodiscard]] std::vector<const aware::v1::Incident*> sorted() const;

  // Accept policy for --accept: true when `incident` is NEW or DELIVERED and has not been
  // asked for since the last snapshot. Marks it as asked, so each call answers true once.
  bool needs_accept(const aware::v1::Incident& incident);

  // Age of `incident` in ms at local time `now_ms`, on the server's clock; never negative.
  [[nodiscard]] std::int64_t age_ms(const aware::v1::Incident& incident,
                                    std::int64_t now_ms) const;

  [[nodiscard]] std::size_t size() const { return incidents_.size(); }

 private:
  std::map<std::string, aware::v1::Incident> incidents_;  // open incidents by id
  std::set<std::string> asked_;                           // ids accepted on this connection
  std::int64_t clock_offset_ms_ = 0;  // server clock minus local clock, from the snapshot
};

// Sort rank of a priority: lower draws first; unknown values last.
[[nodiscard]] int priority_rank(aware::v1::Priority priority);

}  // namespace aware::console
