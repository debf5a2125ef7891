// fuzz_console_request.cpp — libFuzzer harness for what a meldkamer console sends over its
// WebSocket: one text message (protobuf's JSON mapping of ConsoleRequest) through
// wire::decode_console_request, which must answer every input with a request or an error text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/meldkamer_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  const auto request = aware::wire::decode_console_request(text);
  if (!request && request.error().empty()) {
    __builtin_trap();  // an error must say what is wrong
  }
  return 0;
}
