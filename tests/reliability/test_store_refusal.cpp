// test_store_refusal.cpp — awared keeps alarms only in a store that survives a power cut: the
// repository refuses a database that does not run in WAL mode with synchronous=FULL, and awared
// then refuses to start (exit 1, AWR-1001) instead of acking alarms it could lose. An in-memory
// database (":memory:") is the store that cannot be put in WAL mode.
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "store/repository.hpp"

using namespace aware::systest;

TEST_CASE("the repository refuses a database that cannot run WAL with synchronous=FULL",
          "[reliability]") {
  try {
    aware::store::Repository repo{":memory:"};
    FAIL("an in-memory database was accepted");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("is not in WAL mode with synchronous=FULL") !=
          std::string::npos);
  }
}

TEST_CASE("awared refuses to start on a store without WAL and synchronous=FULL",
          "[reliability]") {
  TempDir dir;
  const auto config = dir.path() / "awared.toml";
  {
    std::ofstream cfg{config};
    cfg << "[device]\nlisten = \"127.0.0.1:0\"\n[meldkamer]\nlisten = \"127.0.0.1:0\"\n"
        << "[tls]\ninsecure_dev = true\n[store]\npath = \":memory:\"\n";
  }
  const auto log = dir.path() / "awared.log";
  Process awared{{awared_bin(), "--config", config.string()}, {}, log};
  const auto status = awared.wait();
  REQUIRE(status);
  REQUIRE(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 1);
  std::ifstream in{log};
  const std::string text{std::istreambuf_iterator<char>{in}, {}};
  CHECK(text.find("AWR-1001") != std::string::npos);
  CHECK(text.find("not in WAL mode with synchronous=FULL; refusing to run") != std::string::npos);
}
