// incident_table.cpp — the console's incident map, its queue order and the accept policy.
#include "incident_table.hpp"

#include <algorithm>
#include <tuple>

namespace aware::console {

int priority_rank(aware::v1::Priority priority) {
  switch (priority) {
    case aware::v1::PRIORITY_SPOED:
      return 0;
    case aware::v1::PRIORITY_TECHNISCH:
      return 1;
    case aware::v1::PRIORITY_TEST:
      return 2;
    default:
      return 3;
  }
}

void incident_table::apply_snapshot(const aware::v1::Snapshot& snapshot, std::int64_t now_ms) {
  incidents_.clear();
  asked_.clear();
  clock_offset_ms_ = snapshot.server_time_ms() != 0 ? snapshot.server_time_ms() - now_ms : 0;
  for (const auto& incident : snapshot.incidents()) {
    if (incident.state() != aware::v1::INCIDENT_STATE_CLOSED && !incident.id().empty()) {
      incidents_[incident.id()] = incident;
    }
  }
}

bool incident_table::apply_update(const aware::v1::Incident& incident) {
  if (incident.id().empty()) {
    return false;
  }
  if (incident.state() == aware::v1::INCIDENT_STATE_CLOSED) {
    asked_.erase(incident.id());
    return incidents_.erase(incident.id()) > 0;
  }
  incidents_[incident.id()] = incident;
  return true;
}

std::vector<const aware::v1::Incident*> incident_table::sorted() const {
  std::vector<const aware::v1::Incident*> rows;
  rows.reserve(incidents_.size());
  for (const auto& [id, incident] : incidents_) {
    rows.push_back(&incident);
  }
  std::sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
    return std::forward_as_tuple(priority_rank(a->priority()), a->received_ms(), a->id()) <
           std::forward_as_tuple(priority_rank(b->priority()), b->received_ms(), b->id());
  });
  return rows;
}

bool incident_table::needs_accept(const aware::v1::Incident& incident) {
  const auto state = incident.state();
  if (incident.id().empty() ||
      (state != aware::v1::INCIDENT_STATE_NEW && state != aware::v1::INCIDENT_STATE_DELIVERED)) {
    return false;
  }
  return asked_.insert(incident.id()).second;
}

std::int64_t incident_table::age_ms(const aware::v1::Incident& incident,
                                    std::int64_t now_ms) const {
  return std::max<std::int64_t>(0, now_ms + clock_offset_ms_ - incident.received_ms());
}

}  // namespace aware::console
