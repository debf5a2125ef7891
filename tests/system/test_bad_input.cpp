// test_bad_input.cpp — malformed device input against the real awared: every case gets a Nack
// with a reason or a closed connection, and changes nothing else — the daemon keeps serving
// other devices and never crashes.
#include <catch2/catch.hpp>

#include "device.pb.h"
#include "fixtures.hpp"

using namespace aware::systest;

namespace {

std::string varint(std::uint64_t v) {
  std::string out;
  do {
    auto byte = static_cast<char>(v & 0x7f);
    v >>= 7;
    if (v != 0) {
      byte = static_cast<char>(byte | 0x80);
    }
    out.push_back(byte);
  } while (v != 0);
  return out;
}

std::string frame(const google::protobuf::Message& msg) {
  const auto body = msg.SerializeAsString();
  return varint(body.size()) + body;
}

std::string hello(const std::string& device_id) {
  aware::v1::DeviceMessage m;
  m.mutable_hello()->set_device_id(device_id);
  m.mutable_hello()->set_protocol_version(1);
  m.mutable_hello()->set_boot_epoch(1);
  return frame(m);
}

aware::v1::ServerMessage parse_reply(const std::optional<std::string>& bytes) {
  REQUIRE(bytes);
  aware::v1::ServerMessage reply;
  REQUIRE(reply.ParseFromString(*bytes));
  return reply;
}

// The daemon still works for everyone else: a real device gets its activation acked.
void still_serving(const TempDir& dir, const Awared& awared) {
  CHECK(activate(dir, awared.device_port(), "XM-DEMO-001").exit_code == 0);
  CHECK(http_get(awared.meldkamer_port(), "/healthz").find("200 OK") != std::string::npos);
}

}  // namespace

TEST_CASE("malformed frames close only their own connection", "[system]") {
  TempDir dir;
  Awared awared{dir};
  RawConnection bystander{awared.device_port()};
  bystander.send(hello("XM-DEMO-002"));

  SECTION("an oversized frame") {
    RawConnection c{awared.device_port()};
    c.send(varint(70000) + std::string(100, 'x'));
    CHECK(c.closed_by_peer());
  }
  SECTION("a length prefix that is not a varint") {
    RawConnection c{awared.device_port()};
    c.send(std::string(11, '\xff'));
    CHECK(c.closed_by_peer());
  }
  SECTION("garbage bytes that frame correctly but do not parse") {
    RawConnection c{awared.device_port()};
    c.send(varint(6) + std::string("\xff\xff\xff\xff\xff\xff", 6));
    CHECK(c.closed_by_peer());
  }
  SECTION("a truncated frame, then the device goes quiet") {
    RawConnection c{awared.device_port()};
    c.send(hello("XM-DEMO-003"));
    c.send(varint(100) + std::string(10, '\x08'));
    c.shutdown_write();
    CHECK(c.closed_by_peer());
  }
  // The bystander's connection is unaffected: its activation is still acked on it.
  aware::v1::DeviceMessage act;
  act.mutable_activation()->set_seq(99);
  bystander.send(frame(act));
  const auto reply = parse_reply(bystander.read_frame());
  CHECK(reply.has_ack());
  CHECK(reply.ack().seq() == 99);
  still_serving(dir, awared);
}

TEST_CASE("a silent or dripping device is cut off by the read deadlines", "[system]") {
  TempDir dir;
  Awared awared{dir, AwaredOptions{.device_toml = "frame_timeout_s = 1\nhello_timeout_s = 1"}};
  SECTION("no Hello at all") {
    RawConnection c{awared.device_port()};
    CHECK(c.closed_by_peer());
  }
  SECTION("a frame that never completes") {
    RawConnection c{awared.device_port()};
    c.send(hello("XM-DEMO-003"));
    c.send(varint(100) + std::string(10, '\x08'));  // and never the rest
    CHECK(c.closed_by_peer());
  }
  still_serving(dir, awared);
}

TEST_CASE("parseable but wrong messages get a Nack with a reason", "[system]") {
  TempDir dir;
  Awared awared{dir};
  RawConnection c{awared.device_port()};

  SECTION("an activation before Hello") {
    aware::v1::DeviceMessage act;
    act.mutable_activation()->set_seq(5);
    c.send(frame(act));
    const auto reply = parse_reply(c.read_frame());
    REQUIRE(reply.has_nack());
    CHECK(reply.nack().seq() == 5);
    CHECK(reply.nack().reason() == aware::v1::NACK_REASON_NO_HELLO);
  }
  SECTION("a Hello without a device id") {
    c.send(hello(""));
    const auto reply = parse_reply(c.read_frame());
    REQUIRE(reply.has_nack());
    CHECK(reply.nack().reason() == aware::v1::NACK_REASON_INVALID_FIELD);
    CHECK(reply.nack().text().find("device_id") != std::string::npos);
  }
  SECTION("a device id that is not valid UTF-8") {
    c.send(hello(std::string("XM-\xc3\x28-bad", 9)));
    const auto reply = parse_reply(c.read_frame());
    REQUIRE(reply.has_nack());
    CHECK(reply.nack().reason() == aware::v1::NACK_REASON_INVALID_FIELD);
  }
  SECTION("a message of an unknown type") {
    c.send(hello("XM-DEMO-001"));
    // Field 15 is not part of DeviceMessage: it parses, with no known body set.
    c.send(varint(3) + std::string("\x78\x96\x01", 3));
    const auto reply = parse_reply(c.read_frame());
    REQUIRE(reply.has_nack());
    CHECK(reply.nack().reason() == aware::v1::NACK_REASON_UNKNOWN_MESSAGE);
  }
  still_serving(dir, awared);
  CHECK(query_one(awared.db(), "SELECT count(*) FROM incidents WHERE device_id != 'XM-DEMO-001'") ==
        "0");
}
