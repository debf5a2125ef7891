// splitter.hpp — cuts a DC-09 byte stream (TCP) into frame bodies: the bytes between an LF and
// the next CR.
//
// The net layer feeds whatever bytes arrived; next() hands back complete bodies one at a time.
// Bytes before an LF are garbage and dropped (counted); an LF inside a frame starts the frame
// again (a frame body never holds one); a frame that grows past `max_body_bytes` without a CR is
// dropped and the splitter waits for the next LF. So memory never exceeds `max_body_bytes`
// plus the one chunk being fed, whatever the peer sends. A UDP datagram is fed to a fresh
// splitter (or parsed directly). No I/O; unit tested with plain bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "dc09/frame.hpp"

namespace aware::dc09 {

class FrameSplitter {
 public:
  enum class Status {
    frame,      // next() returned a complete body
    need_more,  // no complete body left in what was fed
    oversize,   // a body grew past the limit and was dropped; the stream goes on
  };

  explicit FrameSplitter(std::size_t max_body_bytes = kMaxBodyBytes)
      : max_body_bytes_{max_body_bytes} {}

  // Appends received bytes; call next() until it returns need_more before feeding again.
  void feed(std::string_view bytes) { pending_.append(bytes); }

  // Extracts the next complete body into `body` (replacing its contents).
  Status next(std::string& body);

  // True while a frame has begun (an LF was seen) but its CR has not: the net layer then applies
  // the per-frame deadline.
  [[nodiscard]] bool mid_frame() const { return in_frame_; }
  // Bytes dropped so far outside any frame (for logs and tests).
  [[nodiscard]] std::size_t garbage_bytes() const { return garbage_; }

 private:
  std::size_t max_body_bytes_;  // limit on one body
  std::string pending_;         // fed bytes not yet scanned
  std::size_t scanned_ = 0;     // how much of pending_ next() has consumed
  std::string current_;         // the body being collected (after its LF)
  bool in_frame_ = false;       // an LF was seen and its CR not yet
  bool skipping_ = false;       // dropping an oversize body until the next LF
  std::size_t garbage_ = 0;     // bytes dropped outside frames
};

}  // namespace aware::dc09
