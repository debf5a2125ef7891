// check.hpp — the checks that need to know what the store already holds: ids that would be
// duplicates, records that an update or deactivation names, and references to other records
// (device → client, aop → client, aol → client, client.home_region → region).
//
// Pure: the store is reached only through the Lookup the caller passes (app/ runs this on the
// store thread, in the same job as the write, so nothing can change in between).
// Error policy: returns Error (conflict, not_found or invalid) naming the field; exceptions
// thrown by `lookup` pass through unchanged.
#pragma once

#include <functional>
#include <string_view>

#include "registry/types.hpp"

namespace aware::registry {

// True when the store holds a record of `kind` with `id` (active or not).
using Lookup = std::function<bool(Kind kind, std::string_view id)>;

enum class Mode {
  create,  // every record is new: an id already in the store is a conflict (409)
  update,  // every record replaces one in the store: an unknown id is not_found (404)
  upsert,  // either (the region import)
};

// Checks `doc` (already parsed, so its fields are valid) against the store. References may
// point at records in `doc` itself or in the store. With `single`, field paths carry no
// "kind[i]." prefix (the single-record endpoints).
Result<void> check_against_store(const Document& doc, Mode mode, const Lookup& lookup,
                                 bool single);

}  // namespace aware::registry
