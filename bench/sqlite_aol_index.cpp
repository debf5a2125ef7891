// sqlite_aol_index.cpp — see sqlite_aol_index.hpp. The R*Tree only narrows the candidates; the
// rules (inside / near, own first, near_max) are applied in C++ with the same core::geo distance
// functions the index uses, so both must produce identical hits.
#include "sqlite_aol_index.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/geo.hpp"

namespace aware::bench {
namespace {

// Metres -> degrees is done at one latitude while distance_m() carries its scale towards the mean
// latitude of the two points; widening every box by 5 % plus 2 m keeps the R*Tree filter conservative.
constexpr double widen_factor = 1.05;
constexpr double widen_extra_m = 2.0;

struct Box {
  double min_lat, max_lat, min_lon, max_lon;
};

Box around(core::GeoPoint p, double metres) {
  const core::PlaneScale s = core::plane_scale(p.lat);
  const double m = metres * widen_factor + widen_extra_m;
  return {p.lat - m / s.m_per_deg_lat, p.lat + m / s.m_per_deg_lat, p.lon - m / s.m_per_deg_lon,
          p.lon + m / s.m_per_deg_lon};
}

Box box_of(const core::AolRecord& a) {
  if (!a.zone) {
    return around({a.lat, a.lon}, a.radius_m);
  }
  Box b = around(a.zone->outer.front(), 0);
  for (const core::GeoPoint& v : a.zone->outer) {
    const Box vb = around(v, 0);
    b = {std::min(b.min_lat, vb.min_lat), std::max(b.max_lat, vb.max_lat),
         std::min(b.min_lon, vb.min_lon), std::max(b.max_lon, vb.max_lon)};
  }
  return b;
}

void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string{what} + ": " + sqlite3_errmsg(db));
  }
}

void exec(sqlite3* db, const char* sql) {
  check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql);
}

}  // namespace

SqliteAolIndex::SqliteAolIndex(const std::vector<core::AolRecord>& aols) : aols_{aols} {
  check(db_, sqlite3_open(":memory:", &db_), "open");
  exec(db_, "CREATE VIRTUAL TABLE aol_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon)");
  exec(db_, "BEGIN");
  sqlite3_stmt* insert = nullptr;
  check(db_,
        sqlite3_prepare_v2(db_, "INSERT INTO aol_rtree VALUES (?1, ?2, ?3, ?4, ?5)", -1, &insert,
                           nullptr),
        "prepare insert");
  for (std::size_t i = 0; i < aols_.size(); ++i) {
    if (!aols_[i].active) {
      continue;
    }
    const Box b = box_of(aols_[i]);
    sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(i));
    sqlite3_bind_double(insert, 2, b.min_lat);
    sqlite3_bind_double(insert, 3, b.max_lat);
    sqlite3_bind_double(insert, 4, b.min_lon);
    sqlite3_bind_double(insert, 5, b.max_lon);
    check(db_, sqlite3_step(insert), "insert");
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  exec(db_, "COMMIT");
  check(db_,
        sqlite3_prepare_v2(db_,
                           "SELECT id FROM aol_rtree WHERE max_lat >= ?1 AND min_lat <= ?2 "
                           "AND max_lon >= ?3 AND min_lon <= ?4",
                           -1, &query_, nullptr),
        "prepare query");
}

SqliteAolIndex::~SqliteAolIndex() {
  sqlite3_finalize(query_);
  sqlite3_close(db_);
}

long long SqliteAolIndex::memory_used() { return sqlite3_memory_used(); }

void SqliteAolIndex::find_aols(core::GeoPoint p, double accuracy_m, std::string_view client_id,
                               const core::MatchConfig& config, std::vector<core::AolHit>& out) {
  inside_.clear();
  near_.clear();
  const Box q = around(p, std::max(config.near_m, accuracy_m));
  sqlite3_bind_double(query_, 1, q.min_lat);
  sqlite3_bind_double(query_, 2, q.max_lat);
  sqlite3_bind_double(query_, 3, q.min_lon);
  sqlite3_bind_double(query_, 4, q.max_lon);
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(query_)) == SQLITE_ROW) {
    const auto index = static_cast<std::size_t>(sqlite3_column_int64(query_, 0));
    const core::AolRecord& a = aols_[index];
    const bool own = !client_id.empty() && a.client_id == client_id;
    if (a.zone) {
      const double d = core::distance_to_polygon_m(*a.zone, p);
      if (d <= accuracy_m) {
        inside_.push_back({index, d, own});
      } else if (d <= config.near_m) {
        near_.push_back({index, d, own});
      }
    } else {
      const double d = core::distance_m(p, {a.lat, a.lon});
      const double to_zone = std::max(0.0, d - a.radius_m);
      if (d <= a.radius_m + accuracy_m) {
        inside_.push_back({index, to_zone, own});
      } else if (to_zone <= config.near_m) {
        near_.push_back({index, to_zone, own});
      }
    }
  }
  check(db_, rc, "query");
  sqlite3_reset(query_);

  auto before = [this](const Candidate& x, const Candidate& y) {
    if (x.own != y.own) {
      return x.own;
    }
    if (x.distance_m != y.distance_m) {
      return x.distance_m < y.distance_m;
    }
    return aols_[x.index].id < aols_[y.index].id;
  };
  std::sort(inside_.begin(), inside_.end(), before);
  const std::size_t keep = std::min(near_.size(), config.near_max);
  std::partial_sort(near_.begin(), near_.begin() + static_cast<std::ptrdiff_t>(keep), near_.end(),
                    before);
  near_.resize(keep);
  for (const auto* list : {&inside_, &near_}) {
    for (const Candidate& c : *list) {
      const core::AolRecord& a = aols_[c.index];
      // As MatchIndex::find_aols: id, distance and inside; describe() adds the text later.
      out.push_back(
          core::AolHit{.aol_id = a.id, .distance_m = c.distance_m, .inside = list == &inside_});
    }
  }
}

}  // namespace aware::bench
