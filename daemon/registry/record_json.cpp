// record_json.cpp — parsing and printing the registry records (see registry_json.hpp).
#include <cmath>
#include <set>

#include "core/geo.hpp"
#include "core/time_text.hpp"
#include "registry/fields.hpp"
#include "registry/registry_json.hpp"

namespace aware::registry {
namespace {

using namespace detail;

constexpr std::size_t kMaxZonePositions = 10000;      // per AOL zone
constexpr std::size_t kMaxDocumentPositions = 2000000;  // all polygons of one document

void check_lat_lon(double lat, double lon, const Fields& f) {
  if (!core::valid_coordinates({lat, 0})) {
    fail(f.path("lat"), "must be a finite number in [-90, 90]");
  }
  if (!core::valid_coordinates({0, lon})) {
    fail(f.path("lon"), "must be a finite number in [-180, 180]");
  }
}

core::ClientRecord client_from(const json& v, const std::string& path) {
  Fields f{v, path, {"id", "name", "home_region", "active"}};
  return {f.id("id", true), f.text("name", true, kMaxName), f.id("home_region", false),
          f.flag("active", true)};
}

core::DeviceRecord device_from(const json& v, const std::string& path) {
  Fields f{v, path, {"id", "client_id", "active", "heartbeat_interval_s"}};
  core::DeviceRecord d{f.id("id", true), f.id("client_id", true), f.flag("active", true)};
  const auto interval = f.number("heartbeat_interval_s", false).value_or(0);
  if (!(interval >= 0 && interval <= 86400) || std::floor(interval) != interval) {
    fail(f.path("heartbeat_interval_s"), "must be a whole number of seconds, 0 to 86400 "
                                         "(0 = the [supervision] default)");
  }
  d.heartbeat_interval_s = static_cast<std::uint32_t>(interval);
  return d;
}

core::AopRecord aop_from(const json& v, const std::string& path) {
  Fields f{v, path,
           {"id", "client_id", "signalement", "pleger", "case_worker", "valid_from",
            "valid_until", "photo_refs", "active"}};
  core::AopRecord a{f.id("id", true), f.id("client_id", true),
                    f.text("signalement", false, kMaxText), f.text("pleger", false, kMaxText),
                    f.text("case_worker", false, kMaxName), f.text("valid_from", true, 10),
                    f.text("valid_until", false, 10),
                    f.strings("photo_refs", kMaxPhotoRefs, kMaxPhotoRef),
                    f.flag("active", true)};
  if (!is_iso_date(a.valid_from)) {
    fail(f.path("valid_from"), "must be a date YYYY-MM-DD");
  }
  if (a.valid_until.empty() && is_iso_date(a.valid_from)) {
    a.valid_until = core::add_months(a.valid_from, 6).value_or("");  // a trajectory: six months
  }
  if (!is_iso_date(a.valid_until)) {
    fail(f.path("valid_until"), "must be a date YYYY-MM-DD");
  }
  if (a.valid_until < a.valid_from) {
    fail(f.path("valid_until"), "must not be before valid_from");
  }
  return a;
}

core::AolRecord aol_from(const json& v, const std::string& path, std::size_t& budget) {
  Fields f{v, path,
           {"id", "client_id", "label", "address", "instructions", "lat", "lon", "radius_m",
            "zone", "active"}};
  core::AolRecord a{f.id("id", true), f.id("client_id", false), f.text("label", false, kMaxLabel),
                    f.text("address", false, kMaxAddress),
                    f.text("instructions", false, kMaxText), *f.number("lat", true),
                    *f.number("lon", true)};
  check_lat_lon(a.lat, a.lon, f);
  if (const json* zone = f.raw("zone")) {
    std::size_t zone_budget = std::min(budget, kMaxZonePositions);
    const auto before = zone_budget;
    a.zone = polygon_from_geojson(*zone, f.path("zone"), zone_budget);
    budget -= before - zone_budget;
    a.radius_m = f.number("radius_m", false).value_or(0);
    if (!std::isfinite(a.radius_m) || a.radius_m < 0 || a.radius_m > kMaxRadiusM) {
      fail(f.path("radius_m"), "must be >= 0 and <= 50000 (with a zone)");
    }
  } else {
    a.radius_m = *f.number("radius_m", true);
    if (!std::isfinite(a.radius_m) || a.radius_m <= 0 || a.radius_m > kMaxRadiusM) {
      fail(f.path("radius_m"), "must be > 0 and <= 50000");
    }
  }
  a.active = f.flag("active", true);
  return a;
}

core::RegionRecord region_from(const json& v, const std::string& path, std::size_t& budget,
                               bool& active) {
  Fields f{v, path, {"id", "name", "area", "active"}};
  core::RegionRecord r{f.id("id", true), f.text("name", true, kMaxName), {}};
  const json* area = f.raw("area");
  if (area == nullptr) {
    fail(f.path("area"), "is required (a GeoJSON Polygon or MultiPolygon)");
  }
  r.area = area_from_geojson(*area, f.path("area"), budget);
  active = f.flag("active", true);
  return r;
}

// Adds one record of `kind` parsed from `v` to `doc`.
void add_record(Document& doc, Kind kind, const json& v, const std::string& path,
                std::size_t& budget) {
  auto& r = doc.records;
  switch (kind) {
    case Kind::client: r.clients.push_back(client_from(v, path)); break;
    case Kind::device: r.devices.push_back(device_from(v, path)); break;
    case Kind::aop: r.aops.push_back(aop_from(v, path)); break;
    case Kind::aol: r.aols.push_back(aol_from(v, path, budget)); break;
    case Kind::region: {
      bool active = true;
      r.regions.push_back(region_from(v, path, budget, active));
      if (!active) {
        doc.inactive_regions.push_back(r.regions.back().id);
      }
      break;
    }
  }
}

template <typename Records>
void no_duplicates(const Records& records, Kind kind) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!seen.insert(records[i].id).second) {
      fail(index(plural(kind), i) + ".id",
           "duplicate id '" + records[i].id + "' in this document", ErrorKind::conflict);
    }
  }
}

