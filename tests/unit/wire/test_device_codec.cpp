// test_device_codec.cpp — unit tests for wire/device_codec: validation of the Hello identity
// (length, character set, firmware, protocol version), of GPS fixes (finite, in range, boundary
// values), the mapping of an Activation to the domain (invalid fix kept as a flag, trigger
// default, battery clamp, audio dropped when oversized), and the framed Ack/Nack replies, which
// are parsed back through FrameDecoder.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "device.pb.h"
#include "wire/device_codec.hpp"
#include "wire/frame_decoder.hpp"

using namespace aware;
using wire::decode_activation;
using wire::decode_fix;
using wire::decode_hello;

namespace {

v1::Hello hello_with_id(const std::string& id) {
  v1::Hello h;
  h.set_device_id(id);
  h.set_firmware("fw-1.2");
  h.set_protocol_version(1);
  h.set_boot_epoch(3);
  return h;
}

v1::GpsFix fix_at(double lat, double lon, float accuracy = 5.0F) {
  v1::GpsFix f;
  f.set_lat(lat);
  f.set_lon(lon);
  f.set_accuracy_m(accuracy);
  f.set_fix_time_ms(1000);
  f.set_source(v1::FIX_SOURCE_GPS);
  return f;
}

wire::HelloInfo device_hello() { return wire::HelloInfo{"XM-1", "fw", 1, 9}; }

// Strips the varint prefix of a single framed reply and parses it.
v1::ServerMessage unframe(const std::string& bytes) {
  wire::FrameDecoder dec{64 * 1024};
  dec.feed(bytes);
  std::string payload;
  REQUIRE(dec.next(payload) == wire::FrameDecoder::Status::frame);
  REQUIRE_FALSE(dec.mid_frame());  // exactly one frame, nothing left over
  v1::ServerMessage msg;
  REQUIRE(msg.ParseFromString(payload));
  return msg;
}

}  // namespace

TEST_CASE("decode_hello refuses a missing device id", "[wire][device_codec]") {
  auto r = decode_hello(hello_with_id(""));
  REQUIRE_FALSE(r);
  CHECK(r.error().field == "hello.device_id");
  CHECK(r.error().text == "missing");
}

TEST_CASE("decode_hello accepts a 64-byte id and refuses a 65-byte id", "[wire][device_codec]") {
  CHECK(decode_hello(hello_with_id(std::string(64, 'A'))));
  auto r = decode_hello(hello_with_id(std::string(65, 'A')));
  REQUIRE_FALSE(r);
  CHECK(r.error().field == "hello.device_id");
}

TEST_CASE("decode_hello refuses ids with characters outside the allowed set",
          "[wire][device_codec]") {
  for (const std::string& bad : {std::string("XM 001"), std::string("XM/001"),
                                std::string("XM\n1"), std::string("XM\0" "1", 4),
                                std::string("caf\xc3\xa9"),       // valid UTF-8, not allowed
                                std::string("XM\xff\xfe"),        // invalid UTF-8
                                std::string("\xc3\x28"),          // invalid UTF-8 sequence
                                std::string("XM#1")}) {
    INFO("id bytes: " << bad.size());
    auto r = decode_hello(hello_with_id(bad));
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "hello.device_id");
  }
}

TEST_CASE("decode_hello accepts a valid id and copies its fields", "[wire][device_codec]") {
  auto r = decode_hello(hello_with_id("XM-DEMO_001.a:b"));
  REQUIRE(r);
  CHECK(r->device_id == "XM-DEMO_001.a:b");
  CHECK(r->firmware == "fw-1.2");
  CHECK(r->protocol_version == 1);
  CHECK(r->boot_epoch == 3);
}

TEST_CASE("decode_hello limits firmware to 64 bytes of printable ASCII", "[wire][device_codec]") {
  auto h = hello_with_id("XM-1");
  h.set_firmware(std::string(64, 'f'));
  CHECK(decode_hello(h));
  h.set_firmware("");
  CHECK(decode_hello(h));
  h.set_firmware(std::string(65, 'f'));
  auto too_long = decode_hello(h);
  REQUIRE_FALSE(too_long);
  CHECK(too_long.error().field == "hello.firmware");
  h.set_firmware("fw\x01");
  auto control = decode_hello(h);
  REQUIRE_FALSE(control);
  CHECK(control.error().field == "hello.firmware");
  h.set_firmware("fw\xc3\xa9");
  CHECK_FALSE(decode_hello(h));
}

