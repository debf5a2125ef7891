// test_retention.cpp — the retention purge (issue 6, item 5) on a real SQLite database with an
// explicit clock: a closed incident loses its track after tracks_ms and everything after
// incidents_ms; an open incident is never touched however old; notices, resolved alerts and
// ended sessions go after their own periods; 0 keeps. Label: security.
#include <catch2/catch.hpp>

#include "lifecycle_support.hpp"

#include <memory>

#include "core/incident.hpp"
#include "store/repository.hpp"

using namespace aware;
using aware::store::Repository;
using aware::testing::count;
using aware::testing::press;
using aware::testing::TempDir;

namespace {

constexpr core::TimeMs kDay = 86'400'000;
constexpr core::TimeMs kT0 = 1'800'000'000'000;

core::MatchResult client_c1() {
  core::MatchResult m;
  m.client_id = "C-1";
  m.region = "midden-nederland";
  m.aop = core::AopInfo{};
  return m;
}

// An incident of `device` opened at `at` with a track of two positions; closed at `closed`
// unless that is 0. Returns its id.
std::int64_t incident_with_track(Repository& repo, const std::string& device, core::TimeMs at,
                                 core::TimeMs closed) {
  const auto a = press(device, 1, at);
  const auto out = repo.record_activation(a, core::make_incident(a, client_c1()), 0);
  REQUIRE(out);
  for (std::uint64_t seq = 2; seq <= 3; ++seq) {
    core::GeoFix fix{52.1, 5.1, 5.0F, at, core::FixSource::gps, at + static_cast<core::TimeMs>(seq)};
    REQUIRE(repo.append_position({device, 1, seq}, fix));
  }
  if (closed != 0) {
    REQUIRE(repo.accept(out->incident.id, "anna", closed - 1)->applied);
    REQUIRE(repo.close(out->incident.id, "anna", "overig", "", closed)->applied);
  }
  return out->incident.id;
}

}  // namespace

TEST_CASE("the purge drops a closed incident's track, then the incident, never an open one",
          "[store][security]") {
  TempDir dir;
  auto repo = std::make_unique<Repository>(dir.db());
  const auto closed = incident_with_track(*repo, "XM-1", kT0, kT0 + 1000);
  const auto open = incident_with_track(*repo, "XM-2", kT0, 0);
  Repository::RetentionPolicy policy{30 * kDay, 365 * kDay, 0, 0, 0};

  CHECK(repo->purge(policy, kT0 + 1000 + 30 * kDay)->positions == 0);  // not yet past
  const auto tracks = repo->purge(policy, kT0 + 1001 + 30 * kDay);
  REQUIRE(tracks);
  CHECK(tracks->positions == 2);
  CHECK(tracks->incidents == 0);
  CHECK(count(dir, "SELECT count(*) FROM positions WHERE incident_id=" + std::to_string(open)) == 2);
  CHECK(count(dir, "SELECT count(*) FROM incidents") == 2);

  const auto all = repo->purge(policy, kT0 + 1001 + 365 * kDay);
  REQUIRE(all);
  CHECK(all->incidents == 1);
  CHECK(all->activations == 1);
  CHECK(all->notices == 2);  // its activatie and afgesloten notices
  CHECK(count(dir, "SELECT count(*) FROM incidents WHERE id=" + std::to_string(closed)) == 0);
  CHECK(count(dir, "SELECT count(*) FROM incident_events WHERE incident_id=" + std::to_string(closed)) == 0);
  // The open incident, years old, keeps everything.
  CHECK(count(dir, "SELECT count(*) FROM incidents WHERE id=" + std::to_string(open)) == 1);
  CHECK(count(dir, "SELECT count(*) FROM positions WHERE incident_id=" + std::to_string(open)) == 2);
  CHECK(count(dir, "SELECT count(*) FROM activations WHERE device_id='XM-2'") == 1);
}

TEST_CASE("notices, resolved alerts and ended sessions go after their own periods, 0 keeps",
          "[store][security]") {
  TempDir dir;
  auto repo = std::make_unique<Repository>(dir.db());
  incident_with_track(*repo, "XM-1", kT0, 0);  // one activatie notice at kT0
  store::UserRecord u{"anna", core::Role::admin, {}, "", {}, true};
  REQUIRE(repo->put_user(u, "$argon2id$x", kT0));
  REQUIRE(repo->create_session("anna", "d1", kT0, kT0 + kDay));
  CHECK(repo->purge({}, kT0 + 1000 * kDay)->notices == 0);  // all 0: nothing goes

  Repository::RetentionPolicy policy{0, 0, 90 * kDay, 365 * kDay, 7 * kDay};
  const auto early = repo->purge(policy, kT0 + 7 * kDay);
  REQUIRE(early);
  CHECK(early->notices == 0);
  CHECK(early->sessions == 0);
  const auto later = repo->purge(policy, kT0 + 91 * kDay);
  REQUIRE(later);
  CHECK(later->notices == 1);
  CHECK(later->sessions == 1);
  CHECK(count(dir, "SELECT count(*) FROM notices") == 0);
  CHECK(count(dir, "SELECT count(*) FROM sessions") == 0);
  CHECK(count(dir, "SELECT count(*) FROM users") == 1);  // users are not purged
}
