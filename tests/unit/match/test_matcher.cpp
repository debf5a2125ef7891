// test_matcher.cpp — unit tests for match/matcher: looking up the client, AOP and region behind
// a device (unknown device, expired / not-yet-valid contract, client without AOP), finding the
// AOLs a fix is in or near (radius, widening by accuracy, near limit, ordering), the distance and
// date helpers, and MatchIndexHolder's swap semantics. All inputs are plain Registry values and
// fixed times; AOL points are placed at known distances north of a reference point. Regions are
// in test_regions.cpp, geometry in test_geo.cpp, index == linear scan in test_property.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include "core/geo.hpp"
#include "core/incident.hpp"
#include "match/matcher.hpp"
#include "match/reference.hpp"

namespace core = aware::core;
using aware::match::match;
using aware::match::MatchIndex;
using aware::match::MatchQuery;

namespace {

constexpr double kBaseLat = 52.0;
constexpr double kBaseLon = 5.0;
const double kMetresPerDegreeLat = core::plane_scale(kBaseLat).m_per_deg_lat;

// 2024-06-01T12:00:00Z and friends.
constexpr core::TimeMs kJune2024 = 1717243200000;
constexpr core::TimeMs kJan2025 = 1735732800000;       // 2025-01-01T12:00:00Z
constexpr core::TimeMs kDec31_2024 = 1735646400000;    // 2024-12-31T12:00:00Z
constexpr core::TimeMs kDec31_2023 = 1704024000000;    // 2023-12-31T12:00:00Z

double lat_north_by(double metres) { return kBaseLat + metres / kMetresPerDegreeLat; }

core::AolRecord aol(std::string id, std::string client, double metres_north, double radius) {
  return core::AolRecord{std::move(id), std::move(client), "label", "address", "instructions",
                         lat_north_by(metres_north), kBaseLon, radius};
}

core::Registry base_registry() {
  core::Registry r;
  r.clients = {{"C-1", "Anna", "Midden-Nederland"}, {"C-2", "Bea", "Amsterdam"}, {"C-3", "Cor", ""}};
  r.devices = {{"XM-1", "C-1", true}, {"XM-2", "C-2", true}, {"XM-3", "C-3", true},
               {"XM-ORPHAN", "C-404", true}};
  r.aops = {{"AOP-1", "C-1", "signalement", "pleger", "hulpverlener", "2024-01-01", "2024-12-31"},
            {"AOP-3", "C-3", "s3", "p3", "h3", "", ""}};
  return r;
}

core::GeoFix fix_at_base(float accuracy = 0.0F) {
  return core::GeoFix{kBaseLat, kBaseLon, accuracy, 0, core::FixSource::gps, 0};
}

core::MatchConfig config() {
  core::MatchConfig c;
  c.near_m = 500.0;
  c.near_max = 10;
  c.default_region = "landelijk";
  return c;
}

std::vector<std::string> ids(const std::vector<core::AolHit>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) {
    out.push_back(h.aol_id);
  }
  return out;
}

}  // namespace

TEST_CASE("an unknown device is flagged, gets the default region and no AOP", "[match]") {
  MatchIndex index{base_registry()};
  const auto r = match(index, MatchQuery{"XM-NOBODY", std::nullopt, kJune2024}, config());
  CHECK(r.client_id.empty());
  CHECK_FALSE(r.aop.has_value());
  CHECK(r.region == "landelijk");
  CHECK(r.flags == std::vector<core::Flag>{core::Flag::unknown_device});
  CHECK(r.aop_state == core::AopState::unknown_device);
  CHECK(r.region_source == core::RegionSource::default_desk);
  CHECK(r.aols.empty());
}

TEST_CASE("a device whose client is not registered counts as unknown", "[match]") {
  MatchIndex index{base_registry()};
  const auto r = match(index, MatchQuery{"XM-ORPHAN", std::nullopt, kJune2024}, config());
  CHECK(r.client_id.empty());
  CHECK(core::has_flag(r.flags, core::Flag::unknown_device));
  CHECK(r.region == "landelijk");
}

