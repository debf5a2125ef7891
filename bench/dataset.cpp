// dataset.cpp — generates the records and queries described in dataset.hpp from one seed.
//
// Shape (per 1e6 of each):
// - clients/devices/AOPs: device i is carried by client i (90 %) or by a random client (a
//   household with several devices); 0.5 % of devices are returned (inactive); each client has an
//   AOP (86 % active now, 9 % expired, 5 % not yet valid) and 5 % also an older, expired one;
//   2 % of clients have no home region.
// - AOLs: 90 % belong to a client; centres from CityModel; radius 50–500 m log-uniform (98 %),
//   0.5–3 km (2 %), every 50 000th 10–50 km; 5 % are star-shaped polygons of 5–12 vertices;
//   1 % inactive.
// - queries: 25 % near one of the device's client's own AOLs, 55 % near a city, 15 % anywhere,
//   5 % from unknown devices; 2 % without a fix, 5 % with a stale fix (10–60 min old);
//   accuracy 5–100 m log-uniform, 0.5 % huge (1–5 km).
#include "dataset.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace aware::bench {
namespace {

using Rng = std::mt19937_64;

constexpr core::TimeMs now_ms = 1'780'315'200'000;  // 2026-06-01T12:00:00Z

std::string numbered(const char* prefix, std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%07zu", prefix, n);
  return buf;
}

// "YYYY-MM-DD" `days` days after now.
std::string date_from_now(int days) {
  using namespace std::chrono;
  const sys_days today = floor<std::chrono::days>(sys_time<milliseconds>{milliseconds{now_ms}});
  const year_month_day ymd{today + std::chrono::days{days}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

double log_uniform(Rng& rng, double lo, double hi) {
  std::uniform_real_distribution<double> u(std::log(lo), std::log(hi));
  return std::exp(u(rng));
}

template <typename T>
const T& pick(Rng& rng, const std::vector<T>& pool) {
  std::uniform_int_distribution<std::size_t> i(0, pool.size() - 1);
  return pool[i(rng)];
}

const std::vector<std::string> labels{"woning",    "werk",   "school",
                                      "sportclub", "ouders", "kinderopvang"};
const std::vector<std::string> streets{"Kerkstraat",    "Dorpsstraat", "Molenweg",    "Stationsweg",
                                       "Julianastraat", "Beatrixlaan", "Schoolstraat"};
const std::vector<std::string> places{"Amsterdam", "Utrecht", "Zwolle", "Eindhoven", "Leeuwarden"};
const std::vector<std::string> instructions{
    "Pleger woont om de hoek; direct met twee eenheden aanrijden.",
    "Achteringang via de tuin; sleutel bij de buren op nummer 14.",
    "Client werkt op de tweede verdieping, receptie is op de hoogte.",
    "Contactverbod geldt ook hier; pleger rijdt een grijze bestelbus.",
    "Schoolleiding geinformeerd; kinderen worden om 15:00 opgehaald."};
const std::vector<std::string> signalementen{"vrouw, 34 jaar, 1.70 m, blond", "man, 52 jaar, kaal",
                                             "vrouw, 27 jaar, donker haar, bril"};

void make_people(Dataset& ds, const DatasetParams& params, Rng& rng) {
  std::uniform_int_distribution<std::size_t> any_client(0, params.people - 1);
  std::uniform_int_distribution<std::size_t> any_region(0, ds.base.regions.size() - 1);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<int> days(1, 700);
  auto& reg = ds.base;
  for (std::size_t i = 0; i < params.people; ++i) {
    const std::string client = numbered("C", i);
    const std::string home = u(rng) < 0.02 ? "" : reg.regions[any_region(rng)].id;
    reg.clients.push_back({client, "Client " + std::to_string(i), home, true});
    const std::size_t carrier = u(rng) < 0.9 ? i : any_client(rng);
    reg.devices.push_back({numbered("XM", i), numbered("C", carrier), u(rng) >= 0.005});
    const double state = u(rng);
    std::string from = date_from_now(-days(rng));
    std::string until = date_from_now(days(rng));
    if (state >= 0.86 && state < 0.95) {  // expired
      until = date_from_now(-days(rng) / 4);
      from = date_from_now(-400 - days(rng));
    } else if (state >= 0.95) {  // not yet valid
      from = date_from_now(days(rng) / 10);
      until = date_from_now(720 + days(rng));
    }
    const std::string aop = numbered("AOP", i);
    reg.aops.push_back({aop,
                        client,
                        pick(rng, signalementen),
                        "man, 40 jaar, grijze bestelbus",
                        "J. de Vries, Veilig Thuis",
                        from,
                        until,
                        {"photo/" + aop + "-1.jpg"},
                        true});
    if (u(rng) < 0.05) {
      reg.aops.push_back({aop + "-old",
                          client,
                          pick(rng, signalementen),
                          "onbekend",
                          "A. Bakker",
                          date_from_now(-1400),
                          date_from_now(-900),
                          {},
                          true});
    }
  }
}

core::AolRecord make_aol(std::size_t i, std::size_t people, const CityModel& cities, Rng& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<std::size_t> any_client(0, people - 1);
  std::uniform_int_distribution<int> number(1, 250);
  core::AolRecord a;
  a.id = numbered("AOL", i);
  a.client_id = u(rng) < 0.9 ? numbered("C", any_client(rng)) : "";
  a.label = pick(rng, labels);
  a.address = pick(rng, streets) + " " + std::to_string(number(rng)) + ", " + pick(rng, places);
  a.instructions = pick(rng, instructions);
  const core::GeoPoint c = cities.anywhere(rng);
  a.lat = c.lat;
  a.lon = c.lon;
  a.active = u(rng) >= 0.01;
  if (i % 50'000 == 7) {
    a.radius_m = log_uniform(rng, 10'000, 50'000);
  } else if (u(rng) < 0.05) {
    std::uniform_int_distribution<int> vertices(5, 12);
    const int k = vertices(rng);
    const double r = log_uniform(rng, 30, 300);
    core::Ring ring;
    for (int j = 0; j < k; ++j) {  // sorted angles around the centre: a star-shaped ring
      const double angle = 2 * std::numbers::pi * (j + 0.3 * (u(rng) - 0.5)) / k;
      const double rj = r * (0.7 + 0.3 * u(rng));
      ring.push_back(offset_m(c, rj * std::sin(angle), rj * std::cos(angle)));
    }
    a.radius_m = std::ceil(r);
    a.zone = core::Polygon{std::move(ring), {}};
  } else {
    a.radius_m = u(rng) < 0.98 ? log_uniform(rng, 50, 500) : log_uniform(rng, 500, 3'000);
  }
  return a;
}

BenchQuery make_query(const Dataset& ds, const DatasetParams& params, const CityModel& cities,
                      Rng& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<std::size_t> any_person(0, params.people - 1);
  std::uniform_int_distribution<std::size_t> any_aol(0, params.min_aols - 1);
  BenchQuery q;
  core::GeoPoint p;
  const double kind = u(rng);
  const core::DeviceRecord* device = &ds.base.devices[any_person(rng)];
  if (kind < 0.25) {  // near one of the client's own AOLs (when the device's client has one)
    const core::AolRecord& aol = ds.aols[any_aol(rng)];
    const std::size_t owner = aol.client_id.empty() ? 0 : std::stoul(aol.client_id.substr(2));
    if (!aol.client_id.empty() && ds.base.devices[owner].client_id == aol.client_id) {
      device = &ds.base.devices[owner];
    }
    std::normal_distribution<double> spread(0.0, std::max(aol.radius_m, 100.0));
    p = offset_m({aol.lat, aol.lon}, spread(rng), spread(rng));
  } else if (kind < 0.80) {
    p = cities.clustered(rng);
  } else if (kind < 0.95) {
    p = CityModel::uniform(rng);
  } else {
    device = nullptr;
    q.device_id = numbered("XM", 9'000'000 + any_person(rng));
    p = cities.clustered(rng);
  }
  if (device != nullptr) {
    q.device_id = device->id;
    q.client_id = device->active ? device->client_id : "";
  }
  if (u(rng) < 0.02) {
    return q;  // no fix
  }
  core::GeoFix fix;
  fix.lat = p.lat;
  fix.lon = p.lon;
  const double acc = u(rng) < 0.005 ? log_uniform(rng, 1'000, 5'000) : log_uniform(rng, 5, 100);
  fix.accuracy_m = static_cast<float>(acc);
  const double age_s = u(rng) < 0.05 ? 600 + 3000 * u(rng) : 30 * u(rng);
  fix.fix_time_ms = now_ms - static_cast<core::TimeMs>(age_s * 1000);
  fix.source = core::FixSource::gps;
  fix.received_ms = now_ms;
  q.fix = fix;
  return q;
}

}  // namespace

Dataset make_dataset(const DatasetParams& params) {
  Rng rng{params.seed};
  Dataset ds;
  ds.now_ms = now_ms;
  ds.base.regions = make_region_grid(10, 10, 125, rng);
  make_people(ds, params, rng);
  const CityModel cities;
  ds.aols.reserve(params.max_aols);
  for (std::size_t i = 0; i < params.max_aols; ++i) {
    ds.aols.push_back(make_aol(i, params.people, cities, rng));
  }
  ds.queries.reserve(params.queries);
  for (std::size_t i = 0; i < params.queries; ++i) {
    ds.queries.push_back(make_query(ds, params, cities, rng));
  }
  return ds;
}

core::Registry registry_with_aols(const Dataset& dataset, std::size_t n) {
  core::Registry reg = dataset.base;
  reg.aols.assign(dataset.aols.begin(), dataset.aols.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                   n, dataset.aols.size())));
  return reg;
}

}  // namespace aware::bench
