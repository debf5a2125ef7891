// test_supervision_ctl.cpp — system tests of the operator CLI for supervision (awarectl test,
// alerts, devices --stale, contracts) with the real awared, xmark-sim and awarectl: a
// proefmelding window turns the device's next alarm into a test (and raises the PAC operator's
// proefmelding alert); a device that stops talking is listed by `devices --stale`; a contract
// registered with a near end is listed, extended out of the list and ended. Usage errors exit 2
// without a request. Every wait ends on an event (a process exit, an ack, a feed update) with
// the harness deadline. Label: supervision.
#include <chrono>
#include <cstdio>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
using nlohmann::json;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The line of `table` that mentions `id`, or "" when none does.
std::string row_of(const std::string& table, const std::string& id) {
  std::size_t start = 0;
  while (start < table.size()) {
    const auto end = table.find('\n', start);
    const auto line = table.substr(start, end == std::string::npos ? end : end - start);
    if (contains(line, id)) {
      return line;
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return "";
}

// `awarectl ARGS --json`, parsed; fails the test unless it exits 0 with one JSON document.
json ctl_json(const TempDir& dir, const Awared& awared, std::vector<std::string> args) {
  args.emplace_back("--json");
  const auto r = awarectl(dir, awared.meldkamer_port(), args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto doc = json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  return doc;
}

// The entry of `list` whose `key` is `id`, or null.
json entry_with(const json& list, const char* key, const std::string& id) {
  for (const auto& e : list) {
    if (e.value(key, "") == id) {
      return e;
    }
  }
  return nullptr;
}

// Today + `days` as YYYY-MM-DD (UTC), as awared and awarectl count dates.
std::string iso_date(int days) {
  using namespace std::chrono;
  const year_month_day d{floor<std::chrono::days>(system_clock::now()) + std::chrono::days{days}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return text;
}

std::string valid_until_of(const Awared& awared, const std::string& aop) {
  return query_one(awared.db(), "SELECT valid_until FROM aops WHERE id='" + aop + "'");
}

}  // namespace

TEST_CASE("awarectl test start makes the device's next alarm a proefmelding until test stop",
          "[system][supervision]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();

  const auto started = awarectl(dir, port, {"test", "start", "XM-DEMO-001", "--minutes", "30",
                                            "--reason", "installatietest met politie", "--by",
                                            "pac-jan"});
  INFO(started.err);
  REQUIRE(started.exit_code == 0);
  const auto window = json::parse(started.out);
  CHECK(window["device_id"] == "XM-DEMO-001");
  CHECK(window["opened_by"] == "pac");  // the signed-in user; --by is ignored
  CHECK(window["reason"] == "installatietest met politie");
  CHECK(window["tests"] == 0);

  const auto listed = awarectl(dir, port, {"test", "list"});
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.rfind("1 open proefmelding window\n", 0) == 0);
  const auto row = row_of(listed.out, "XM-DEMO-001");
  CHECK(contains(row, "pac"));
  CHECK(contains(row, "installatietest met politie"));

  // An ALARM press inside the window is a proefmelding; the same press from the client's other
  // device (no window) is a spoedmelding.
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001").exit_code == 0);
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-002").exit_code == 0);
  CHECK(query_one(awared.db(), "SELECT priority FROM incidents WHERE device_id='XM-DEMO-001'") ==
        "3");
  CHECK(query_one(awared.db(), "SELECT priority FROM incidents WHERE device_id='XM-DEMO-002'") ==
        "1");
  CHECK(query_one(awared.db(), "SELECT tests FROM test_windows WHERE device_id='XM-DEMO-001'") ==
        "1");
  const auto windows = ctl_json(dir, awared, {"test", "list"});
  REQUIRE(windows["test_windows"].size() == 1);
  CHECK(windows["test_windows"][0]["tests"] == 1);

  // The proefmelding waits in the PAC operator's queue.
  const auto alerts = ctl_json(dir, awared, {"alerts"});
  const auto test_alert = entry_with(alerts["alerts"], "kind", "proefmelding");
  REQUIRE(test_alert.is_object());
  CHECK(test_alert["device_id"] == "XM-DEMO-001");
  CHECK(test_alert["state"] == "open");
  CHECK_FALSE(test_alert["incident_id"].get<std::string>().empty());
  const auto alert_table = awarectl(dir, port, {"alerts"});
  REQUIRE(alert_table.exit_code == 0);
  CHECK(contains(alert_table.out, "unresolved alert"));
  const auto alert_row = row_of(alert_table.out, "proefmelding");
  CHECK(contains(alert_row, "XM-DEMO-001 / " + test_alert["incident_id"].get<std::string>()));
  CHECK(contains(alert_row, std::to_string(test_alert["id"].get<std::int64_t>())));

  const auto stopped = awarectl(dir, port, {"test", "stop", "XM-DEMO-001", "--by", "pac-piet"});
  INFO(stopped.err);
  REQUIRE(stopped.exit_code == 0);
  CHECK(json::parse(stopped.out)["closed_by"] == "pac");
  CHECK(ctl_json(dir, awared, {"test", "list"})["test_windows"].empty());
  CHECK(awarectl(dir, port, {"test", "list"}).out.rfind("0 open proefmelding windows\n", 0) == 0);

  const auto again = awarectl(dir, port, {"test", "stop", "XM-DEMO-001"});
  CHECK(again.exit_code == 1);
  CHECK(contains(again.err, "HTTP 404"));
  CHECK(contains(again.err, "no open proefmelding window"));

  const auto unknown = awarectl(dir, port, {"test", "start", "XM-NOPE", "--minutes", "5",
                                            "--reason", "x"});
  CHECK(unknown.exit_code == 1);
  CHECK(contains(unknown.err, "HTTP 404"));
  CHECK(contains(unknown.err, "no active device 'XM-NOPE'"));
}

TEST_CASE("awarectl supervision commands refuse bad command lines with exit code 2",
          "[system][supervision]") {
  TempDir dir;
  // Nothing listens on port 1: a usage error must come before any request.
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"test", "start", "XM-1", "--reason", "x"}, "--minutes"},
      {{"test", "start", "XM-1", "--minutes", "0", "--reason", "x"}, "--minutes"},
      {{"test", "start", "XM-1", "--minutes", "1441", "--reason", "x"}, "--minutes"},
      {{"test", "start", "XM-1", "--minutes", "30"}, "--reason"},
      {{"test", "start", "--minutes", "30", "--reason", "x"}, "DEVICE"},
      {{"test", "start", "XM/1", "--minutes", "30", "--reason", "x"}, "DEVICE"},
      {{"test", "stop", "XM-1", "--minutes", "30"}, "test stop takes no --minutes"},
      {{"test", "start", "XM-1", "--minutes", "30", "--reason", "x", "--json"}, "--json"},
      {{"test", "begin", "XM-1"}, "test needs start"},
      {{"test"}, "test needs start"},
      {{"alerts", "--stale"}, "alerts takes no --stale"},
      {{"alerts", "all"}, "alerts takes no arguments"},
      {{"devices", "--minutes", "3"}, "devices takes no --minutes"},
      {{"list", "device", "--stale"}, "list takes no --stale"},
      {{"contracts", "--ending-within", "2w"}, "--ending-within"},
      {{"contracts", "--ending-within"}, "--ending-within needs a value"},
      {{"contracts", "extend", "AOP-001"}, "--until"},
      {{"contracts", "extend", "AOP-001", "--until", "2026-02-30"}, "--until"},
      {{"contracts", "end", "AOP-001", "--on", "tomorrow"}, "--on"},
      {{"contracts", "end", "AOP-001", "--until", "2026-01-01"}, "contracts end takes no --until"},
      {{"contracts", "renew", "AOP-001"}, "unknown \"renew\""},
      {{"contracts", "--stale"}, "contracts takes no --stale"},
      {{"devices", "--stale", "--stale"}, "give --stale once"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = awarectl(dir, 1, args);
    INFO(args.front() << " ... " << args.back() << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, message));
    CHECK(r.out.empty());
  }
  const auto help = awarectl(dir, 1, {"--help"});
  CHECK(help.exit_code == 0);
  CHECK(contains(help.out, "test start DEVICE --minutes N --reason TEXT"));
  CHECK(contains(help.out, "devices [--stale]"));
  CHECK(contains(help.out, "contracts end AOP [--on YYYY-MM-DD]"));
}

