// fuzz_device_frames.cpp — libFuzzer harness for what a device sends: arbitrary bytes, cut into
// reads at positions the input chooses, go through the frame decoder exactly as
// net/device_session feeds it; every complete frame goes through the device protocol (protobuf
// parse, Hello/Activation/Position/Heartbeat validation). Any crash, leak or sanitizer report is
// a finding. A frame limit of 4 KiB keeps "too large" reachable.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "ingest/device_protocol.hpp"
#include "wire/frame_decoder.hpp"

namespace {

// The first input byte picks the read size pattern; the rest is the byte stream.
std::size_t read_size(std::uint8_t pattern, std::size_t round) {
  const std::size_t base = static_cast<std::size_t>(pattern % 64U) + 1U;
  return (pattern & 0x80U) != 0 ? base + (round % 7U) : base;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t pattern = data[0];
  std::string_view stream{reinterpret_cast<const char*>(data + 1), size - 1};
  aware::wire::FrameDecoder decoder{4096};
  aware::ingest::DeviceProtocol protocol;
  if ((pattern & 0x40U) != 0) {
    protocol.bind_certificate("XM-FUZZ-001");  // as over mutual TLS
  }
  std::string payload;
  std::size_t round = 0;
  std::int64_t now = 1'700'000'000'000;
  while (!stream.empty()) {
    const auto n = std::min(stream.size(), read_size(pattern, round++));
    decoder.feed(stream.substr(0, n));
    stream.remove_prefix(n);
    for (;;) {
      const auto status = decoder.next(payload);
      if (status == aware::wire::FrameDecoder::Status::need_more) {
        break;
      }
      if (status != aware::wire::FrameDecoder::Status::frame) {
        return 0;  // the session closes the connection here
      }
      const auto action = protocol.on_frame(payload, now++);
      if (std::holds_alternative<aware::ingest::CloseConnection>(action) ||
          std::holds_alternative<aware::ingest::IdentityMismatch>(action)) {
        return 0;
      }
    }
  }
  return 0;
}