TEST_CASE("a known device yields client, AOP info and the client's home region", "[match]") {
  MatchIndex index{base_registry()};
  auto r = match(index, MatchQuery{"XM-1", std::nullopt, kJune2024}, config());
  CHECK(r.client_id == "C-1");
  CHECK(r.region == "Midden-Nederland");
  CHECK(r.region_source == core::RegionSource::home_region);
  CHECK(r.aop_state == core::AopState::active);
  CHECK(r.flags.empty());
  REQUIRE(r.aop.has_value());
  // match() names the AOP and its period; describe() adds what a person reads.
  CHECK(*r.aop == core::AopInfo{.aop_id = "AOP-1", .valid_from = "2024-01-01",
                                .valid_until = "2024-12-31"});
  index.describe(r);
  CHECK(*r.aop == core::AopInfo{"AOP-1", "Anna", "signalement", "pleger", "hulpverlener",
                                "2024-01-01", "2024-12-31"});
}

TEST_CASE("a client without home region gets the default region", "[match]") {
  MatchIndex index{base_registry()};
  const auto r = match(index, MatchQuery{"XM-3", std::nullopt, kJune2024}, config());
  CHECK(r.client_id == "C-3");
  CHECK(r.region == "landelijk");
  CHECK(r.region_source == core::RegionSource::default_desk);
  CHECK(r.aop_state == core::AopState::active);
  CHECK(r.flags.empty());  // an AOP without dates is never expired
}

TEST_CASE("an AOP past its end date is flagged contract_expired but the last day still counts",
          "[match]") {
  MatchIndex index{base_registry()};
  const auto expired = match(index, MatchQuery{"XM-1", std::nullopt, kJan2025}, config());
  CHECK(expired.flags == std::vector<core::Flag>{core::Flag::contract_expired});
  CHECK(expired.aop_state == core::AopState::expired);
  CHECK(expired.aop.has_value());
  const auto last_day = match(index, MatchQuery{"XM-1", std::nullopt, kDec31_2024}, config());
  CHECK(last_day.flags.empty());
}

TEST_CASE("an AOP before its start date is flagged contract_not_yet", "[match]") {
  MatchIndex index{base_registry()};
  const auto r = match(index, MatchQuery{"XM-1", std::nullopt, kDec31_2023}, config());
  CHECK(r.flags == std::vector<core::Flag>{core::Flag::contract_not_yet});
  CHECK(r.aop_state == core::AopState::not_yet_valid);
  CHECK(r.aop.has_value());
}

TEST_CASE("a registered client without AOP is flagged no_aop", "[match]") {
  MatchIndex index{base_registry()};
  const auto r = match(index, MatchQuery{"XM-2", std::nullopt, kJune2024}, config());
  CHECK(r.client_id == "C-2");
  CHECK(r.region == "Amsterdam");
  CHECK_FALSE(r.aop.has_value());
  CHECK(r.aop_state == core::AopState::no_aop);
  CHECK(r.flags == std::vector<core::Flag>{core::Flag::no_aop});
}

TEST_CASE("a fix inside an AOL's radius is an inside hit at distance 0", "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("AOL-1", "C-1", 50.0, 100.0)};
  MatchIndex index{std::move(reg)};
  auto r = match(index, MatchQuery{"XM-1", fix_at_base(), kJune2024}, config());
  REQUIRE(r.aols.size() == 1);
  CHECK(r.aols[0].aol_id == "AOL-1");
  CHECK(r.aols[0].inside);
  CHECK(r.aols[0].distance_m == 0.0);
  CHECK(r.aols[0].label.empty());
  index.describe(r);
  CHECK(r.aols[0].label == "label");
  CHECK(r.aols[0].address == "address");
  CHECK(r.aols[0].instructions == "instructions");
}