TEST_CASE("awarectl devices --stale lists the device that stopped talking, with its health",
          "[system][supervision]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.supervision_toml = "grace_percent = 0\ngrace_s = 0\n"}};
  const auto port = awared.meldkamer_port();
  Centralist pac{port, "pac-1", "/ws/pac"};
  REQUIRE(pac.next());  // the snapshot
  const auto added = awarectl(
      dir, port,
      {"add", "device", "--json",
       R"({"id":"XM-STIL-1","client_id":"C-002","heartbeat_interval_s":1})"});
  INFO(added.err);
  REQUIRE(added.exit_code == 0);

  // XM-DEMO-001 reports a low battery; XM-STIL-1 reports once and then falls silent.
  Device talking{awared.device_port(), "XM-DEMO-001"};
  talking.heartbeat(1, 15);
  Device silent{awared.device_port(), "XM-STIL-1"};
  silent.heartbeat(1, 80);
  // Both alerts reach the PAC feed: the battery one at once, the lost one 1 s later.
  bool low = false;
  bool lost = false;
  REQUIRE(pac.wait_for([&low, &lost](const json& f) {
    const auto alert = f.contains("update") ? f["update"].value("alert", json::object())
                                            : json::object();
    low = low || (alert.value("kind", "") == "batterij_laag" &&
                  alert.value("deviceId", "") == "XM-DEMO-001");
    lost = lost || (alert.value("kind", "") == "verbinding_verloren" &&
                    alert.value("deviceId", "") == "XM-STIL-1");
    return low && lost;
  }));

  const auto stale = ctl_json(dir, awared, {"devices", "--stale"});
  const auto gone = entry_with(stale["devices"], "device_id", "XM-STIL-1");
  REQUIRE(gone.is_object());
  CHECK(gone["stale"] == true);
  CHECK(gone["heartbeat_interval_s"] == 1);
  CHECK(entry_with(stale["devices"], "device_id", "XM-DEMO-001").is_null());
  for (const auto& d : stale["devices"]) {
    CHECK(d["stale"] == true);
  }

  const auto table = awarectl(dir, port, {"devices", "--stale"});
  REQUIRE(table.exit_code == 0);
  const auto row = row_of(table.out, "XM-STIL-1");
  CHECK(contains(row, "XM-STIL-1 !"));
  CHECK(contains(row, "C-002"));
  CHECK(contains(row, "80%"));
  CHECK(contains(row, "1s"));
  CHECK(contains(row, "verbinding_verloren"));
  CHECK(row_of(table.out, "XM-DEMO-001").empty());

  const auto all = awarectl(dir, port, {"devices"});
  REQUIRE(all.exit_code == 0);
  const auto fine = row_of(all.out, "XM-DEMO-001");
  CHECK(contains(fine, "15%"));
  CHECK(contains(fine, "15m"));  // the [supervision] default of 900 s
  CHECK(contains(fine, "batterij_laag"));
  CHECK_FALSE(contains(fine, "XM-DEMO-001 !"));
  CHECK(contains(row_of(all.out, "XM-STIL-1"), "XM-STIL-1 !"));
  CHECK(entry_with(ctl_json(dir, awared, {"devices"})["devices"], "device_id", "XM-DEMO-004")
            .is_object());
}