TEST_CASE("decode_hello treats protocol_version 0 as 1 and keeps higher versions",
          "[wire][device_codec]") {
  auto h = hello_with_id("XM-1");
  h.set_protocol_version(0);
  auto r = decode_hello(h);
  REQUIRE(r);
  CHECK(r->protocol_version == 1);
  h.set_protocol_version(2);
  CHECK(decode_hello(h)->protocol_version == 2);
}

TEST_CASE("decode_fix refuses non-finite and out-of-range values", "[wire][device_codec]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_FALSE(decode_fix(fix_at(nan, 5.0), 0));
  CHECK_FALSE(decode_fix(fix_at(52.0, inf), 0));
  CHECK_FALSE(decode_fix(fix_at(52.0, -inf), 0));
  CHECK_FALSE(decode_fix(fix_at(90.0001, 5.0), 0));
  CHECK_FALSE(decode_fix(fix_at(-90.0001, 5.0), 0));
  CHECK_FALSE(decode_fix(fix_at(52.0, -180.5), 0));
  CHECK_FALSE(decode_fix(fix_at(52.0, 180.0001), 0));
  CHECK_FALSE(decode_fix(fix_at(52.0, 5.0, -1.0F), 0));
  CHECK_FALSE(decode_fix(fix_at(52.0, 5.0, std::numeric_limits<float>::quiet_NaN()), 0));
  CHECK_FALSE(decode_fix(fix_at(52.0, 5.0, std::numeric_limits<float>::infinity()), 0));
}

TEST_CASE("decode_fix accepts the boundary values and stamps the receive time",
          "[wire][device_codec]") {
  for (double lat : {-90.0, 90.0}) {
    for (double lon : {-180.0, 180.0}) {
      auto f = decode_fix(fix_at(lat, lon, 0.0F), 77);
      REQUIRE(f);
      CHECK(f->lat == lat);
      CHECK(f->lon == lon);
      CHECK(f->accuracy_m == 0.0F);
      CHECK(f->received_ms == 77);
      CHECK(f->fix_time_ms == 1000);
      CHECK(f->source == core::FixSource::gps);
    }
  }
}

TEST_CASE("decode_fix maps the fix source", "[wire][device_codec]") {
  auto f = fix_at(1, 1);
  f.set_source(v1::FIX_SOURCE_NETWORK);
  CHECK(decode_fix(f, 0)->source == core::FixSource::network);
  f.set_source(v1::FIX_SOURCE_NONE);
  CHECK(decode_fix(f, 0)->source == core::FixSource::none);
}

TEST_CASE("decode_activation keeps an activation whose fix is invalid, flagged, without fix",
          "[wire][device_codec]") {
  v1::Activation a;
  a.set_seq(5);
  *a.mutable_fix() = fix_at(std::numeric_limits<double>::quiet_NaN(), 5.0);
  auto act = decode_activation(a, device_hello(), 1234);
  CHECK(act.fix_invalid);
  CHECK_FALSE(act.fix.has_value());
  CHECK(act.key == core::MessageKey{"XM-1", 9, 5});
  CHECK(act.received_ms == 1234);
}

TEST_CASE("decode_activation without a fix sets neither fix nor fix_invalid",
          "[wire][device_codec]") {
  v1::Activation a;
  a.set_seq(1);
  auto act = decode_activation(a, device_hello(), 0);
  CHECK_FALSE(act.fix_invalid);
  CHECK_FALSE(act.fix.has_value());
}

TEST_CASE("decode_activation keeps a valid fix with the receive time", "[wire][device_codec]") {
  v1::Activation a;
  *a.mutable_fix() = fix_at(52.09, 5.12, 12.0F);
  auto act = decode_activation(a, device_hello(), 555);
  REQUIRE(act.fix);
  CHECK_FALSE(act.fix_invalid);
  CHECK(act.fix->lat == 52.09);
  CHECK(act.fix->received_ms == 555);
}