TEST_CASE("describe adds each AOL hit's zone and the AOP's photo references", "[match]") {
  auto reg = base_registry();
  reg.aops[0].photo_refs = {"politie-foto://AOP-1/1", "https://foto.example/2.jpg"};
  auto square = aol("AOL-P", "C-1", 0.0, 0.0);
  const double d = 0.001;
  square.zone = core::Polygon{{{kBaseLat - d, kBaseLon - d}, {kBaseLat - d, kBaseLon + d},
                               {kBaseLat + d, kBaseLon + d}, {kBaseLat + d, kBaseLon - d}},
                              {}};
  reg.aols = {aol("AOL-C", "C-1", 300.0, 100.0), square};
  MatchIndex index{std::move(reg)};
  auto r = match(index, MatchQuery{"XM-1", fix_at_base(), kJune2024}, config());
  REQUIRE(r.aols.size() == 2);
  CHECK(r.aol_zones.empty());  // match() copies no geometry
  CHECK(r.aop->photo_refs.empty());
  index.describe(r);
  CHECK(r.aop->photo_refs ==
        std::vector<std::string>{"politie-foto://AOP-1/1", "https://foto.example/2.jpg"});
  REQUIRE(r.aol_zones.size() == 2);
  // Same order as the hits: the polygon the fix is in first, then the circle near by.
  CHECK(r.aols[0].aol_id == "AOL-P");
  CHECK(r.aols[0].inside);
  const auto& polygon = r.aol_zones[0];
  CHECK(polygon.aol_id == "AOL-P");
  CHECK(polygon.radius_m == 0.0);
  REQUIRE(polygon.polygon.has_value());
  CHECK(polygon.polygon->outer.size() == 4);
  CHECK(polygon.polygon->outer[2] == core::GeoPoint{kBaseLat + d, kBaseLon + d});
  const auto& circle = r.aol_zones[1];
  CHECK(r.aols[1].aol_id == "AOL-C");
  CHECK_FALSE(r.aols[1].inside);
  CHECK(circle.aol_id == "AOL-C");
  CHECK(circle.radius_m == 100.0);
  CHECK(circle.lat == lat_north_by(300.0));
  CHECK(circle.lon == kBaseLon);
  CHECK_FALSE(circle.polygon.has_value());
  index.describe(r);  // describing twice does not add zones twice
  CHECK(r.aol_zones.size() == 2);
}

TEST_CASE("describe leaves an empty zone for a hit whose AOL is no longer indexed", "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("AOL-1", "C-1", 50.0, 100.0)};
  MatchIndex index{std::move(reg)};
  auto r = match(index, MatchQuery{"XM-1", fix_at_base(), kJune2024}, config());
  MatchIndex later{base_registry()};  // AOL-1 deregistered between match and describe
  later.describe(r);
  REQUIRE(r.aol_zones.size() == 1);
  CHECK(r.aol_zones[0].aol_id == "AOL-1");
  CHECK(r.aol_zones[0].radius_m == 0.0);
  CHECK_FALSE(r.aol_zones[0].polygon.has_value());
}

TEST_CASE("a fix is inside only thanks to its accuracy", "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("AOL-1", "C-1", 150.0, 100.0)};
  MatchIndex index{std::move(reg)};
  const auto sharp = match(index, MatchQuery{"XM-1", fix_at_base(0.0F), kJune2024}, config());
  REQUIRE(sharp.aols.size() == 1);
  CHECK_FALSE(sharp.aols[0].inside);  // 150 m from a 100 m zone: near only
  CHECK(sharp.aols[0].distance_m == Approx(50.0).margin(0.01));
  const auto vague = match(index, MatchQuery{"XM-1", fix_at_base(60.0F), kJune2024}, config());
  REQUIRE(vague.aols.size() == 1);
  CHECK(vague.aols[0].inside);
  CHECK(vague.aols[0].distance_m == Approx(50.0).margin(0.01));  // still measured to the zone
  const auto short_of = match(index, MatchQuery{"XM-1", fix_at_base(49.0F), kJune2024}, config());
  REQUIRE(short_of.aols.size() == 1);
  CHECK_FALSE(short_of.aols[0].inside);
}

