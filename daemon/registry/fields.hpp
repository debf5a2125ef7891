// fields.hpp — registry-internal helpers for reading JSON objects field by field, each problem
// naming the field's path. Inside the stage a problem is thrown as Problem and caught at the
// public boundary (registry_json.cpp), which turns it into an Error value; nothing thrown here
// leaves the stage.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/types.hpp"

namespace aware::registry::detail {

using nlohmann::json;

// Thrown inside the stage only.
struct Problem {
  Error error;
};

[[noreturn]] void fail(std::string field, std::string message,
                       ErrorKind kind = ErrorKind::invalid);

// "a.b", "a[3]" — joins path parts ("" stays out).
std::string join(std::string_view path, std::string_view key);
std::string index(std::string_view path, std::size_t i);

// Size caps on strings (characters in UTF-8 bytes).
inline constexpr std::size_t kMaxName = 200;
inline constexpr std::size_t kMaxLabel = 100;
inline constexpr std::size_t kMaxAddress = 500;
inline constexpr std::size_t kMaxText = 4000;
inline constexpr std::size_t kMaxPhotoRefs = 20;
inline constexpr std::size_t kMaxPhotoRef = 500;
inline constexpr double kMaxRadiusM = 50000;

// Throws unless `id` matches [A-Za-z0-9._:-]{1,64}.
void check_id(const std::string& id, const std::string& field);
// True for a real calendar date written YYYY-MM-DD.
bool is_iso_date(std::string_view s);

// Reads the members of one JSON object. The constructor throws when `value` is not an object or
// has a member not in `known` (a typo must not be silently ignored).
class Fields {
 public:
  Fields(const json& value, std::string path, std::initializer_list<std::string_view> known);

  // A string member; absent or null gives "" unless `required`. Throws when it is not a string,
  // is required but empty, or is longer than `max_len`.
  std::string text(std::string_view key, bool required, std::size_t max_len) const;
  // A string member that must be an id ([A-Za-z0-9._:-]{1,64}); may be "" unless `required`.
  std::string id(std::string_view key, bool required) const;
  // A number member; nullopt when absent or null (unless `required`). Throws when not a number.
  std::optional<double> number(std::string_view key, bool required) const;
  // A boolean member; `fallback` when absent.
  bool flag(std::string_view key, bool fallback) const;
  // An array of strings, each 1..max_len long, at most max_items.
  std::vector<std::string> strings(std::string_view key, std::size_t max_items,
                                   std::size_t max_len) const;
  // The raw member, or nullptr when absent or null.
  const json* raw(std::string_view key) const;
  // The path of a member, for error messages.
  [[nodiscard]] std::string path(std::string_view key) const { return join(path_, key); }

 private:
  const json& value_;
  std::string path_;
};

// GeoJSON geometry (coordinates [lon, lat], rings closed). `budget` counts down the positions
// still allowed, so one document cannot hold an unbounded polygon. Every ring and polygon is
// checked (core::polygon_problem); problems name `path`.
core::Polygon polygon_from_geojson(const json& geometry, const std::string& path,
                                   std::size_t& budget);
// A Polygon or MultiPolygon geometry as a list of polygons.
std::vector<core::Polygon> area_from_geojson(const json& geometry, const std::string& path,
                                             std::size_t& budget);
json polygon_to_geojson(const core::Polygon& polygon);
json area_to_geojson(const std::vector<core::Polygon>& area);

}  // namespace aware::registry::detail
