// frame_decoder.cpp — varint length-delimited framing, both directions.
#include "wire/frame_decoder.hpp"

namespace aware::wire {
namespace {

// Parses a varint at the start of `in`. Returns bytes consumed, 0 if incomplete, -1 if invalid.
int parse_varint(std::string_view in, std::uint64_t& value) {
  value = 0;
  for (std::size_t i = 0; i < in.size() && i < 10; ++i) {
    const auto byte = static_cast<std::uint8_t>(in[i]);
    if (i == 9 && byte > 1) {
      return -1;  // would overflow 64 bits
    }
    value |= static_cast<std::uint64_t>(byte & 0x7fU) << (7 * i);
    if ((byte & 0x80U) == 0) {
      return static_cast<int>(i + 1);
    }
  }
  return in.size() >= 10 ? -1 : 0;
}

}  // namespace

void FrameDecoder::feed(std::span<const std::uint8_t> bytes) {
  buffer_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void FrameDecoder::feed(std::string_view bytes) { buffer_.append(bytes); }

FrameDecoder::Status FrameDecoder::next(std::string& payload) {
  if (failed_ != Status::need_more) {
    return failed_;
  }
  std::uint64_t length = 0;
  const int prefix = parse_varint(buffer_, length);
  if (prefix < 0) {
    return failed_ = Status::bad_varint;
  }
  if (prefix == 0) {
    return Status::need_more;
  }
  announced_ = length;
  if (length > max_frame_bytes_) {
    return failed_ = Status::too_large;
  }
  const auto total = static_cast<std::size_t>(prefix) + static_cast<std::size_t>(length);
  if (buffer_.size() < total) {
    return Status::need_more;
  }
  payload.assign(buffer_, static_cast<std::size_t>(prefix), static_cast<std::size_t>(length));
  buffer_.erase(0, total);
  announced_ = 0;
  return Status::frame;
}

void append_frame(std::string& out, std::string_view payload) {
  std::uint64_t length = payload.size();
  do {
    auto byte = static_cast<std::uint8_t>(length & 0x7fU);
    length >>= 7;
    if (length != 0) {
      byte |= 0x80U;
    }
    out.push_back(static_cast<char>(byte));
  } while (length != 0);
  out.append(payload);
}

}  // namespace aware::wire
