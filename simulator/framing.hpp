// framing.hpp — protobuf "delimited" framing between a device and awared, without any I/O.
// Every frame is a base-128 varint length followed by that many bytes of one protobuf message.
// Encoding and decoding both go through protobuf's own delimited_message_util, so the simulator
// cross-checks the daemon's hand-written decoder. Used by link.cpp (and by tests, if any).
#pragma once

#include <cstddef>
#include <string>

#include "device.pb.h"

namespace aware::sim {

// Largest ServerMessage frame we accept; the daemon's own default cap for device frames.
inline constexpr std::size_t max_frame_bytes = 64 * 1024;

// Serialises `message` as one delimited frame (varint length + body).
std::string encode_frame(const aware::v1::DeviceMessage& message);

// What frame_decoder::next found in its buffer.
enum class decode_status {
  need_more,    // no complete frame buffered yet
  frame,        // one ServerMessage was decoded and removed from the buffer
  too_large,    // the announced length exceeds the cap: the connection must be dropped
  bad_frame,    // malformed varint or a body protobuf cannot parse: drop the connection
};

// Accumulates bytes read from a socket and cuts them into ServerMessages.
// After too_large or bad_frame the decoder stays unusable until reset().
class frame_decoder {
 public:
  explicit frame_decoder(std::size_t max_frame = max_frame_bytes);

  // Appends `size` received bytes. The buffer never holds more than one frame plus one read.
  void feed(const char* data, std::size_t size);

  // Decodes the next complete frame into `out`. Contract: returns frame at most once per
  // buffered frame; returns need_more without touching `out` when the frame is incomplete.
  decode_status next(aware::v1::ServerMessage& out);

  // Forgets all buffered bytes (used when a connection is replaced).
  void reset();

 private:
  std::string buffer_;         // received bytes not yet consumed
  std::size_t max_frame_;      // cap on one frame body, in bytes
  bool broken_ = false;        // a fatal framing error was seen
};

}  // namespace aware::sim