TEST_CASE("zero accuracy: a fix exactly on the circle is inside, a hair beyond it is not",
          "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("AOL-1", "C-1", 0.0, 100.0)};
  const auto centre = core::GeoPoint{reg.aols[0].lat, reg.aols[0].lon};
  // The radius is set to the computed distance of the fix, so the fix lies exactly on the edge.
  const core::GeoPoint edge{lat_north_by(-80.0), kBaseLon + 0.0008};
  reg.aols[0].radius_m = core::distance_m(edge, centre);
  auto beyond = reg;
  beyond.aols[0].radius_m = std::nextafter(reg.aols[0].radius_m, 0.0);
  const auto fix = core::GeoFix{edge.lat, edge.lon, 0.0F, 0, core::FixSource::gps, 0};
  const auto on = match(MatchIndex{std::move(reg)}, MatchQuery{"XM-1", fix, kJune2024}, config());
  REQUIRE(on.aols.size() == 1);
  CHECK(on.aols[0].inside);
  CHECK(on.aols[0].distance_m == 0.0);
  const auto off = match(MatchIndex{std::move(beyond)}, MatchQuery{"XM-1", fix, kJune2024}, config());
  REQUIRE(off.aols.size() == 1);
  CHECK_FALSE(off.aols[0].inside);
}

