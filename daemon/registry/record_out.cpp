// record_out.cpp — registry records as JSON for responses and the export (see registry_json.hpp),
// and the names of the record kinds.
#include <algorithm>
#include <array>

#include "registry/fields.hpp"
#include "registry/registry_json.hpp"

namespace aware::registry {
namespace {

using detail::json;

constexpr std::array<std::string_view, 5> kSingular{"client", "device", "aop", "aol", "region"};
constexpr std::array<std::string_view, 5> kPlural{"clients", "devices", "aops", "aols",
                                                  "regions"};

json to_json(const core::ClientRecord& c) {
  return {{"id", c.id}, {"name", c.name}, {"home_region", c.home_region}, {"active", c.active}};
}

json to_json(const core::DeviceRecord& d) {
  return {{"id", d.id},
          {"client_id", d.client_id},
          {"active", d.active},
          {"heartbeat_interval_s", d.heartbeat_interval_s}};
}

json to_json(const core::AopRecord& a) {
  return {{"id", a.id},
          {"client_id", a.client_id},
          {"signalement", a.signalement},
          {"pleger", a.pleger},
          {"case_worker", a.case_worker},
          {"valid_from", a.valid_from},
          {"valid_until", a.valid_until},
          {"photo_refs", a.photo_refs},
          {"active", a.active}};
}

json to_json(const core::AolRecord& a) {
  json j{{"id", a.id},           {"client_id", a.client_id},
         {"label", a.label},     {"address", a.address},
         {"instructions", a.instructions}, {"lat", a.lat},
         {"lon", a.lon},         {"radius_m", a.radius_m},
         {"active", a.active}};
  if (a.zone) {
    j["zone"] = detail::polygon_to_geojson(*a.zone);
  }
  return j;
}

json region_json(const core::RegionRecord& r, const Document& doc) {
  const bool inactive = std::find(doc.inactive_regions.begin(), doc.inactive_regions.end(),
                                  r.id) != doc.inactive_regions.end();
  return {{"id", r.id},
          {"name", r.name},
          {"area", detail::area_to_geojson(r.area)},
          {"active", !inactive}};
}

json array_of(const Document& doc, Kind kind) {
  json out = json::array();
  const auto& r = doc.records;
  switch (kind) {
    case Kind::client: for (const auto& x : r.clients) { out.push_back(to_json(x)); } break;
    case Kind::device: for (const auto& x : r.devices) { out.push_back(to_json(x)); } break;
    case Kind::aop: for (const auto& x : r.aops) { out.push_back(to_json(x)); } break;
    case Kind::aol: for (const auto& x : r.aols) { out.push_back(to_json(x)); } break;
    case Kind::region:
      for (const auto& x : r.regions) {
        out.push_back(region_json(x, doc));
      }
      break;
  }
  return out;
}

}  // namespace

std::string_view singular(Kind kind) { return kSingular.at(static_cast<std::size_t>(kind)); }
std::string_view plural(Kind kind) { return kPlural.at(static_cast<std::size_t>(kind)); }

std::optional<Kind> kind_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kPlural.size(); ++i) {
    if (name == kPlural.at(i) || name == kSingular.at(i)) {
      return static_cast<Kind>(i);
    }
  }
  return std::nullopt;
}

std::size_t count(const Document& doc, Kind kind) {
  const auto& r = doc.records;
  switch (kind) {
    case Kind::client: return r.clients.size();
    case Kind::device: return r.devices.size();
    case Kind::aop: return r.aops.size();
    case Kind::aol: return r.aols.size();
    case Kind::region: return r.regions.size();
  }
  return 0;
}

std::string record_json(const Document& doc, Kind kind) {
  const auto all = array_of(doc, kind);
  return all.empty() ? "{}" : all.front().dump();
}

std::string list_json(const Document& doc, Kind kind) {
  return json{{std::string(plural(kind)), array_of(doc, kind)}}.dump();
}

std::string document_json(const Document& doc) {
  json out = json::object();
  for (auto kind : {Kind::client, Kind::device, Kind::aop, Kind::aol, Kind::region}) {
    out[std::string(plural(kind))] = array_of(doc, kind);
  }
  return out.dump();
}

std::string region_outlines_json(const Document& doc) {
  json features = json::array();
  for (const auto& r : doc.records.regions) {
    if (std::find(doc.inactive_regions.begin(), doc.inactive_regions.end(), r.id) !=
        doc.inactive_regions.end()) {
      continue;
    }
    features.push_back({{"type", "Feature"},
                        {"properties", {{"id", r.id}, {"name", r.name}}},
                        {"geometry", detail::area_to_geojson(r.area)}});
  }
  return json{{"type", "FeatureCollection"}, {"features", std::move(features)}}.dump();
}

std::string error_json(const Error& error) { return error_json(error.text()); }

std::string error_json(std::string_view text) {
  return json{{"error", std::string(text)}}.dump();
}

}  // namespace aware::registry
