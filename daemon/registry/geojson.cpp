// geojson.cpp — GeoJSON geometry in and out (RFC 7946: positions [lon, lat], rings closed) for
// AOL zones and region areas, and the region import: a FeatureCollection of Polygon or
// MultiPolygon features with properties.id and properties.name.
#include <algorithm>
#include <set>

#include "core/geo.hpp"
#include "registry/fields.hpp"
#include "registry/registry_json.hpp"

namespace aware::registry {
namespace detail {
namespace {

constexpr std::size_t kMaxRegionPositions = 200000;  // per region import document

core::GeoPoint position(const json& pos, const std::string& path) {
  if (!pos.is_array() || pos.size() < 2 || pos.size() > 3 || !pos[0].is_number() ||
      !pos[1].is_number()) {
    fail(path, "must be a position [lon, lat]");
  }
  const core::GeoPoint p{pos[1].get<double>(), pos[0].get<double>()};
  if (!core::valid_coordinates({p.lat, 0})) {
    fail(path, "latitude must be a finite number in [-90, 90]");
  }
  if (!core::valid_coordinates({0, p.lon})) {
    fail(path, "longitude must be a finite number in [-180, 180]");
  }
  return p;
}

core::Ring ring(const json& coords, const std::string& path, std::size_t& budget) {
  if (!coords.is_array() || coords.size() < 4) {
    fail(path, "a ring must be an array of at least 4 positions");
  }
  if (coords.size() > budget) {
    fail(path, "too many positions (the limit is reached)");
  }
  budget -= coords.size();
  core::Ring out;
  for (std::size_t i = 0; i < coords.size(); ++i) {
    out.push_back(position(coords[i], index(path, i)));
  }
  if (out.front() != out.back()) {
    fail(path, "a ring must be closed: the last position must equal the first");
  }
  out.pop_back();
  return out;
}

core::Polygon polygon_coords(const json& coords, const std::string& path, std::size_t& budget) {
  if (!coords.is_array() || coords.empty()) {
    fail(path, "a polygon must be an array of rings (the outer ring first)");
  }
  core::Polygon poly;
  for (std::size_t i = 0; i < coords.size(); ++i) {
    auto r = ring(coords[i], index(path, i), budget);
    if (i == 0) {
      poly.outer = std::move(r);
    } else {
      poly.holes.push_back(std::move(r));
    }
  }
  if (auto problem = core::polygon_problem(poly)) {
    fail(path, *problem);
  }
  return poly;
}

// The "coordinates" of a geometry object whose "type" must be one of `types`.
const json& geometry_coords(const json& geometry, const std::string& path,
                            std::initializer_list<std::string_view> types, std::string& type) {
  Fields f{geometry, path, {"type", "coordinates", "bbox"}};
  type = f.text("type", true, 32);
  if (std::find(types.begin(), types.end(), type) == types.end()) {
    std::string want;
    for (auto t : types) {
      want += (want.empty() ? "" : " or ") + std::string(t);
    }
    fail(f.path("type"), "must be " + want + " (got \"" + type + "\")");
  }
  const json* coords = f.raw("coordinates");
  if (coords == nullptr) {
    fail(f.path("coordinates"), "is required");
  }
  return *coords;
}

json ring_json(const core::Ring& r) {
  json out = json::array();
  for (const auto& p : r) {
    out.push_back({p.lon, p.lat});
  }
  if (!r.empty()) {
    out.push_back({r.front().lon, r.front().lat});
  }
  return out;
}

json polygon_coords_json(const core::Polygon& poly) {
  json out = json::array({ring_json(poly.outer)});
  for (const auto& h : poly.holes) {
    out.push_back(ring_json(h));
  }
  return out;
}

}  // namespace

core::Polygon polygon_from_geojson(const json& geometry, const std::string& path,
                                   std::size_t& budget) {
  std::string type;
  const auto& coords = geometry_coords(geometry, path, {"Polygon"}, type);
  return polygon_coords(coords, join(path, "coordinates"), budget);
}

std::vector<core::Polygon> area_from_geojson(const json& geometry, const std::string& path,
                                             std::size_t& budget) {
  std::string type;
  const auto& coords = geometry_coords(geometry, path, {"Polygon", "MultiPolygon"}, type);
  const auto cpath = join(path, "coordinates");
  if (type == "Polygon") {
    return {polygon_coords(coords, cpath, budget)};
  }
  if (!coords.is_array() || coords.empty()) {
    fail(cpath, "a MultiPolygon must be a non-empty array of polygons");
  }
  std::vector<core::Polygon> out;
  for (std::size_t i = 0; i < coords.size(); ++i) {
    out.push_back(polygon_coords(coords[i], index(cpath, i), budget));
  }
  return out;
}

json polygon_to_geojson(const core::Polygon& polygon) {
  return {{"type", "Polygon"}, {"coordinates", polygon_coords_json(polygon)}};
}

json area_to_geojson(const std::vector<core::Polygon>& area) {
  json coords = json::array();
  for (const auto& p : area) {
    coords.push_back(polygon_coords_json(p));
  }
  return {{"type", "MultiPolygon"}, {"coordinates", coords}};
}

}  // namespace detail

Result<Document> parse_regions_geojson(std::string_view body) {
  using namespace detail;
  try {
    const auto doc = json::parse(body, nullptr, false);
    if (doc.is_discarded()) {
      fail("body", "is not valid JSON");
    }
    Fields top{doc, "", {"type", "features", "bbox", "name", "crs"}};
    if (top.text("type", true, 32) != "FeatureCollection") {
      fail("type", "must be \"FeatureCollection\"");
    }
    const json* features = top.raw("features");
    if (features == nullptr || !features->is_array() || features->empty()) {
      fail("features", "must be a non-empty array of Features");
    }
    Document out;
    std::set<std::string> seen;
    std::size_t budget = kMaxRegionPositions;
    for (std::size_t i = 0; i < features->size(); ++i) {
      const auto path = index("features", i);
      Fields f{(*features)[i], path, {"type", "id", "geometry", "properties", "bbox"}};
      if (f.text("type", true, 32) != "Feature") {
        fail(f.path("type"), "must be \"Feature\"");
      }
      const json* props = f.raw("properties");
      if (props == nullptr || !props->is_object()) {
        fail(f.path("properties"), "must be an object with id and name");
      }
      core::RegionRecord region;
      const auto ppath = f.path("properties");
      const json* id = props->contains("id") ? &(*props)["id"] : nullptr;
      if (id == nullptr || !id->is_string()) {
        fail(join(ppath, "id"), "is required (a string)");
      }
      region.id = id->get<std::string>();
      check_id(region.id, join(ppath, "id"));
      const json* name = props->contains("name") ? &(*props)["name"] : nullptr;
      if (name == nullptr || !name->is_string() || name->get_ref<const std::string&>().empty() ||
          name->get_ref<const std::string&>().size() > kMaxName) {
        fail(join(ppath, "name"), "is required (a string of 1 to 200 characters)");
      }
      region.name = name->get<std::string>();
      if (!seen.insert(region.id).second) {
        fail(join(ppath, "id"), "duplicate id '" + region.id + "' in this file",
             ErrorKind::conflict);
      }
      const json* geometry = f.raw("geometry");
      if (geometry == nullptr) {
        fail(f.path("geometry"), "is required");
      }
      region.area = area_from_geojson(*geometry, f.path("geometry"), budget);
      out.records.regions.push_back(std::move(region));
    }
    return out;
  } catch (const Problem& p) {
    return tl::make_unexpected(p.error);
  }
}

}  // namespace aware::registry