TEST_CASE("a huge accuracy (50 km) makes every zone within reach inside, none beyond", "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("AOL-10K", "C-2", 10'000.0, 100.0), aol("AOL-49K", "C-2", 49'000.0, 500.0),
              aol("AOL-52K", "C-2", 52'000.0, 100.0)};
  MatchIndex index{std::move(reg)};
  const auto r = match(index, MatchQuery{"XM-1", fix_at_base(50'000.0F), kJune2024}, config());
  CHECK(ids(r.aols) == std::vector<std::string>{"AOL-10K", "AOL-49K"});
  CHECK(r.aols[0].inside);
  CHECK(r.aols[1].inside);
  CHECK(r.aols[1].distance_m == Approx(48'500.0).epsilon(1e-4));
}

TEST_CASE("two AOLs at the same point are both listed, ordered by id", "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("AOL-B", "C-2", 30.0, 100.0), aol("AOL-A", "C-2", 30.0, 100.0),
              aol("AOL-D", "C-2", 300.0, 10.0), aol("AOL-C", "C-2", 300.0, 10.0)};
  MatchIndex index{std::move(reg)};
  const auto r = match(index, MatchQuery{"XM-1", fix_at_base(), kJune2024}, config());
  CHECK(ids(r.aols) == std::vector<std::string>{"AOL-A", "AOL-B", "AOL-C", "AOL-D"});
}

TEST_CASE("inactive devices, clients, AOPs and AOLs are left out of the index", "[match]") {
  auto reg = base_registry();
  reg.devices[0].active = false;        // XM-1
  reg.clients[1].active = false;        // C-2, carried by XM-2
  reg.aops[1].active = false;           // AOP-3 of C-3
  reg.aols = {aol("AOL-GONE", "C-3", 0.0, 100.0)};
  reg.aols[0].active = false;
  MatchIndex index{std::move(reg)};
  CHECK(index.device("XM-1") == nullptr);
  CHECK(index.client("C-2") == nullptr);
  CHECK(match(index, MatchQuery{"XM-1", std::nullopt, kJune2024}, config()).aop_state ==
        core::AopState::unknown_device);
  CHECK(match(index, MatchQuery{"XM-2", std::nullopt, kJune2024}, config()).aop_state ==
        core::AopState::unknown_device);
  const auto r = match(index, MatchQuery{"XM-3", fix_at_base(), kJune2024}, config());
  CHECK(r.aop_state == core::AopState::no_aop);
  CHECK(r.aols.empty());
}

TEST_CASE("a polygon AOL: inside, in its hole (outside), and near it", "[match]") {
  auto reg = base_registry();
  // A 400 m x 400 m square around the base with a 100 m x 100 m hole in the middle.
  const double dlat = 200.0 / kMetresPerDegreeLat;
  const double dlon = 200.0 / core::plane_scale(kBaseLat).m_per_deg_lon;
  core::Polygon zone{{{kBaseLat - dlat, kBaseLon - dlon},
                      {kBaseLat - dlat, kBaseLon + dlon},
                      {kBaseLat + dlat, kBaseLon + dlon},
                      {kBaseLat + dlat, kBaseLon - dlon}},
                     {{{kBaseLat - dlat / 4, kBaseLon - dlon / 4},
                       {kBaseLat - dlat / 4, kBaseLon + dlon / 4},
                       {kBaseLat + dlat / 4, kBaseLon + dlon / 4},
                       {kBaseLat + dlat / 4, kBaseLon - dlon / 4}}}};
  auto zone_aol = aol("AOL-ZONE", "C-1", 0.0, 200.0);
  zone_aol.zone = zone;
  reg.aols = {zone_aol};
  MatchIndex index{std::move(reg)};
  auto at = [&](double north_m, float accuracy) {
    return match(index,
                 MatchQuery{"XM-1",
                            core::GeoFix{lat_north_by(north_m), kBaseLon, accuracy, 0,
                                         core::FixSource::gps, 0},
                            kJune2024},
                 config());
  };
  const auto in_ring = at(120.0, 0.0F);
  REQUIRE(in_ring.aols.size() == 1);
  CHECK(in_ring.aols[0].inside);
  CHECK(in_ring.aols[0].distance_m == 0.0);
  const auto in_hole = at(0.0, 0.0F);  // 50 m from the hole's edge
  REQUIRE(in_hole.aols.size() == 1);
  CHECK_FALSE(in_hole.aols[0].inside);
  CHECK(in_hole.aols[0].distance_m == Approx(50.0).margin(0.01));
  CHECK(at(0.0, 50.5F).aols[0].inside);
  const auto outside = at(450.0, 0.0F);
  REQUIRE(outside.aols.size() == 1);
  CHECK_FALSE(outside.aols[0].inside);
  CHECK(outside.aols[0].distance_m == Approx(250.0).margin(0.01));
  CHECK(at(750.0, 0.0F).aols.empty());
}

TEST_CASE("an AOL within near_m is listed as near and one beyond it is not listed", "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("AOL-NEAR", "C-1", 450.0, 100.0), aol("AOL-FAR", "C-1", 560.0, 50.0)};
  MatchIndex index{std::move(reg)};
  const auto r = match(index, MatchQuery{"XM-1", fix_at_base(), kJune2024}, config());
  REQUIRE(r.aols.size() == 1);
  CHECK(r.aols[0].aol_id == "AOL-NEAR");
  CHECK_FALSE(r.aols[0].inside);
  CHECK(r.aols[0].distance_m == Approx(350.0).margin(0.5));  // to the zone edge
}

TEST_CASE("AOL hits are ordered inside first, then own client first, then by distance",
          "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("NEAR-OTHER-FAR", "C-2", 400.0, 10.0), aol("IN-OTHER", "C-2", 80.0, 200.0),
              aol("NEAR-OWN", "C-1", 300.0, 10.0),       aol("IN-OWN", "C-1", 120.0, 200.0),
              aol("NEAR-OTHER", "C-2", 250.0, 10.0),     aol("NEAR-NOBODY", "", 260.0, 10.0)};
  MatchIndex index{std::move(reg)};
  const auto r = match(index, MatchQuery{"XM-1", fix_at_base(), kJune2024}, config());
  CHECK(ids(r.aols) == std::vector<std::string>{"IN-OWN", "IN-OTHER", "NEAR-OWN", "NEAR-OTHER",
                                                "NEAR-NOBODY", "NEAR-OTHER-FAR"});
}

TEST_CASE("for an unknown device no AOL counts as own: inside first, then by distance",
          "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("NEAR-C1", "C-1", 300.0, 10.0), aol("NEAR-C2", "C-2", 200.0, 10.0),
              aol("IN-C1", "C-1", 100.0, 150.0)};
  MatchIndex index{std::move(reg)};
  const auto r = match(index, MatchQuery{"XM-NOBODY", fix_at_base(), kJune2024}, config());
  CHECK(ids(r.aols) == std::vector<std::string>{"IN-C1", "NEAR-C2", "NEAR-C1"});
}

TEST_CASE("near_max limits the near AOLs but never the inside ones", "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("IN-1", "C-1", 10.0, 100.0), aol("IN-2", "C-2", 20.0, 100.0),
              aol("IN-3", "C-2", 30.0, 100.0), aol("NEAR-1", "C-2", 200.0, 10.0),
              aol("NEAR-2", "C-2", 300.0, 10.0), aol("NEAR-3", "C-2", 400.0, 10.0)};
  MatchIndex index{std::move(reg)};
  auto cfg = config();
  cfg.near_max = 2;
  const auto r = match(index, MatchQuery{"XM-1", fix_at_base(), kJune2024}, cfg);
  CHECK(ids(r.aols) == std::vector<std::string>{"IN-1", "IN-2", "IN-3", "NEAR-1", "NEAR-2"});
  cfg.near_max = 0;
  const auto none = match(index, MatchQuery{"XM-1", fix_at_base(), kJune2024}, cfg);
  CHECK(ids(none.aols) == std::vector<std::string>{"IN-1", "IN-2", "IN-3"});
}

TEST_CASE("without a fix no AOLs are matched", "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("AOL-1", "C-1", 0.0, 1000.0)};
  MatchIndex index{std::move(reg)};
  const auto r = match(index, MatchQuery{"XM-1", std::nullopt, kJune2024}, config());
  CHECK(r.aols.empty());
  CHECK(r.client_id == "C-1");
}

TEST_CASE("iso_date gives the UTC date of a time", "[match]") {
  CHECK(aware::match::iso_date(0) == "1970-01-01");
  CHECK(aware::match::iso_date(1700000000000) == "2023-11-14");
  CHECK(aware::match::iso_date(kJune2024) == "2024-06-01");
  CHECK(aware::match::iso_date(1735689599999) == "2024-12-31");  // last ms of 2024
  CHECK(aware::match::iso_date(1735689600000) == "2025-01-01");
}

TEST_CASE("MatchIndexHolder starts empty and replace() swaps what current() returns",
          "[match]") {
  aware::match::MatchIndexHolder holder;
  const auto empty = holder.current();
  REQUIRE(empty != nullptr);
  CHECK(empty->device("XM-1") == nullptr);

  auto first = std::make_shared<const MatchIndex>(base_registry());
  holder.replace(first);
  const auto held = holder.current();
  CHECK(held == first);
  REQUIRE(held->device("XM-1") != nullptr);

  core::Registry other;
  other.clients = {{"C-9", "Zoe", "Noord"}};
  other.devices = {{"XM-9", "C-9", true}};
  holder.replace(std::make_shared<const MatchIndex>(std::move(other)));
  first.reset();
  // The old index stays alive and usable through `held`.
  REQUIRE(held->device("XM-1") != nullptr);
  CHECK(held->device("XM-1")->client_id == "C-1");
  CHECK(match(*held, MatchQuery{"XM-1", std::nullopt, kJune2024}, config()).client_id == "C-1");
  // New readers see the new index.
  const auto now = holder.current();
  CHECK(now->device("XM-1") == nullptr);
  CHECK(match(*now, MatchQuery{"XM-9", std::nullopt, kJune2024}, config()).region == "Noord");
}

TEST_CASE("a client with an expired and a renewed AOP matches the current one",
          "[match]") {
  auto reg = base_registry();
  reg.aops = {{"AOP-OLD", "C-1", "s", "p", "h", "2023-07-01", "2023-12-31"},
              {"AOP-NEW", "C-1", "s", "p", "h", "2024-01-01", "2024-12-31"}};
  MatchIndex index{std::move(reg)};
  const auto r = match(index, MatchQuery{"XM-1", std::nullopt, kJune2024}, config());
  REQUIRE(r.aop.has_value());
  CHECK(r.aop->aop_id == "AOP-NEW");
  CHECK(r.flags.empty());
}

TEST_CASE("without a current AOP the one that ended last wins, else the next to start",
          "[match]") {
  auto reg = base_registry();
  reg.aops = {{"AOP-2022", "C-1", "s", "p", "h", "2022-01-01", "2022-12-31"},
              {"AOP-2023", "C-1", "s", "p", "h", "2023-01-01", "2023-06-30"},
              {"AOP-2026", "C-1", "s", "p", "h", "2026-01-01", "2026-12-31"},
              {"AOP-2025", "C-1", "s", "p", "h", "2025-01-01", "2025-12-31"}};
  MatchIndex index{std::move(reg)};
  const auto gap = match(index, MatchQuery{"XM-1", std::nullopt, kJune2024}, config());
  REQUIRE(gap.aop.has_value());
  CHECK(gap.aop->aop_id == "AOP-2023");
  CHECK(gap.aop_state == core::AopState::expired);
  CHECK(index.aop_of_client("C-1", "2021-05-05")->id == "AOP-2022");
  CHECK(index.aop_of_client("C-1", "2025-03-01")->id == "AOP-2025");
  CHECK(index.aop_of_client("C-1", "2027-01-01")->id == "AOP-2026");
  CHECK(index.aop_of_client("C-2", "2024-01-01") == nullptr);
}

TEST_CASE("open-ended AOP dates: no start is always started, no end never ends", "[match]") {
  auto reg = base_registry();
  reg.aops = {{"AOP-OPEN-END", "C-1", "s", "p", "h", "2024-01-01", ""},
              {"AOP-OPEN-START", "C-2", "s", "p", "h", "", "2024-03-01"}};
  MatchIndex index{std::move(reg)};
  CHECK(match(index, MatchQuery{"XM-1", std::nullopt, kJan2025}, config()).aop_state ==
        core::AopState::active);
  CHECK(match(index, MatchQuery{"XM-1", std::nullopt, kDec31_2023}, config()).aop_state ==
        core::AopState::not_yet_valid);
  CHECK(match(index, MatchQuery{"XM-2", std::nullopt, kDec31_2023}, config()).aop_state ==
        core::AopState::active);
  CHECK(match(index, MatchQuery{"XM-2", std::nullopt, kJune2024}, config()).aop_state ==
        core::AopState::expired);
}

TEST_CASE("the example rules give the same results from the index and the linear scan",
          "[match]") {
  auto reg = base_registry();
  reg.aols = {aol("IN-OWN", "C-1", 120.0, 200.0), aol("NEAR-OTHER", "C-2", 250.0, 10.0),
              aol("NEAR-OWN", "C-1", 300.0, 10.0)};
  const MatchIndex index{reg};
  for (const char* device : {"XM-1", "XM-2", "XM-3", "XM-NOBODY"}) {
    for (const auto now : {kJune2024, kJan2025, kDec31_2023}) {
      const MatchQuery q{device, fix_at_base(20.0F), now};
      CHECK(match(index, q, config()) == aware::match::match_linear(reg, q, config()));
    }
  }
}
