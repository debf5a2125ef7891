// geometry_text.hpp — polygons as the GeoJSON coordinate text kept in the aols.zone and
// regions.area columns: [lon, lat] positions, rings closed (the first position repeated at the
// end), exactly as RFC 7946 writes them. Store-internal; the registry stage has its own,
// stricter parser for input from operators.
#pragma once

#include <string>
#include <vector>

#include "core/registry.hpp"

namespace aware::store {

// Polygon coordinates: [[[lon,lat],...], [hole...], ...].
std::string polygon_to_text(const core::Polygon& polygon);
// MultiPolygon coordinates: [polygon coordinates, ...].
std::string polygons_to_text(const std::vector<core::Polygon>& polygons);

// The reverse. Throw std::runtime_error on malformed text (a corrupted row is a bug, not input).
core::Polygon polygon_from_text(const std::string& text);
std::vector<core::Polygon> polygons_from_text(const std::string& text);

// A JSON array of strings (aops.photo_refs) and back; same error policy.
std::string strings_to_text(const std::vector<std::string>& values);
std::vector<std::string> strings_from_text(const std::string& text);

}  // namespace aware::store
