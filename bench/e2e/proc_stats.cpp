// proc_stats.cpp — see proc_stats.hpp.
#include "proc_stats.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace aware::bench::e2e {

std::map<long, double> thread_cpu(pid_t pid) {
  std::map<long, double> out;
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  for (const auto& e : std::filesystem::directory_iterator{"/proc/" + std::to_string(pid) + "/task"}) {
    std::ifstream stat{e.path() / "stat"};
    std::string text{std::istreambuf_iterator<char>(stat), {}};
    const auto close = text.rfind(')');  // the name may hold spaces; fields follow it
    if (close == std::string::npos) {
      continue;
    }
    std::istringstream fields{text.substr(close + 2)};
    std::string f;
    double utime = 0;
    double stime = 0;
    for (int i = 3; fields >> f && i <= 15; ++i) {  // field 3 is the state
      if (i == 14) {
        utime = std::stod(f);
      } else if (i == 15) {
        stime = std::stod(f);
      }
    }
    out[std::stol(e.path().filename())] = (utime + stime) / tick;
  }
  return out;
}

}  // namespace aware::bench::e2e