TEST_CASE("decode_activation maps triggers with unspecified meaning alarm", "[wire][device_codec]") {
  v1::Activation a;
  a.set_trigger(v1::TRIGGER_UNSPECIFIED);
  CHECK(decode_activation(a, device_hello(), 0).trigger == core::Trigger::alarm);
  a.set_trigger(v1::TRIGGER_ALARM);
  CHECK(decode_activation(a, device_hello(), 0).trigger == core::Trigger::alarm);
  a.set_trigger(v1::TRIGGER_TEST);
  CHECK(decode_activation(a, device_hello(), 0).trigger == core::Trigger::test);
  a.set_trigger(v1::TRIGGER_CANCEL);
  CHECK(decode_activation(a, device_hello(), 0).trigger == core::Trigger::cancel);
  a.set_trigger(static_cast<v1::Trigger>(99));  // unknown value from a newer device
  CHECK(decode_activation(a, device_hello(), 0).trigger == core::Trigger::alarm);
}

TEST_CASE("decode_activation clamps the battery to 100", "[wire][device_codec]") {
  v1::Activation a;
  a.set_battery_pct(150);
  CHECK(decode_activation(a, device_hello(), 0).battery_pct == 100);
  a.set_battery_pct(42);
  CHECK(decode_activation(a, device_hello(), 0).battery_pct == 42);
}

TEST_CASE("decode_activation keeps a valid audio channel", "[wire][device_codec]") {
  v1::Activation a;
  a.mutable_audio()->set_kind(v1::AUDIO_KIND_SIP);
  a.mutable_audio()->set_address("sip:xm1@example.org");
  a.mutable_audio()->set_codec("opus");
  auto act = decode_activation(a, device_hello(), 0);
  REQUIRE(act.audio);
  CHECK(*act.audio == core::AudioChannel{core::AudioKind::sip, "sip:xm1@example.org", "opus"});
}

TEST_CASE("decode_activation drops oversized or unprintable audio but keeps the activation",
          "[wire][device_codec]") {
  v1::Activation a;
  a.set_seq(8);
  a.mutable_audio()->set_kind(v1::AUDIO_KIND_PHONE);
  a.mutable_audio()->set_address(std::string(256, '1'));
  CHECK(decode_activation(a, device_hello(), 0).audio.has_value());
  a.mutable_audio()->set_address(std::string(257, '1'));
  auto act = decode_activation(a, device_hello(), 0);
  CHECK_FALSE(act.audio.has_value());
  CHECK(act.key.seq == 8);
  a.mutable_audio()->set_address("+31\x07");
  CHECK_FALSE(decode_activation(a, device_hello(), 0).audio.has_value());
  a.mutable_audio()->set_address("+31");
  a.mutable_audio()->set_codec(std::string(33, 'c'));
  CHECK_FALSE(decode_activation(a, device_hello(), 0).audio.has_value());
}

TEST_CASE("decode_activation ignores audio of kind NONE", "[wire][device_codec]") {
  v1::Activation a;
  a.mutable_audio()->set_kind(v1::AUDIO_KIND_NONE);
  a.mutable_audio()->set_address("+31");
  CHECK_FALSE(decode_activation(a, device_hello(), 0).audio.has_value());
}

TEST_CASE("encode_ack is one framed ServerMessage with seq and server time",
          "[wire][device_codec]") {
  auto msg = unframe(wire::encode_ack(12345678901ULL, 1700000000123));
  REQUIRE(msg.has_ack());
  CHECK(msg.ack().seq() == 12345678901ULL);
  CHECK(msg.ack().server_time_ms() == 1700000000123);
}

TEST_CASE("encode_nack is one framed ServerMessage with seq, reason and text",
          "[wire][device_codec]") {
  auto msg = unframe(wire::encode_nack(7, v1::NACK_REASON_INVALID_FIELD, "hello.device_id: missing"));
  REQUIRE(msg.has_nack());
  CHECK(msg.nack().seq() == 7);
  CHECK(msg.nack().reason() == v1::NACK_REASON_INVALID_FIELD);
  CHECK(msg.nack().text() == "hello.device_id: missing");
}

TEST_CASE("encode_nack maps an unknown reason to UNSPECIFIED", "[wire][device_codec]") {
  auto msg = unframe(wire::encode_nack(1, 999, "x"));
  REQUIRE(msg.has_nack());
  CHECK(msg.nack().reason() == v1::NACK_REASON_UNSPECIFIED);
}
