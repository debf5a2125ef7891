// test_state_file.cpp — unit tests for the simulator's per-device sequence state file:
// sanitising device ids into file names, the default state for a missing file, saving and
// loading successive (boot_epoch, seq) values, creating the state directory, and refusing
// malformed or out-of-range files. Each test works in its own temporary directory.
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "state_file.hpp"

namespace fs = std::filesystem;
using namespace aware::sim;

namespace {

using aware::testing::TempDir;

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::trunc);
  out << text;
}

}  // namespace

TEST_CASE("sanitize_device_id keeps safe characters and replaces the rest", "[sim][state]") {
  CHECK(sanitize_device_id("XM-DEMO-001") == "XM-DEMO-001");
  CHECK(sanitize_device_id("a.b_c-9") == "a.b_c-9");
  CHECK(sanitize_device_id("XM:1/../x") == "XM_1_.._x");
  CHECK(sanitize_device_id("caf\xc3\xa9") == "caf__");
  CHECK(sanitize_device_id("") == "_");
  CHECK(sanitize_device_id(".") == "_.");
  CHECK(sanitize_device_id("..") == "_..");
}

TEST_CASE("state_path is <dir>/<sanitized id>.state", "[sim][state]") {
  CHECK(state_path("var/sim", "XM:1") == fs::path("var/sim") / "XM_1.state");
  CHECK(state_path("/s", "../etc/passwd").parent_path() == fs::path("/s"));
}

TEST_CASE("load_state of a missing file succeeds with epoch 1, seq 0", "[sim][state]") {
  TempDir dir;
  device_state fresh;
  std::string error;
  CHECK(load_state(dir.path() / "nope.state", fresh, error));
  CHECK(error.empty());
  CHECK(fresh.boot_epoch == 1);
  CHECK(fresh.seq == 0);
}

TEST_CASE("save_state then load_state returns successive values", "[sim][state]") {
  TempDir dir;
  const auto path = state_path(dir.path(), "XM-1");
  std::string error;
  device_state state;
  REQUIRE(load_state(path, state, error));
  for (std::uint64_t seq = 1; seq <= 3; ++seq) {
    state.seq = seq;
    REQUIRE(save_state(path, state, error));
    device_state loaded;
    REQUIRE(load_state(path, loaded, error));
    CHECK(loaded.boot_epoch == 1);
    CHECK(loaded.seq == seq);
  }
  state.boot_epoch = 4294967295U;
  state.seq = 18446744073709551615ULL;
  REQUIRE(save_state(path, state, error));
  device_state loaded;
  REQUIRE(load_state(path, loaded, error));
  CHECK(loaded.boot_epoch == 4294967295U);
  CHECK(loaded.seq == 18446744073709551615ULL);
  CHECK_FALSE(fs::exists(fs::path(path.string() + ".tmp")));
}

TEST_CASE("save_state writes the epoch and seq as text and creates the directory", "[sim][state]") {
  TempDir dir;
  const auto path = dir.path() / "deep" / "er" / "XM-1.state";
  std::string error;
  REQUIRE(save_state(path, device_state{7, 12}, error));
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "7 12\n");
}

TEST_CASE("load_state refuses malformed files and leaves the state alone", "[sim][state]") {
  TempDir dir;
  const auto path = dir.path() / "bad.state";
  for (const std::string& text : {std::string(""), std::string("garbage"), std::string("5"),
                                  std::string("-1 3"), std::string("4294967296 1")}) {
    INFO("file: '" << text << "'");
    write_file(path, text);
    device_state state{3, 4};
    std::string error;
    CHECK_FALSE(load_state(path, state, error));
    CHECK(error.find("malformed") != std::string::npos);
    CHECK(state.boot_epoch == 3);
    CHECK(state.seq == 4);
  }
}

TEST_CASE("save_state reports a directory it cannot create", "[sim][state]") {
  TempDir dir;
  write_file(dir.path() / "file", "x");
  std::string error;
  CHECK_FALSE(save_state(dir.path() / "file" / "sub" / "a.state", device_state{}, error));
  CHECK_FALSE(error.empty());
}

TEST_CASE("load_state refuses a negative seq instead of wrapping it", "[sim][state]") {
  TempDir dir;
  const auto path = dir.path() / "neg.state";
  write_file(path, "1 -1");
  device_state state;
  std::string error;
  CHECK_FALSE(load_state(path, state, error));
  CHECK(state.seq == 0);
}
