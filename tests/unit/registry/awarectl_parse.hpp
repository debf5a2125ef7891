// awarectl_parse.hpp — helpers for the awarectl command-line tests: parse and require a
// command, or parse and require a usage error.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>

#include "command.hpp"

namespace aware::awarectl::testing {

inline Command ok(const std::vector<std::string>& args) {
  auto r = parse_command(args);
  REQUIRE(std::holds_alternative<Command>(r));
  return std::get<Command>(r);
}

inline std::string usage(const std::vector<std::string>& args) {
  auto r = parse_command(args);
  REQUIRE(std::holds_alternative<Usage>(r));
  return std::get<Usage>(r).message;
}

}  // namespace aware::awarectl::testing
