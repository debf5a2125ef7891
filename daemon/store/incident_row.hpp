// incident_row.hpp — the JSON `context` column of an incident: everything about an incident
// that is not a queryable column (match result, position, audio, flags). The track is not in
// it: it lives in the `positions` table (an empty "track" is written, which older rows may
// still fill). Store-internal.
#pragma once

#include <string>

#include "core/types.hpp"

namespace aware::store {

// Serialises the context part of `incident`, without its track.
std::string context_to_json(const core::Incident& incident);

// Fills the context part of `incident` from `json`. Throws std::runtime_error on malformed JSON
// (a corrupted row is a bug, not input).
void context_from_json(const std::string& json, core::Incident& incident);

}  // namespace aware::store