TEST_CASE("awarectl contracts lists a contract ending soon, extends it and ends it",
          "[system][supervision]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const json aop{{"id", "AOP-KORT"},          {"client_id", "C-002"},
                 {"case_worker", "M. Visser"}, {"valid_from", iso_date(-170)},
                 {"valid_until", iso_date(5)}};
  const auto added = awarectl(dir, port, {"add", "aop", "--json", aop.dump()});
  INFO(added.err);
  REQUIRE(added.exit_code == 0);

  const auto soon = ctl_json(dir, awared, {"contracts", "--ending-within", "14d"});
  const auto listed = entry_with(soon["contracts"], "aop_id", "AOP-KORT");
  REQUIRE(listed.is_object());
  CHECK(listed["valid_until"] == iso_date(5));
  CHECK(listed["days_left"] == 5);
  CHECK(listed["case_worker"] == "M. Visser");
  CHECK(entry_with(soon["contracts"], "aop_id", "AOP-001").is_null());  // ends in 150 days
  CHECK(entry_with(ctl_json(dir, awared, {"contracts", "--ending-within", "4"})["contracts"],
                   "aop_id", "AOP-KORT")
            .is_null());
  const auto table = awarectl(dir, port, {"contracts", "--ending-within", "14"});
  REQUIRE(table.exit_code == 0);
  const auto row = row_of(table.out, "AOP-KORT");
  CHECK(contains(row, "C-002"));
  CHECK(contains(row, iso_date(5)));
  CHECK(contains(row, "M. Visser"));

  const auto extended = awarectl(dir, port, {"contracts", "extend", "AOP-KORT", "--until",
                                             iso_date(60), "--by", "pac-jan"});
  INFO(extended.err);
  REQUIRE(extended.exit_code == 0);
  CHECK(valid_until_of(awared, "AOP-KORT") == iso_date(60));
  CHECK(entry_with(ctl_json(dir, awared, {"contracts", "--ending-within", "14d"})["contracts"],
                   "aop_id", "AOP-KORT")
            .is_null());
  CHECK(row_of(awarectl(dir, port, {"contracts", "--ending-within", "14d"}).out, "AOP-KORT")
            .empty());

  const auto ended_on = awarectl(dir, port, {"contracts", "end", "AOP-KORT", "--on",
                                             iso_date(3)});
  REQUIRE(ended_on.exit_code == 0);
  CHECK(valid_until_of(awared, "AOP-KORT") == iso_date(3));
  const auto again = entry_with(
      ctl_json(dir, awared, {"contracts", "--ending-within", "14d"})["contracts"], "aop_id",
      "AOP-KORT");
  REQUIRE(again.is_object());
  CHECK(again["days_left"] == 3);

  const auto ended = awarectl(dir, port, {"contracts", "end", "AOP-KORT"});
  INFO(ended.err);
  REQUIRE(ended.exit_code == 0);
  CHECK(valid_until_of(awared, "AOP-KORT") == iso_date(0));

  const auto unknown = awarectl(dir, port, {"contracts", "end", "AOP-NOPE"});
  CHECK(unknown.exit_code == 1);
  CHECK(contains(unknown.err, "HTTP 404"));
  CHECK(contains(unknown.err, "AOP-NOPE"));
  const auto too_early = awarectl(dir, port, {"contracts", "extend", "AOP-KORT", "--until",
                                              iso_date(-171)});
  CHECK(too_early.exit_code == 1);
  CHECK(contains(too_early.err, "HTTP 404"));
  CHECK(valid_until_of(awared, "AOP-KORT") == iso_date(0));
}
