// test_frame_decoder.cpp — unit tests for wire::FrameDecoder and wire::append_frame, the
// varint length-delimited framing of the device link. Everything is fed as plain bytes: single
// and batched frames, byte-by-byte delivery, the size limit (exact, one over, sticky), malformed
// varint prefixes, mid_frame() tracking, encoder round trips across varint length boundaries,
// and interop with protobuf's own SerializeDelimitedToOstream.
#include <catch2/catch.hpp>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>

#include "device.pb.h"
#include "wire/frame_decoder.hpp"

using aware::wire::append_frame;
using aware::wire::FrameDecoder;
using Status = FrameDecoder::Status;

namespace {

std::string framed(std::string_view payload) {
  std::string out;
  append_frame(out, payload);
  return out;
}

}  // namespace

TEST_CASE("FrameDecoder returns one complete frame fed at once", "[wire][frame]") {
  FrameDecoder dec{1024};
  dec.feed(framed("hello"));
  std::string payload;
  REQUIRE(dec.next(payload) == Status::frame);
  CHECK(payload == "hello");
  CHECK(dec.next(payload) == Status::need_more);
  CHECK_FALSE(dec.mid_frame());
}

TEST_CASE("FrameDecoder returns several frames from one feed in order", "[wire][frame]") {
  FrameDecoder dec{1024};
  dec.feed(framed("one") + framed("two") + framed("three"));
  std::string payload;
  REQUIRE(dec.next(payload) == Status::frame);
  CHECK(payload == "one");
  REQUIRE(dec.next(payload) == Status::frame);
  CHECK(payload == "two");
  REQUIRE(dec.next(payload) == Status::frame);
  CHECK(payload == "three");
  CHECK(dec.next(payload) == Status::need_more);
}

TEST_CASE("FrameDecoder assembles a frame delivered byte by byte", "[wire][frame]") {
  const std::string body(300, 'x');  // two-byte length prefix
  const std::string bytes = framed(body);
  FrameDecoder dec{1024};
  std::string payload;
  for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
    dec.feed(std::string_view(bytes).substr(i, 1));
    REQUIRE(dec.next(payload) == Status::need_more);
    CHECK(dec.mid_frame());
  }
  dec.feed(std::string_view(bytes).substr(bytes.size() - 1));
  REQUIRE(dec.next(payload) == Status::frame);
  CHECK(payload == body);
  CHECK_FALSE(dec.mid_frame());
}

TEST_CASE("FrameDecoder accepts the span overload of feed", "[wire][frame]") {
  const std::string bytes = framed("abc");
  std::vector<std::uint8_t> raw(bytes.begin(), bytes.end());
  FrameDecoder dec{16};
  dec.feed(std::span<const std::uint8_t>(raw));
  std::string payload;
  REQUIRE(dec.next(payload) == Status::frame);
  CHECK(payload == "abc");
}

TEST_CASE("FrameDecoder returns an empty-payload frame", "[wire][frame]") {
  FrameDecoder dec{16};
  dec.feed(std::string(1, '\0'));
  std::string payload = "stale";
  REQUIRE(dec.next(payload) == Status::frame);
  CHECK(payload.empty());
  CHECK_FALSE(dec.mid_frame());
}

TEST_CASE("FrameDecoder accepts a frame of exactly the maximum size", "[wire][frame]") {
  FrameDecoder dec{200};
  const std::string body(200, 'm');
  dec.feed(framed(body));
  std::string payload;
  REQUIRE(dec.next(payload) == Status::frame);
  CHECK(payload == body);
}

TEST_CASE("FrameDecoder refuses max+1 as too_large, from the prefix alone, and stays failed",
          "[wire][frame]") {
  FrameDecoder dec{200};
  std::string prefix;
  append_frame(prefix, std::string(201, 'm'));
  prefix.resize(2);  // only the varint (201 needs two bytes): no payload needed to refuse it
  dec.feed(prefix);
  std::string payload;
  CHECK(dec.next(payload) == Status::too_large);
  CHECK(dec.announced_length() == 201);
  dec.feed(std::string(201, 'm') + framed("ok"));
  CHECK(dec.next(payload) == Status::too_large);
  CHECK(dec.next(payload) == Status::too_large);
}

TEST_CASE("FrameDecoder refuses an 11-byte varint as bad_varint, and stays failed",
          "[wire][frame]") {
  FrameDecoder dec{1024};
  std::string prefix(10, static_cast<char>(0x80));
  prefix.push_back(0x01);
  dec.feed(prefix);
  std::string payload;
  CHECK(dec.next(payload) == Status::bad_varint);
  dec.feed(framed("ok"));
  CHECK(dec.next(payload) == Status::bad_varint);
}

