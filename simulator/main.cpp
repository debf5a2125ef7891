// main.cpp — entry point of xmark-sim, the simulated X-Mark device. Parses the command line
// and hands over to the activate, fleet or scenario command; see `xmark-sim --help` and
// cli.hpp for the exit codes. The protocol logic lives in the aware_sim library.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "activate.hpp"
#include "cli.hpp"
#include "dc09_transmit.hpp"
#include "fleet.hpp"
#include "scenario_play.hpp"

namespace {

template <typename... F>
struct overloaded : F... {
  using F::operator()...;
};
template <typename... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace

int main(int argc, char** argv) {
  using namespace aware::sim;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "dc09") {
    return run_dc09(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  try {
    return std::visit(
        overloaded{
            [](const activate_options& options) { return run_activate(options); },
            [](const fleet_options& options) { return run_fleet(options); },
            [](const scenario_options& options) { return run_scenario(options); },
            [](const show_help&) {
              std::fputs(help_text(), stdout);
              return static_cast<int>(exit_acked);
            },
            [](const show_version&) {
              std::puts("xmark-sim 0.1");
              return static_cast<int>(exit_acked);
            },
            [](const usage_error& error) {
              std::cerr << "xmark-sim: " << error.message << "\nTry 'xmark-sim --help'.\n";
              return static_cast<int>(exit_usage);
            },
        },
        parse_command_line(args));
  } catch (const std::exception& failure) {
    std::cerr << "xmark-sim: internal error: " << failure.what() << '\n';
    return exit_local_error;
  }
}
