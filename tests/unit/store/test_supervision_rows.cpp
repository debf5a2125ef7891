// test_supervision_rows.cpp — unit tests of the store's supervision (supervision_rows.cpp,
// contract_rows.cpp) on a real SQLite database with the demo registrations and an explicit
// clock: heartbeats and battery alerts, the silence check and hersteld, devices that are unknown
// or returned, the deadlines supervision starts from, proefmelding windows, and contract
// reminders (once per end date; an operator's own end date is not reminded again).
#include <catch2/catch.hpp>

#include <memory>

#include "lifecycle_support.hpp"

#include "core/clock.hpp"
#include "core/incident.hpp"
#include "core/time_text.hpp"
#include "store/repository.hpp"

using namespace aware;
using aware::store::Repository;
using aware::testing::count;
using aware::testing::press;
using aware::testing::TempDir;

namespace {

constexpr core::TimeMs kT0 = 1'800'000'000'000;
constexpr core::TimeMs kAllowance = 900'000 + 90'000 + 120'000;  // the default rules

// The demo registrations (4 devices of clients C-001…C-003) in a fresh store.
std::unique_ptr<Repository> demo_store(const TempDir& dir) {
  auto repo = std::make_unique<Repository>(dir.db());
  REQUIRE(repo->seed_demo_if_empty(kT0).value());
  return repo;
}

core::HealthReport battery(std::uint32_t pct) { return core::HealthReport{pct, false, true, -80}; }

std::vector<std::string> kinds(const std::vector<core::Alert>& alerts, core::AlertState state) {
  std::vector<std::string> out;
  for (const auto& a : alerts) {
    if (a.state == state) {
      out.push_back(a.kind);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a heartbeat stores the health and re-arms the lost deadline", "[store][supervision]") {
  TempDir dir;
  auto store = demo_store(dir);
  auto& repo = *store;
  const auto out = repo.record_heartbeat("XM-DEMO-001", battery(15), kT0);
  REQUIRE(out);
  CHECK(out->lost_due_ms == kT0 + kAllowance);
  CHECK(kinds(out->alerts, core::AlertState::open) == std::vector<std::string>{"batterij_laag"});
  CHECK(out->notices.empty());  // a low battery is for the PAC operator only
  CHECK(count(dir, "SELECT battery_pct FROM device_status WHERE device_id='XM-DEMO-001'") == 15);
  CHECK(count(dir, "SELECT last_heard_ms FROM device_status WHERE device_id='XM-DEMO-001'") == kT0);
}

TEST_CASE("silence past the deadline opens verbinding verloren once, a message resolves it",
          "[store][supervision]") {
  TempDir dir;
  auto store = demo_store(dir);
  auto& repo = *store;
  REQUIRE(repo.record_heartbeat("XM-DEMO-001", battery(90), kT0));
  const auto early = repo.record_silence("XM-DEMO-001", kT0 + kAllowance);
  REQUIRE(early);
  CHECK(early->alerts.empty());
  CHECK(early->lost_due_ms == kT0 + kAllowance);

  const auto lost = repo.record_silence("XM-DEMO-001", kT0 + kAllowance + 1);
  REQUIRE(lost);
  REQUIRE(lost->alerts.size() == 1);
  CHECK(lost->alerts[0].kind == "verbinding_verloren");
  CHECK(lost->alerts[0].opened_ms == kT0 + kAllowance);
  CHECK(lost->alerts[0].client_id == "C-001");
  REQUIRE(lost->notices.size() == 1);
  CHECK(lost->notices[0].event == "verbinding_verloren");
  CHECK(lost->notices[0].case_worker == "J. Bakker, Veilig Thuis Utrecht");
  CHECK_FALSE(lost->lost_due_ms);
  CHECK(repo.record_silence("XM-DEMO-001", kT0 + 3 * kAllowance)->alerts.empty());

  // Any message counts: an activation resolves it (and opens its incident as ever).
  const auto a = press("XM-DEMO-001", 1, kT0 + 4 * kAllowance);
  const auto back = repo.record_activation(a, core::make_incident(a, {}), 600'000);
  REQUIRE(back);
  CHECK(kinds(back->health.alerts, core::AlertState::resolved) ==
        std::vector<std::string>{"verbinding_verloren"});
  REQUIRE(back->health.notices.size() == 1);
  CHECK(back->health.notices[0].event == "hersteld");
  CHECK(back->health.lost_due_ms == a.received_ms + kAllowance);
}

TEST_CASE("unknown and returned devices are not supervised", "[store][supervision]") {
  TempDir dir;
  auto store = demo_store(dir);
  auto& repo = *store;
  const auto unknown = repo.record_heartbeat("XM-ONBEKEND", battery(5), kT0);
  REQUIRE(unknown);
  CHECK(unknown->alerts.empty());
  CHECK_FALSE(unknown->lost_due_ms);

  REQUIRE(repo.record_heartbeat("XM-DEMO-002", battery(5), kT0));  // low + critical open
  REQUIRE(repo.deactivate(store::RecordKind::device, "XM-DEMO-002", kT0 + 1).value());
  const auto returned = repo.record_silence("XM-DEMO-002", kT0 + 2 * kAllowance);
  REQUIRE(returned);
  CHECK(kinds(returned->alerts, core::AlertState::resolved).size() == 2);
  CHECK(count(dir, "SELECT count(*) FROM alerts WHERE device_id='XM-DEMO-002' AND state<>3") == 0);
}

TEST_CASE("supervision starts watching every active device from the moment it is asked",
          "[store][supervision]") {
  TempDir dir;
  auto store = demo_store(dir);
  auto& repo = *store;
  REQUIRE(repo.record_heartbeat("XM-DEMO-001", battery(90), kT0 - 1000));
  const auto deadlines = repo.supervision_deadlines(kT0);
  REQUIRE(deadlines);
  REQUIRE(deadlines->size() == 4);
  CHECK((*deadlines)[0] == std::make_pair(std::string("XM-DEMO-001"), kT0 - 1000 + kAllowance));
  CHECK((*deadlines)[1] == std::make_pair(std::string("XM-DEMO-002"), kT0 + kAllowance));
  // A device that is lost already has no deadline to wait for.
  REQUIRE(repo.record_silence("XM-DEMO-002", kT0 + kAllowance + 1));
  CHECK(repo.supervision_deadlines(kT0 + kAllowance + 2)->size() == 3);
}

TEST_CASE("a proefmelding window makes an alarm a test, and expires on its own",
          "[store][supervision]") {
  TempDir dir;
  auto store = demo_store(dir);
  auto& repo = *store;
  repo.set_test_window_required(true);
  CHECK_FALSE(repo.start_test_window("XM-ONBEKEND", kT0 + 60'000, "install", "pac", kT0).value());
  const auto window = repo.start_test_window("XM-DEMO-001", kT0 + 60'000, "install", "pac", kT0);
  REQUIRE(window);
  REQUIRE(*window);
  CHECK((*window)->reason == "install");

  const auto inside = press("XM-DEMO-001", 1, kT0 + 1000);
  const auto test = repo.record_activation(inside, core::make_incident(inside, {}), 600'000);
  REQUIRE(test);
  CHECK(test->incident.priority == core::Priority::test);
  REQUIRE(test->alert);
  CHECK(test->alert->kind == "proefmelding");
  CHECK(count(dir, "SELECT tests FROM test_windows") == 1);

  const auto after = press("XM-DEMO-001", 2, kT0 + 60'000, core::Trigger::test);  // expired
  const auto real = repo.record_activation(after, core::make_incident(after, {}), 600'000);
  REQUIRE(real);
  CHECK(real->incident.priority == core::Priority::spoed);
  const auto& flags = real->incident.flags;
  CHECK(std::find(flags.begin(), flags.end(), core::Flag::test_outside_window) != flags.end());
  CHECK_FALSE(repo.stop_test_window("XM-DEMO-001", "pac", kT0 + 61'000).value());
}

TEST_CASE("a contract ending soon is reminded once, and an operator's end date is not reminded",
          "[store][supervision]") {
  TempDir dir;
  auto store = demo_store(dir);
  auto& repo = *store;
  const auto now = core::now_ms();
  const auto today = core::iso_date_utc(now);
  const auto in14 = core::iso_date_utc(now + 14 * 86'400'000LL);
  CHECK(repo.remind_contracts(today, in14, now)->alerts.empty());  // demo: none ends that soon

  REQUIRE(repo.set_contract_end("AOP-001", core::iso_date_utc(now + 5 * 86'400'000LL), "pac", now)
              .value());
  CHECK(repo.remind_contracts(today, in14, now)->alerts.empty());  // decided by the operator

  // The store's own clock moves on: a contract whose end nobody set recently is reminded once.
  core::AopRecord aop{"AOP-X", "C-002", "", "", "M. Visser", today,
                      core::iso_date_utc(now + 3 * 86'400'000LL)};
  store::RegistrySnapshot records;
  records.registry.aops.push_back(aop);
  REQUIRE(repo.write_records(records, store::WriteMode::insert, now));
  const auto reminded = repo.remind_contracts(today, in14, now);
  REQUIRE(reminded);
  REQUIRE(reminded->alerts.size() == 1);
  CHECK(reminded->alerts[0].subject == "aop:AOP-X");
  REQUIRE(reminded->notices.size() == 1);
  CHECK(reminded->notices[0].case_worker == "M. Visser");
  CHECK(repo.remind_contracts(today, in14, now + 1)->alerts.empty());  // once per end date

  const auto extended = repo.set_contract_end("AOP-X", core::iso_date_utc(now + 200 * 86'400'000LL), "pac", now);
  REQUIRE(extended);
  REQUIRE(*extended);
  REQUIRE((*extended)->alerts.size() == 1);
  CHECK((*extended)->alerts[0].resolved_by == "pac");
  CHECK_FALSE(repo.set_contract_end("AOP-NONE", today, "pac", now).value());
}

TEST_CASE("numbering that goes back without a new boot epoch is flagged but still stored",
          "[store][security]") {
  TempDir dir;
  auto store = demo_store(dir);
  auto& repo = *store;
  auto first = press("XM-DEMO-001", 5, kT0);
  REQUIRE(repo.record_activation(first, core::make_incident(first, {}), 600'000));
  auto replay = press("XM-DEMO-001", 3, kT0 + 1000);  // same boot epoch, lower seq
  const auto out = repo.record_activation(replay, core::make_incident(replay, {}), 600'000);
  REQUIRE(out);
  CHECK(out->regressed);
  CHECK_FALSE(out->duplicate);
  const auto& flags = out->incident.flags;
  CHECK(std::find(flags.begin(), flags.end(), core::Flag::sequence_regressed) != flags.end());
  CHECK(count(dir, "SELECT last_seq FROM device_state WHERE device_id='XM-DEMO-001'") == 5);
  CHECK(count(dir, "SELECT count(*) FROM activations WHERE device_id='XM-DEMO-001'") == 2);

  auto next = press("XM-DEMO-001", 6, kT0 + 2000);  // forward again: not regressed, flag stays
  const auto later = repo.record_activation(next, core::make_incident(next, {}), 600'000);
  REQUIRE(later);
  CHECK_FALSE(later->regressed);
  CHECK(std::find(later->incident.flags.begin(), later->incident.flags.end(),
                  core::Flag::sequence_regressed) != later->incident.flags.end());
}
