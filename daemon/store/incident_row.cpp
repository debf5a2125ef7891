// incident_row.cpp — JSON mapping of an incident's context column (nlohmann::json).
#include "store/incident_row.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace aware::store {
namespace {

using nlohmann::json;

json fix_json(const core::GeoFix& f) {
  return {{"lat", f.lat},
          {"lon", f.lon},
          {"accuracy_m", f.accuracy_m},
          {"fix_time_ms", f.fix_time_ms},
          {"source", core::to_string(f.source)},
          {"received_ms", f.received_ms}};
}

core::GeoFix fix_from(const json& j) {
  core::GeoFix f;
  f.lat = j.at("lat").get<double>();
  f.lon = j.at("lon").get<double>();
  f.accuracy_m = j.at("accuracy_m").get<float>();
  f.fix_time_ms = j.at("fix_time_ms").get<core::TimeMs>();
  f.source = core::fix_source_from(j.at("source").get<std::string>()).value_or(core::FixSource::none);
  f.received_ms = j.at("received_ms").get<core::TimeMs>();
  return f;
}

json ring_json(const core::Ring& ring) {
  json out = json::array();
  for (const auto& p : ring) {
    out.push_back({p.lat, p.lon});
  }
  return out;
}

core::Ring ring_from(const json& j) {
  core::Ring ring;
  for (const auto& p : j) {
    ring.push_back({p.at(0).get<double>(), p.at(1).get<double>()});
  }
  return ring;
}

// An AOL hit's zone (describe()): {"aol_id","lat","lon","radius_m"[,"outer":[[lat,lon]…],
// "holes":[…]]}.
json zone_json(const core::AolZone& z) {
  json out = {{"aol_id", z.aol_id}, {"lat", z.lat}, {"lon", z.lon}, {"radius_m", z.radius_m}};
  if (z.polygon) {
    out["outer"] = ring_json(z.polygon->outer);
    out["holes"] = json::array();
    for (const auto& hole : z.polygon->holes) {
      out["holes"].push_back(ring_json(hole));
    }
  }
  return out;
}

core::AolZone zone_from(const json& j) {
  core::AolZone z{j.at("aol_id"), j.at("lat"), j.at("lon"), j.at("radius_m"), std::nullopt};
  if (j.contains("outer")) {
    z.polygon = core::Polygon{ring_from(j["outer"]), {}};
    for (const auto& hole : j.at("holes")) {
      z.polygon->holes.push_back(ring_from(hole));
    }
  }
  return z;
}

}  // namespace

std::string context_to_json(const core::Incident& inc) {
  json j;
  if (inc.match.aop) {
    const auto& a = *inc.match.aop;
    j["aop"] = {{"aop_id", a.aop_id},         {"client_name", a.client_name},
                {"signalement", a.signalement}, {"pleger", a.pleger},
                {"case_worker", a.case_worker}, {"valid_from", a.valid_from},
                {"valid_until", a.valid_until}, {"photo_refs", a.photo_refs}};
  }
  j["aols"] = json::array();
  for (const auto& h : inc.match.aols) {
    j["aols"].push_back({{"aol_id", h.aol_id},
                         {"label", h.label},
                         {"address", h.address},
                         {"instructions", h.instructions},
                         {"distance_m", h.distance_m},
                         {"inside", h.inside}});
  }
  j["aol_zones"] = json::array();
  for (const auto& z : inc.match.aol_zones) {
    j["aol_zones"].push_back(zone_json(z));
  }
  if (inc.position) {
    j["position"] = fix_json(*inc.position);
  }
  j["track"] = json::array();  // the track is in `positions`; older rows may hold one here
  if (inc.audio) {
    j["audio"] = {{"kind", core::to_string(inc.audio->kind)},
                  {"address", inc.audio->address},
                  {"codec", inc.audio->codec}};
  }
  j["battery_pct"] = inc.battery_pct;
  j["match_flags"] = json::array();
  for (auto f : inc.match.flags) {
    j["match_flags"].push_back(static_cast<int>(f));
  }
  j["flags"] = json::array();
  for (auto f : inc.flags) {
    j["flags"].push_back(static_cast<int>(f));
  }
  return j.dump();
}

void context_from_json(const std::string& text, core::Incident& inc) {
  try {
    const json j = json::parse(text);
    if (j.contains("aop")) {
      const auto& a = j["aop"];
      inc.match.aop = core::AopInfo{a.at("aop_id"),      a.at("client_name"), a.at("signalement"),
                                    a.at("pleger"),      a.at("case_worker"), a.at("valid_from"),
                                    a.at("valid_until")};
      // Rows written before photo references were carried have none.
      inc.match.aop->photo_refs = a.value("photo_refs", std::vector<std::string>{});
    }
    for (const auto& h : j.at("aols")) {
      inc.match.aols.push_back({h.at("aol_id"), h.at("label"), h.at("address"),
                                h.at("instructions"), h.at("distance_m"), h.at("inside")});
    }
    if (j.contains("aol_zones")) {  // rows written before zones were carried have none
      for (const auto& z : j["aol_zones"]) {
        inc.match.aol_zones.push_back(zone_from(z));
      }
    }
    if (j.contains("position")) {
      inc.position = fix_from(j["position"]);
    }
    for (const auto& p : j.at("track")) {
      inc.track.push_back(fix_from(p));
    }
    if (j.contains("audio")) {
      const auto& a = j["audio"];
      inc.audio = core::AudioChannel{
          core::audio_kind_from(a.at("kind").get<std::string>()).value_or(core::AudioKind::none),
          a.at("address"), a.at("codec")};
    }
    inc.battery_pct = j.at("battery_pct");
    for (const auto& f : j.at("match_flags")) {
      inc.match.flags.push_back(static_cast<core::Flag>(f.get<int>()));
    }
    for (const auto& f : j.at("flags")) {
      inc.flags.push_back(static_cast<core::Flag>(f.get<int>()));
    }
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("corrupt incident context: ") + e.what());
  }
}

}  // namespace aware::store