json parse_body(std::string_view body) {
  auto v = json::parse(body, nullptr, false);
  if (v.is_discarded()) {
    fail("body", "is not valid JSON");
  }
  return v;
}

template <typename Fn>
Result<Document> boundary(Fn fn) {
  try {
    return fn();
  } catch (const Problem& p) {
    return tl::make_unexpected(p.error);
  }
}

}  // namespace

Result<Document> parse_record(Kind kind, std::string_view body, std::string_view path_id) {
  return boundary([&] {
    auto v = parse_body(body);
    if (!path_id.empty() && v.is_object()) {
      if (!v.contains("id")) {
        v["id"] = std::string(path_id);
      } else if (!v["id"].is_string() || v["id"].get<std::string>() != path_id) {
        fail("id", "must be the id in the URL ('" + std::string(path_id) + "')");
      }
    }
    Document doc;
    std::size_t budget = kMaxDocumentPositions;
    add_record(doc, kind, v, "", budget);
    return doc;
  });
}

Result<Document> parse_document(std::string_view body) {
  return boundary([&] {
    const auto v = parse_body(body);
    Fields top{v, "", {"clients", "devices", "aops", "aols", "regions"}};
    Document doc;
    std::size_t budget = kMaxDocumentPositions;
    for (auto kind : {Kind::region, Kind::client, Kind::device, Kind::aop, Kind::aol}) {
      const json* items = top.raw(plural(kind));
      if (items == nullptr) {
        continue;
      }
      if (!items->is_array()) {
        fail(std::string(plural(kind)), "must be an array");
      }
      for (std::size_t i = 0; i < items->size(); ++i) {
        add_record(doc, kind, (*items)[i], index(plural(kind), i), budget);
      }
    }
    no_duplicates(doc.records.clients, Kind::client);
    no_duplicates(doc.records.devices, Kind::device);
    no_duplicates(doc.records.aops, Kind::aop);
    no_duplicates(doc.records.aols, Kind::aol);
    no_duplicates(doc.records.regions, Kind::region);
    return doc;
  });
}

}  // namespace aware::registry
