// test_device_protocol.cpp — unit tests for ingest::DeviceProtocol, the per-connection device
// state machine. Frames are built as serialized aware.v1.DeviceMessages and the framed replies
// are parsed back, so each rule of device_protocol.hpp is checked end to end in bytes: Hello
// first (NO_HELLO otherwise), unparseable payload closes, empty message is UNKNOWN_MESSAGE, an
// invalid Hello is INVALID_FIELD naming the field, activations become StoreActivation with the
// right key and receive time, heartbeats and positions are acked, and a new Hello replaces the
// identity.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <variant>

#include "device.pb.h"
#include "ingest/device_protocol.hpp"
#include "wire/frame_decoder.hpp"

using namespace aware;
using ingest::DeviceProtocol;

namespace {

std::string hello_bytes(const std::string& id, std::uint32_t boot_epoch) {
  v1::DeviceMessage m;
  m.mutable_hello()->set_device_id(id);
  m.mutable_hello()->set_firmware("fw-1");
  m.mutable_hello()->set_protocol_version(1);
  m.mutable_hello()->set_boot_epoch(boot_epoch);
  return m.SerializeAsString();
}

std::string activation_bytes(std::uint64_t seq) {
  v1::DeviceMessage m;
  m.mutable_activation()->set_seq(seq);
  m.mutable_activation()->set_device_time_ms(1000);
  m.mutable_activation()->set_battery_pct(55);
  return m.SerializeAsString();
}

std::string heartbeat_bytes(std::uint64_t seq) {
  v1::DeviceMessage m;
  m.mutable_heartbeat()->set_seq(seq);
  m.mutable_heartbeat()->set_battery_pct(90);
  return m.SerializeAsString();
}

std::string position_bytes(std::uint64_t seq) {
  v1::DeviceMessage m;
  m.mutable_position()->set_seq(seq);
  m.mutable_position()->mutable_fix()->set_lat(52.0);
  m.mutable_position()->mutable_fix()->set_lon(5.0);
  return m.SerializeAsString();
}

// The ServerMessage inside a Reply action (which must be exactly one frame).
v1::ServerMessage reply_of(const ingest::Action& action) {
  REQUIRE(std::holds_alternative<ingest::Reply>(action));
  wire::FrameDecoder dec{64 * 1024};
  dec.feed(std::get<ingest::Reply>(action).frame);
  std::string payload;
  REQUIRE(dec.next(payload) == wire::FrameDecoder::Status::frame);
  REQUIRE_FALSE(dec.mid_frame());
  v1::ServerMessage msg;
  REQUIRE(msg.ParseFromString(payload));
  // The reason the metrics count (awared_nacks_total) is the one on the wire.
  CHECK(std::get<ingest::Reply>(action).nack_reason == (msg.has_nack() ? msg.nack().reason() : 0));
  return msg;
}

}  // namespace

TEST_CASE("an activation before Hello is nacked NO_HELLO with its seq", "[ingest]") {
  DeviceProtocol proto;
  const auto msg = reply_of(proto.on_frame(activation_bytes(11), 100));
  REQUIRE(msg.has_nack());
  CHECK(msg.nack().reason() == v1::NACK_REASON_NO_HELLO);
  CHECK(msg.nack().seq() == 11);
  CHECK_FALSE(proto.hello().has_value());
}

TEST_CASE("heartbeat and position before Hello are nacked NO_HELLO", "[ingest]") {
  DeviceProtocol proto;
  const auto hb = reply_of(proto.on_frame(heartbeat_bytes(3), 100));
  REQUIRE(hb.has_nack());
  CHECK(hb.nack().reason() == v1::NACK_REASON_NO_HELLO);
  CHECK(hb.nack().seq() == 3);
  const auto pos = reply_of(proto.on_frame(position_bytes(4), 100));
  REQUIRE(pos.has_nack());
  CHECK(pos.nack().reason() == v1::NACK_REASON_NO_HELLO);
  CHECK(pos.nack().seq() == 4);
}

TEST_CASE("an unparseable payload closes the connection", "[ingest]") {
  DeviceProtocol proto;
  // Field 1 as a length-delimited value announcing 100 bytes that are not there.
  const std::string garbage("\x0a\x64\x01\x02", 4);
  const auto action = proto.on_frame(garbage, 100);
  REQUIRE(std::holds_alternative<ingest::CloseConnection>(action));
  CHECK_FALSE(std::get<ingest::CloseConnection>(action).reason.empty());
}

TEST_CASE("an empty DeviceMessage is nacked UNKNOWN_MESSAGE", "[ingest]") {
  DeviceProtocol proto;
  const auto msg = reply_of(proto.on_frame("", 100));
  REQUIRE(msg.has_nack());
  CHECK(msg.nack().reason() == v1::NACK_REASON_UNKNOWN_MESSAGE);
  CHECK(msg.nack().seq() == 0);
}

