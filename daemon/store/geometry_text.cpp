// geometry_text.cpp — see geometry_text.hpp.
#include "store/geometry_text.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace aware::store {
namespace {

using nlohmann::json;

json ring_json(const core::Ring& ring) {
  json out = json::array();
  for (const auto& p : ring) {
    out.push_back({p.lon, p.lat});
  }
  if (!ring.empty()) {
    out.push_back({ring.front().lon, ring.front().lat});  // GeoJSON rings are closed
  }
  return out;
}

json polygon_json(const core::Polygon& polygon) {
  json out = json::array();
  out.push_back(ring_json(polygon.outer));
  for (const auto& hole : polygon.holes) {
    out.push_back(ring_json(hole));
  }
  return out;
}

core::Ring ring_from(const json& j) {
  core::Ring ring;
  for (const auto& pos : j) {
    ring.push_back({pos.at(1).get<double>(), pos.at(0).get<double>()});
  }
  if (ring.size() > 1 && ring.front() == ring.back()) {
    ring.pop_back();
  }
  return ring;
}

core::Polygon polygon_from(const json& j) {
  core::Polygon polygon;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (i == 0) {
      polygon.outer = ring_from(j[i]);
    } else {
      polygon.holes.push_back(ring_from(j[i]));
    }
  }
  return polygon;
}

template <typename Fn>
auto decoded(const std::string& text, Fn fn) {
  try {
    return fn(json::parse(text));
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("corrupt geometry in the store: ") + e.what());
  }
}

}  // namespace

std::string polygon_to_text(const core::Polygon& polygon) { return polygon_json(polygon).dump(); }

std::string polygons_to_text(const std::vector<core::Polygon>& polygons) {
  json out = json::array();
  for (const auto& p : polygons) {
    out.push_back(polygon_json(p));
  }
  return out.dump();
}

core::Polygon polygon_from_text(const std::string& text) {
  return decoded(text, [](const json& j) { return polygon_from(j); });
}

std::vector<core::Polygon> polygons_from_text(const std::string& text) {
  return decoded(text, [](const json& j) {
    std::vector<core::Polygon> out;
    for (const auto& p : j) {
      out.push_back(polygon_from(p));
    }
    return out;
  });
}

std::string strings_to_text(const std::vector<std::string>& values) { return json(values).dump(); }

std::vector<std::string> strings_from_text(const std::string& text) {
  return decoded(text, [](const json& j) { return j.get<std::vector<std::string>>(); });
}

}  // namespace aware::store