TEST_CASE("FrameDecoder waits on an incomplete varint of up to 9 continuation bytes",
          "[wire][frame]") {
  FrameDecoder dec{1024};
  dec.feed(std::string(9, static_cast<char>(0x80)));
  std::string payload;
  CHECK(dec.next(payload) == Status::need_more);
  CHECK(dec.mid_frame());
}

TEST_CASE("FrameDecoder refuses a 10-byte varint that overflows 64 bits", "[wire][frame]") {
  FrameDecoder dec{1024};
  std::string prefix(9, static_cast<char>(0xff));
  prefix.push_back(0x02);  // bit 64 set
  dec.feed(prefix);
  std::string payload;
  CHECK(dec.next(payload) == Status::bad_varint);
}

TEST_CASE("FrameDecoder mid_frame follows partial input", "[wire][frame]") {
  FrameDecoder dec{1024};
  CHECK_FALSE(dec.mid_frame());
  const std::string bytes = framed("payload");
  dec.feed(std::string_view(bytes).substr(0, 3));
  std::string payload;
  CHECK(dec.next(payload) == Status::need_more);
  CHECK(dec.mid_frame());
  CHECK(dec.announced_length() == 7);
  dec.feed(std::string_view(bytes).substr(3));
  REQUIRE(dec.next(payload) == Status::frame);
  CHECK_FALSE(dec.mid_frame());
  CHECK(dec.announced_length() == 0);
}

TEST_CASE("append_frame round-trips payloads across varint length boundaries", "[wire][frame]") {
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{127}, std::size_t{128},
                           std::size_t{16383}, std::size_t{16384}}) {
    INFO("payload size " << size);
    std::string body(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
      body[i] = static_cast<char>(i * 7);
    }
    const std::string bytes = framed(body);
    const std::size_t prefix_len = size < 128 ? 1 : size < 16384 ? 2 : 3;
    CHECK(bytes.size() == prefix_len + size);
    FrameDecoder dec{20000};
    dec.feed(bytes);
    std::string payload;
    REQUIRE(dec.next(payload) == Status::frame);
    CHECK(payload == body);
  }
}

TEST_CASE("append_frame writes the exact varint bytes for 127, 128 and 16384", "[wire][frame]") {
  CHECK(framed(std::string(127, 'a')).substr(0, 1) == std::string("\x7f", 1));
  CHECK(framed(std::string(128, 'a')).substr(0, 2) == std::string("\x80\x01", 2));
  CHECK(framed(std::string(16384, 'a')).substr(0, 3) == std::string("\x80\x80\x01", 3));
}

TEST_CASE("append_frame appends to existing output", "[wire][frame]") {
  std::string out = "XY";
  append_frame(out, "ab");
  CHECK(out == std::string("XY\x02" "ab", 5));
}

TEST_CASE("FrameDecoder decodes bytes written by protobuf's SerializeDelimitedToOstream",
          "[wire][frame][interop]") {
  std::ostringstream os;
  aware::v1::DeviceMessage hello;
  hello.mutable_hello()->set_device_id("XM-DEMO-001");
  hello.mutable_hello()->set_boot_epoch(7);
  aware::v1::DeviceMessage act;
  act.mutable_activation()->set_seq(42);
  act.mutable_activation()->mutable_audio()->set_address(std::string(300, '1'));  // 2-byte prefix
  REQUIRE(google::protobuf::util::SerializeDelimitedToOstream(hello, &os));
  REQUIRE(google::protobuf::util::SerializeDelimitedToOstream(act, &os));

  FrameDecoder dec{64 * 1024};
  dec.feed(os.str());
  std::string payload;
  aware::v1::DeviceMessage parsed;
  REQUIRE(dec.next(payload) == Status::frame);
  REQUIRE(parsed.ParseFromString(payload));
  CHECK(parsed.SerializeAsString() == hello.SerializeAsString());
  CHECK(parsed.hello().device_id() == "XM-DEMO-001");
  REQUIRE(dec.next(payload) == Status::frame);
  REQUIRE(parsed.ParseFromString(payload));
  CHECK(parsed.activation().seq() == 42);
  CHECK(parsed.activation().audio().address().size() == 300);
  CHECK(dec.next(payload) == Status::need_more);
}

TEST_CASE("append_frame output is readable by protobuf's ParseDelimitedFromZeroCopyStream",
          "[wire][frame][interop]") {
  aware::v1::ServerMessage msg;
  msg.mutable_ack()->set_seq(99);
  std::string bytes;
  append_frame(bytes, msg.SerializeAsString());
  std::istringstream is(bytes);
  google::protobuf::io::IstreamInputStream stream(&is);
  aware::v1::ServerMessage parsed;
  bool clean_eof = false;
  REQUIRE(google::protobuf::util::ParseDelimitedFromZeroCopyStream(&parsed, &stream, &clean_eof));
  CHECK(parsed.ack().seq() == 99);
}