TEST_CASE("a DeviceMessage with only an unknown field is nacked UNKNOWN_MESSAGE", "[ingest]") {
  DeviceProtocol proto;
  const std::string unknown_field("\xa8\x06\x01", 3);  // field 101, varint 1
  const auto msg = reply_of(proto.on_frame(unknown_field, 100));
  REQUIRE(msg.has_nack());
  CHECK(msg.nack().reason() == v1::NACK_REASON_UNKNOWN_MESSAGE);
}

TEST_CASE("a Hello with a missing device id is nacked INVALID_FIELD naming the field",
          "[ingest]") {
  DeviceProtocol proto;
  const auto msg = reply_of(proto.on_frame(hello_bytes("", 1), 100));
  REQUIRE(msg.has_nack());
  CHECK(msg.nack().reason() == v1::NACK_REASON_INVALID_FIELD);
  CHECK(msg.nack().text().find("hello.device_id") != std::string::npos);
  CHECK_FALSE(proto.hello().has_value());
  // Still no identity: an activation is refused.
  const auto after = reply_of(proto.on_frame(activation_bytes(1), 100));
  REQUIRE(after.has_nack());
  CHECK(after.nack().reason() == v1::NACK_REASON_NO_HELLO);
}

TEST_CASE("a valid Hello then an activation yields StoreActivation with key and receive time",
          "[ingest]") {
  DeviceProtocol proto;
  const auto hello = proto.on_frame(hello_bytes("XM-DEMO-001", 4), 100);
  REQUIRE(std::holds_alternative<ingest::HelloAccepted>(hello));
  CHECK(std::get<ingest::HelloAccepted>(hello).hello.device_id == "XM-DEMO-001");
  CHECK(std::get<ingest::HelloAccepted>(hello).hello.boot_epoch == 4);
  REQUIRE(proto.hello().has_value());

  const auto action = proto.on_frame(activation_bytes(17), 123456);
  REQUIRE(std::holds_alternative<ingest::StoreActivation>(action));
  const auto& act = std::get<ingest::StoreActivation>(action).activation;
  CHECK(act.key == core::MessageKey{"XM-DEMO-001", 4, 17});
  CHECK(act.received_ms == 123456);
  CHECK(act.device_time_ms == 1000);
  CHECK(act.battery_pct == 55);
  CHECK(act.trigger == core::Trigger::alarm);
}

TEST_CASE("a heartbeat after Hello is handed on for supervision with its key and health",
          "[ingest]") {
  DeviceProtocol proto;
  REQUIRE(std::holds_alternative<ingest::HelloAccepted>(proto.on_frame(hello_bytes("XM-1", 1), 1)));
  const auto action = proto.on_frame(heartbeat_bytes(99), 5000);
  REQUIRE(std::holds_alternative<ingest::StoreHeartbeat>(action));
  const auto& hb = std::get<ingest::StoreHeartbeat>(action);
  CHECK(hb.key == core::MessageKey{"XM-1", 1, 99});
  CHECK(hb.report.battery_pct == 90);
}

TEST_CASE("a heartbeat's battery above 100 is clamped to 100", "[ingest]") {
  DeviceProtocol proto;
  REQUIRE(std::holds_alternative<ingest::HelloAccepted>(proto.on_frame(hello_bytes("XM-1", 1), 1)));
  v1::DeviceMessage m;
  m.mutable_heartbeat()->set_seq(7);
  m.mutable_heartbeat()->set_battery_pct(250);
  m.mutable_heartbeat()->set_signal_dbm(-95);
  m.mutable_heartbeat()->set_charging(true);
  const auto action = proto.on_frame(m.SerializeAsString(), 5000);
  REQUIRE(std::holds_alternative<ingest::StoreHeartbeat>(action));
  const auto& report = std::get<ingest::StoreHeartbeat>(action).report;
  CHECK(report.battery_pct == 100);
  CHECK(report.signal_dbm == -95);
  CHECK(report.charging);
}

TEST_CASE("a valid position after Hello is handed on for the track with its key and fix",
          "[ingest]") {
  DeviceProtocol proto;
  REQUIRE(std::holds_alternative<ingest::HelloAccepted>(proto.on_frame(hello_bytes("XM-1", 1), 1)));
  const auto action = proto.on_frame(position_bytes(21), 6000);
  REQUIRE(std::holds_alternative<ingest::StorePosition>(action));
  const auto& pos = std::get<ingest::StorePosition>(action);
  CHECK(pos.key == core::MessageKey{"XM-1", 1, 21});
  CHECK(pos.fix.lat == 52.0);
  CHECK(pos.fix.lon == 5.0);
  CHECK(pos.fix.received_ms == 6000);
}

TEST_CASE("a position with an invalid or missing fix is nacked INVALID_FIELD", "[ingest]") {
  DeviceProtocol proto;
  REQUIRE(std::holds_alternative<ingest::HelloAccepted>(proto.on_frame(hello_bytes("XM-1", 1), 1)));
  v1::DeviceMessage bad;
  bad.mutable_position()->set_seq(22);
  bad.mutable_position()->mutable_fix()->set_lat(95.0);
  const auto out_of_range = reply_of(proto.on_frame(bad.SerializeAsString(), 7000));
  REQUIRE(out_of_range.has_nack());
  CHECK(out_of_range.nack().seq() == 22);
  CHECK(out_of_range.nack().reason() == v1::NACK_REASON_INVALID_FIELD);
  CHECK(out_of_range.nack().text().find("position.fix") != std::string::npos);
  v1::DeviceMessage none;
  none.mutable_position()->set_seq(23);
  CHECK(reply_of(proto.on_frame(none.SerializeAsString(), 7000)).has_nack());
}

