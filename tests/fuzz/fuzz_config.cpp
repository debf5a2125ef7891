// fuzz_config.cpp — libFuzzer harness for the config file: TOML text through core::parse_config,
// which must answer every input with a validated Config or an error naming what is wrong.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  const auto config = aware::core::parse_config(text, "fuzz.toml");
  (void)config;
  return 0;
}
