// framing.cpp — delimited framing on top of protobuf's delimited_message_util (see framing.hpp).
// The varint is peeked with CodedInputStream only to learn whether the whole frame has arrived
// and whether it respects the cap; the frame itself is then parsed by
// ParseDelimitedFromCodedStream, exactly as any other protobuf user would read it.
#include "framing.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/delimited_message_util.h>

namespace aware::sim {

namespace pbio = google::protobuf::io;

std::string encode_frame(const aware::v1::DeviceMessage& message) {
  std::string out;
  {
    pbio::StringOutputStream stream(&out);
    google::protobuf::util::SerializeDelimitedToZeroCopyStream(message, &stream);
  }
  return out;
}

frame_decoder::frame_decoder(std::size_t max_frame) : max_frame_(max_frame) {}

void frame_decoder::feed(const char* data, std::size_t size) {
  buffer_.append(data, size);
}

void frame_decoder::reset() {
  buffer_.clear();
  broken_ = false;
}

// Contract: see header. A varint needs at most 10 bytes; fewer buffered bytes with the
// continuation bit still set mean "wait for more", 10 or more mean a malformed length.
decode_status frame_decoder::next(aware::v1::ServerMessage& out) {
  if (broken_) {
    return decode_status::bad_frame;
  }
  if (buffer_.empty()) {
    return decode_status::need_more;
  }
  const auto available = static_cast<int>(buffer_.size());
  std::uint64_t length = 0;
  int header = 0;
  {
    pbio::ArrayInputStream raw(buffer_.data(), available);
    pbio::CodedInputStream peek(&raw);
    if (!peek.ReadVarint64(&length)) {
      if (buffer_.size() >= 10) {
        broken_ = true;
        return decode_status::bad_frame;
      }
      return decode_status::need_more;
    }
    header = peek.CurrentPosition();
  }
  if (length > max_frame_) {
    broken_ = true;
    return decode_status::too_large;
  }
  const auto frame_size = static_cast<std::size_t>(header) + static_cast<std::size_t>(length);
  if (buffer_.size() < frame_size) {
    return decode_status::need_more;
  }
  pbio::ArrayInputStream raw(buffer_.data(), static_cast<int>(frame_size));
  pbio::CodedInputStream input(&raw);
  bool clean_eof = false;
  aware::v1::ServerMessage message;
  if (!google::protobuf::util::ParseDelimitedFromCodedStream(&message, &input, &clean_eof)) {
    broken_ = true;
    return decode_status::bad_frame;
  }
  buffer_.erase(0, frame_size);
  out = std::move(message);
  return decode_status::frame;
}

}  // namespace aware::sim
