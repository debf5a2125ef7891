// temp_dir.cpp — see temp_dir.hpp.
#include "temp_dir.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <chrono>
#include <string>

namespace aware::testing {

TempDir::TempDir(std::string_view prefix) {
  static std::atomic<int> counter{0};
  const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  path_ = std::filesystem::temp_directory_path() /
          (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(stamp) +
           "-" + std::to_string(counter++));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  if (std::getenv("AWARE_KEEP_TEST_DIRS") != nullptr) {  // for a post-mortem of a failed run
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace aware::testing
