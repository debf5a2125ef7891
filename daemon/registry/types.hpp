// types.hpp — the vocabulary of the registry stage: the kinds of record, a Document (records as
// they arrive in a request or leave in a response), and Error, the one error type of this stage.
//
// The registry stage is pure (no I/O, no clock): it turns request bodies into validated records,
// checks them against what the store already holds (through a lookup the caller supplies), and
// turns records back into JSON. app/ wires it between the HTTP API and the store.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/registry.hpp"

namespace aware::registry {

enum class Kind { client, device, aop, aol, region };

// "client", "device", ... (awarectl's KIND) and "clients", "devices", ... (URL path and JSON key).
std::string_view singular(Kind kind);
std::string_view plural(Kind kind);
// The kind named by a plural ("aols") or singular ("aol") name.
std::optional<Kind> kind_from_name(std::string_view name);

// Registry records as one unit: an import, a single record (then exactly one record is set), an
// export or a listing. Regions carry their active flag here because core::RegionRecord has none.
struct Document {
  core::Registry records;
  std::vector<std::string> inactive_regions;  // ids of regions that are kept but not matched
};

// What is wrong, mapped by the API to an HTTP status: invalid 400, not_found 404, conflict 409.
enum class ErrorKind { invalid, not_found, conflict };

struct Error {
  ErrorKind kind = ErrorKind::invalid;
  std::string field;    // path of the offending field, e.g. "aols[3].radius_m"; may be empty
  std::string message;  // what is wrong, e.g. "must be > 0 and <= 50000"
  // "field: message" (or just the message when there is no field).
  [[nodiscard]] std::string text() const {
    return field.empty() ? message : field + ": " + message;
  }
};

template <typename T>
using Result = tl::expected<T, Error>;

}  // namespace aware::registry
