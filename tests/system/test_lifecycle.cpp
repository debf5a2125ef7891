// test_lifecycle.cpp — awared as a service: the systemd notify protocol (READY, WATCHDOG,
// STOPPING) over our own $NOTIFY_SOCKET, SIGTERM draining, SIGHUP reloading registrations,
// /healthz, --version and --check-config.
#include <sys/wait.h>

#include <csignal>
#include <fstream>

#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace aware::systest;

namespace {

// Runs a short-lived command and returns {exit code, first stdout line}.
std::pair<int, std::string> run(const TempDir& dir, const std::vector<std::string>& argv) {
  Process p{argv, {}, dir.path() / "cmd.log"};
  const auto line = p.read_line().value_or("");
  const auto status = p.wait();
  return {status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1, line};
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in{file};
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("awared --version and --check-config", "[system]") {
  TempDir dir;
  const auto [rc, line] = run(dir, {awared_bin(), "--version"});
  CHECK(rc == 0);
  CHECK(line.rfind("awared ", 0) == 0);
#ifdef AWARE_EXPECT_JEMALLOC
  // cmake/allocator.cmake links jemalloc into awared (not into sanitizer builds): it must be
  // the allocator that serves malloc, not just a library that is loaded.
  CHECK(line.find("(jemalloc 5.") != std::string::npos);
#else
  CHECK(line.find("(the build's default malloc)") != std::string::npos);
#endif

  CHECK(run(dir, {awared_bin(), "--check-config", AWARE_SHIPPED_CONFIG}).first == 0);

  std::ofstream(dir.path() / "bad.toml") << "[device]\nlisten = \"127.0.0.1:7400\"\nmax_frame_bytes = \"big\"\n";
  CHECK(run(dir, {awared_bin(), "--check-config", (dir.path() / "bad.toml").string()}).first == 2);
  const auto err = slurp(dir.path() / "cmd.log");
  CHECK(err.find("bad.toml:3") != std::string::npos);
  CHECK(err.find("device.max_frame_bytes") != std::string::npos);

  CHECK(run(dir, {awared_bin(), "--no-such-flag"}).first == 2);
}

TEST_CASE("awared tells systemd it is ready, pings the watchdog and drains on SIGTERM",
          "[system]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.env = {{"WATCHDOG_USEC", "200000"}}}};
  // READY=1 was received by the fixture (it is how it learns the ports). Now the watchdog:
  CHECK(awared.notify().receive_containing("WATCHDOG=1"));
  CHECK(http_get(awared.meldkamer_port(), "/healthz").find("\"status\":\"ok\"") != std::string::npos);

  // A device connected at the time of SIGTERM does not keep awared from stopping.
  RawConnection idle_device{awared.device_port()};
  awared.process().signal(SIGTERM);
  CHECK(awared.notify().receive_containing("STOPPING=1"));
  const auto status = awared.process().wait();
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK(idle_device.closed_by_peer());
}

TEST_CASE("GET /healthz answers JSON and other paths are 404", "[system]") {
  TempDir dir;
  Awared awared{dir};
  const auto ok = http_get(awared.meldkamer_port(), "/healthz");
  CHECK(ok.find("HTTP/1.1 200 OK") == 0);
  CHECK(ok.find("application/json") != std::string::npos);
  CHECK(ok.find("\"open_incidents\":0") != std::string::npos);
  CHECK(http_get(awared.meldkamer_port(), "/nope").find("HTTP/1.1 404") == 0);
}

TEST_CASE("SIGHUP makes a new registration count for matching without a restart", "[system]") {
  TempDir dir;
  Awared awared{dir};
  // An operator registers a new device for client C-002 (directly in SQLite until the REST API
  // exists); awared picks it up on SIGHUP. awared may be writing meanwhile (supervision), so
  // the sqlite3 shell waits for the write lock instead of failing with "database is locked".
  {
    Process sql{{"/usr/bin/sqlite3", "-cmd", ".timeout 10000", awared.db().string(),
                 "INSERT INTO devices (id, client_id) VALUES ('XM-NEW-1', 'C-002');"},
                {}, dir.path() / "sqlite.log"};
    const auto status = sql.wait();
    REQUIRE(status);
    REQUIRE(WEXITSTATUS(*status) == 0);
  }
  awared.process().signal(SIGHUP);
  REQUIRE(awared.notify().receive_containing("STATUS=reloaded"));
  REQUIRE(activate(dir, awared.device_port(), "XM-NEW-1").exit_code == 0);
  CHECK(query_one(awared.db(), "SELECT client_id FROM incidents WHERE device_id='XM-NEW-1'") ==
        "C-002");
}
