// registry.hpp — the registration records (clients, devices, AOPs, AOLs, meldkamer regions) as
// plain values. The store loads and saves them; the registry stage validates them; match builds
// its immutable index from a Registry snapshot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aware::core {

struct GeoPoint {
  double lat = 0;                   // WGS84 degrees
  double lon = 0;
  bool operator==(const GeoPoint&) const = default;
};

// A closed ring; the first point is not repeated at the end.
using Ring = std::vector<GeoPoint>;

// A polygon with optional holes (GeoJSON Polygon semantics).
struct Polygon {
  Ring outer;
  std::vector<Ring> holes;
  bool operator==(const Polygon&) const = default;
};

struct ClientRecord {
  std::string id;
  std::string name;                 // the client's name, shown to centralists only
  std::string home_region;          // region id used when no usable position is known
  bool active = true;
  bool operator==(const ClientRecord&) const = default;
};

struct DeviceRecord {
  std::string id;                   // X-Mark device identity as sent in Hello
  std::string client_id;            // the client who carries it
  bool active = true;               // false once returned
  std::uint32_t heartbeat_interval_s = 0;  // its heartbeat interval; 0 = [supervision] default
  bool operator==(const DeviceRecord&) const = default;
};

// Afspraak op Persoon.
struct AopRecord {
  std::string id;
  std::string client_id;
  std::string signalement;          // description of the client
  std::string pleger;               // description of the perpetrator
  std::string case_worker;          // responsible hulpverlener
  std::string valid_from;           // ISO date, inclusive
  std::string valid_until;          // ISO date, inclusive
  std::vector<std::string> photo_refs;  // references to photos held elsewhere (never the images)
  bool active = true;
  bool operator==(const AopRecord&) const = default;
};

// Afspraak op Locatie: a point with a radius, or a polygon zone (then `lat`/`lon` is its
// reference point, shown on the map and used for distances).
struct AolRecord {
  std::string id;
  std::string client_id;            // may be empty: an AOL not tied to one client
  std::string label;                // home, work, school...
  std::string address;
  std::string instructions;         // what the police should know there
  double lat = 0;
  double lon = 0;
  double radius_m = 0;              // zone radius when `zone` is absent; 0 < r <= 50 km
  std::optional<Polygon> zone;      // a polygon zone instead of the circle
  bool active = true;
  bool operator==(const AolRecord&) const = default;
};

// A police meldkamer region (one of the ten regional units, or a desk).
struct RegionRecord {
  std::string id;                   // e.g. "midden-nederland"
  std::string name;                 // e.g. "Midden-Nederland"
  std::vector<Polygon> area;        // one or more polygons (GeoJSON MultiPolygon)
  bool operator==(const RegionRecord&) const = default;
};

struct Registry {
  std::vector<ClientRecord> clients;
  std::vector<DeviceRecord> devices;
  std::vector<AopRecord> aops;
  std::vector<AolRecord> aols;
  std::vector<RegionRecord> regions;
};

}  // namespace aware::core
