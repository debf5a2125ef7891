// temp_dir.hpp — a fresh directory per test under the system temp folder, removed with all its
// contents when the test ends (kept when AWARE_KEEP_TEST_DIRS is set, to look at a failed run).
// Shared by the unit and system tests.
#pragma once

#include <filesystem>
#include <string_view>

namespace aware::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "awared-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // Where a test keeps its database: <dir>/awared.db.
  [[nodiscard]] std::filesystem::path db() const { return path_ / "awared.db"; }

 private:
  std::filesystem::path path_;
};

}  // namespace aware::testing
