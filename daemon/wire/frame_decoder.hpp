// frame_decoder.hpp — sans-I/O decoder for the device link's framing: each frame is a protobuf
// message preceded by its length as a base-128 varint (protobuf's "delimited" form).
//
// The net layer feeds whatever bytes arrived; the decoder hands back complete frames one at a
// time. It never allocates more than `max_frame_bytes` plus one read's worth of buffered input,
// whatever the peer sends. Used by net/device_session; unit tested with plain bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace aware::wire {

class FrameDecoder {
 public:
  enum class Status {
    frame,        // next() returned a complete frame payload
    need_more,    // no complete frame buffered yet
    too_large,    // the announced length exceeds the limit: the stream is unusable
    bad_varint,   // the length prefix is longer than 10 bytes or overflows: unusable
  };

  explicit FrameDecoder(std::size_t max_frame_bytes) : max_frame_bytes_{max_frame_bytes} {}

  // Appends received bytes. Cheap; decoding happens in next().
  void feed(std::span<const std::uint8_t> bytes);
  void feed(std::string_view bytes);

  // Extracts the next complete frame into `payload` (replacing its contents). After too_large
  // or bad_varint the decoder stays in that state: the caller must close the connection.
  Status next(std::string& payload);

  // True while a frame has begun but is not complete: the net layer then applies the
  // per-frame deadline instead of the idle deadline.
  [[nodiscard]] bool mid_frame() const { return !buffer_.empty(); }

  // The length announced by the frame in progress (for logs), 0 if not yet known.
  [[nodiscard]] std::uint64_t announced_length() const { return announced_; }

 private:
  std::size_t max_frame_bytes_;   // limit on one payload
  std::string buffer_;            // bytes received but not yet returned as frames
  std::uint64_t announced_ = 0;   // length of the frame at the front of buffer_, once parsed
  Status failed_ = Status::need_more;  // sticky error state (too_large / bad_varint)
};

// Appends `payload` with its varint length prefix to `out` (the encoder side, for replies).
void append_frame(std::string& out, std::string_view payload);

}  // namespace aware::wire