TEST_CASE("a second Hello replaces the identity", "[ingest]") {
  DeviceProtocol proto;
  REQUIRE(std::holds_alternative<ingest::HelloAccepted>(proto.on_frame(hello_bytes("XM-A", 1), 1)));
  REQUIRE(std::holds_alternative<ingest::HelloAccepted>(proto.on_frame(hello_bytes("XM-B", 2), 2)));
  REQUIRE(proto.hello().has_value());
  CHECK(proto.hello()->device_id == "XM-B");
  const auto action = proto.on_frame(activation_bytes(5), 3);
  REQUIRE(std::holds_alternative<ingest::StoreActivation>(action));
  CHECK(std::get<ingest::StoreActivation>(action).activation.key ==
        core::MessageKey{"XM-B", 2, 5});
}

TEST_CASE("an invalid second Hello keeps the earlier identity", "[ingest]") {
  DeviceProtocol proto;
  REQUIRE(std::holds_alternative<ingest::HelloAccepted>(proto.on_frame(hello_bytes("XM-A", 1), 1)));
  const auto msg = reply_of(proto.on_frame(hello_bytes("bad id!", 2), 2));
  REQUIRE(msg.has_nack());
  CHECK(msg.nack().reason() == v1::NACK_REASON_INVALID_FIELD);
  REQUIRE(proto.hello().has_value());
  CHECK(proto.hello()->device_id == "XM-A");
}

TEST_CASE("an activation with an invalid fix is still stored, flagged", "[ingest]") {
  DeviceProtocol proto;
  REQUIRE(std::holds_alternative<ingest::HelloAccepted>(proto.on_frame(hello_bytes("XM-1", 1), 1)));
  v1::DeviceMessage m;
  m.mutable_activation()->set_seq(2);
  m.mutable_activation()->mutable_fix()->set_lat(91.0);
  const auto action = proto.on_frame(m.SerializeAsString(), 10);
  REQUIRE(std::holds_alternative<ingest::StoreActivation>(action));
  const auto& act = std::get<ingest::StoreActivation>(action).activation;
  CHECK(act.fix_invalid);
  CHECK_FALSE(act.fix.has_value());
}

TEST_CASE("the certificate binding decision is exact and absent over plain TCP",
          "[ingest][tls]") {
  CHECK(ingest::hello_matches_certificate(std::nullopt, "XM-ANY"));
  CHECK(ingest::hello_matches_certificate(std::string("XM-1"), "XM-1"));
  CHECK_FALSE(ingest::hello_matches_certificate(std::string("XM-1"), "XM-2"));
  CHECK_FALSE(ingest::hello_matches_certificate(std::string("XM-1"), "xm-1"));
  CHECK_FALSE(ingest::hello_matches_certificate(std::string("XM-1"), "XM-1 "));
  CHECK_FALSE(ingest::hello_matches_certificate(std::string("XM-1"), ""));
}

TEST_CASE("a Hello as another device than the certificate names is an identity mismatch",
          "[ingest][tls]") {
  DeviceProtocol p;
  p.bind_certificate("XM-CERT");
  REQUIRE(p.certified_id() == std::optional<std::string>("XM-CERT"));
  const auto action = p.on_frame(hello_bytes("XM-OTHER", 1), 100);
  REQUIRE(std::holds_alternative<ingest::IdentityMismatch>(action));
  const auto& mismatch = std::get<ingest::IdentityMismatch>(action);
  CHECK(mismatch.hello_id == "XM-OTHER");
  CHECK(mismatch.certificate_id == "XM-CERT");
  CHECK_FALSE(p.hello());
}

TEST_CASE("a Hello as the certified device is accepted and a later other Hello is refused",
          "[ingest][tls]") {
  DeviceProtocol p;
  p.bind_certificate("XM-CERT");
  REQUIRE(
      std::holds_alternative<ingest::HelloAccepted>(p.on_frame(hello_bytes("XM-CERT", 1), 1)));
  CHECK(std::holds_alternative<ingest::StoreActivation>(p.on_frame(activation_bytes(1), 2)));
  CHECK(std::holds_alternative<ingest::IdentityMismatch>(p.on_frame(hello_bytes("XM-X", 2), 3)));
  REQUIRE(p.hello());
  CHECK(p.hello()->device_id == "XM-CERT");  // the identity stays the certified one
}

TEST_CASE("without a certificate any device id may say Hello", "[ingest][tls]") {
  DeviceProtocol p;
  CHECK_FALSE(p.certified_id());
  CHECK(std::holds_alternative<ingest::HelloAccepted>(p.on_frame(hello_bytes("XM-ANY", 1), 1)));
}
