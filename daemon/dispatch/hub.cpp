// hub.cpp — open incidents, console fan-out and request rules.
#include "dispatch/hub.hpp"

#include <algorithm>

#include "wire/meldkamer_codec.hpp"

namespace aware::dispatch {

void Hub::load(const std::vector<core::Incident>& open) {
  open_.clear();
  for (const auto& inc : open) {
    if (inc.state != core::IncidentState::closed &&
        (inc.priority != core::Priority::test || test_channel_)) {
      open_.emplace(inc.id, inc);
    }
  }
}

std::vector<std::int64_t> Hub::attach(const std::shared_ptr<ConsoleSink>& console,
                                      core::TimeMs now) {
  std::vector<const core::Incident*> all;
  std::vector<std::int64_t> fresh;
  for (const auto& [id, inc] : open_) {
    if (!wants(*console, inc)) {
      continue;
    }
    all.push_back(&inc);
    if (inc.state == core::IncidentState::created) {
      fresh.push_back(id);
    }
  }
  auto frame =
      std::make_shared<const std::string>(wire::encode_snapshot(all, now, close_outcomes_));
  if (!consoles_.add(console, std::move(frame))) {
    return {};
  }
  return fresh;
}

std::vector<std::int64_t> Hub::resync(const std::vector<core::Incident>& open,
                                      core::TimeMs now) {
  load(open);
  std::vector<std::int64_t> fresh;
  for (const auto& console : consoles_.members()) {
    consoles_.remove(console.get());
    auto ids = attach(console, now);  // a console that refuses its snapshot is closed
    fresh.insert(fresh.end(), ids.begin(), ids.end());
  }
  std::sort(fresh.begin(), fresh.end());
  fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
  return fresh;
}

std::vector<core::Incident> Hub::open_incidents() const {
  std::vector<core::Incident> out;
  out.reserve(open_.size());
  for (const auto& [id, inc] : open_) {
    out.push_back(inc);
  }
  return out;
}

void Hub::detach(const ConsoleSink* console) { consoles_.remove(console); }

bool Hub::wants(const ConsoleSink& console, const core::Incident& incident) const {
  if (incident.priority == core::Priority::test) {
    // The test channel: only consoles that asked for it (?tests=1), of the incident's region.
    return test_channel_ && console.wants_tests() && console.serves(incident.match.region);
  }
  return console.serves(incident.match.region) ||
         (incident.to_fallback && !fallback_region_.empty() && console.serves(fallback_region_));
}

bool Hub::publish(const core::Incident& incident) {
  if (incident.priority == core::Priority::test && !test_channel_) {
    return false;  // a proefmelding is for the PAC operator, never for the police consoles
  }
  if (incident.state == core::IncidentState::closed) {
    open_.erase(incident.id);
  } else {
    open_.insert_or_assign(incident.id, incident);
  }
  auto frame = std::make_shared<const std::string>(wire::encode_update(incident));
  return consoles_.broadcast(frame, [&](const ConsoleSink& c) { return wants(c, incident); }) > 0;
}

void Hub::send_to(const ConsoleSink* console, std::string frame) {
  consoles_.send_to(console, std::make_shared<const std::string>(std::move(frame)));
}

std::array<std::size_t, 4> Hub::count_by_state() const {
  std::array<std::size_t, 4> out{};
  for (const auto& [id, inc] : open_) {
    const auto i = static_cast<std::size_t>(inc.state) - 1;
    if (i < out.size()) {
      ++out[i];
    }
  }
  return out;
}

const core::Incident* Hub::find(std::int64_t id) const {
  auto it = open_.find(id);
  return it == open_.end() ? nullptr : &it->second;
}

tl::expected<void, std::string> Hub::may_accept(std::int64_t id, const std::string& who) const {
  const auto* inc = find(id);
  if (inc == nullptr) {
    return tl::make_unexpected(core::incident_label(id) + " is not open");
  }
  if (inc->state == core::IncidentState::accepted) {
    if (inc->accepted_by == who) {
      return {};  // accepting twice is harmless
    }
    return tl::make_unexpected(core::incident_label(id) + " is already accepted by " +
                               inc->accepted_by);
  }
  return {};
}

tl::expected<void, std::string> Hub::may_close(std::int64_t id, const std::string& who,
                                               const std::string& outcome) const {
  if (!close_outcomes_.empty() &&
      std::find(close_outcomes_.begin(), close_outcomes_.end(), outcome) == close_outcomes_.end()) {
    std::string allowed;
    for (const auto& o : close_outcomes_) {
      allowed += (allowed.empty() ? "\"" : ", \"") + o + "\"";
    }
    return tl::make_unexpected("outcome \"" + outcome + "\" is not one of " + allowed);
  }
  const auto* inc = find(id);
  if (inc == nullptr) {
    return tl::make_unexpected(core::incident_label(id) + " is not open");
  }
  if (inc->state != core::IncidentState::accepted) {
    return tl::make_unexpected(core::incident_label(id) + " must be accepted before it is closed");
  }
  if (inc->accepted_by != who) {
    return tl::make_unexpected(core::incident_label(id) + " is accepted by " + inc->accepted_by);
  }
  return {};
}

}  // namespace aware::dispatch
