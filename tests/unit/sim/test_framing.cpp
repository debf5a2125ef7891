// test_framing.cpp — unit tests for the simulator's framing (encode_frame / frame_decoder) and
// its message builders. encode_frame output is read back with protobuf's own delimited parser;
// ServerMessage frames are fed to frame_decoder whole, batched and byte by byte, plus the
// failure cases: over the cap, a varint of 10+ continuation bytes, a body protobuf cannot parse,
// and recovery by reset(). The builders are checked field by field.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>

#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>

#include "framing.hpp"
#include "messages.hpp"

namespace v1 = aware::v1;
using namespace aware::sim;

namespace {

std::string server_frame(const v1::ServerMessage& msg) {
  std::ostringstream os;
  REQUIRE(google::protobuf::util::SerializeDelimitedToOstream(msg, &os));
  return os.str();
}

v1::ServerMessage ack(std::uint64_t seq) {
  v1::ServerMessage m;
  m.mutable_ack()->set_seq(seq);
  m.mutable_ack()->set_server_time_ms(1700000000000);
  return m;
}

void feed(frame_decoder& dec, const std::string& bytes) { dec.feed(bytes.data(), bytes.size()); }

}  // namespace

TEST_CASE("encode_frame output parses back with protobuf's delimited reader", "[sim][framing]") {
  const auto hello = make_hello("XM-DEMO-001", 3);
  activation_params p;
  p.seq = 9;
  p.fix = fix_params{};
  const auto activation = make_activation(p);
  const std::string bytes = encode_frame(hello) + encode_frame(activation);

  std::istringstream is(bytes);
  google::protobuf::io::IstreamInputStream stream(&is);
  v1::DeviceMessage out;
  bool clean_eof = false;
  REQUIRE(google::protobuf::util::ParseDelimitedFromZeroCopyStream(&out, &stream, &clean_eof));
  CHECK(out.hello().device_id() == "XM-DEMO-001");
  REQUIRE(google::protobuf::util::ParseDelimitedFromZeroCopyStream(&out, &stream, &clean_eof));
  CHECK(out.activation().seq() == 9);
  CHECK_FALSE(google::protobuf::util::ParseDelimitedFromZeroCopyStream(&out, &stream, &clean_eof));
  CHECK(clean_eof);
}

TEST_CASE("encode_frame prefixes the body with its varint length", "[sim][framing]") {
  v1::DeviceMessage msg;
  msg.mutable_hello()->set_device_id(std::string(200, 'x'));
  const auto bytes = encode_frame(msg);
  const auto body = msg.SerializeAsString();
  REQUIRE(body.size() >= 128);
  REQUIRE(body.size() < 16384);
  CHECK(bytes.size() == body.size() + 2);
  CHECK(bytes.substr(2) == body);
  CHECK(static_cast<unsigned char>(bytes[0]) == ((body.size() & 0x7fU) | 0x80U));
  CHECK(static_cast<unsigned char>(bytes[1]) == (body.size() >> 7));
}

TEST_CASE("frame_decoder decodes whole, batched and byte-by-byte frames", "[sim][framing]") {
  frame_decoder dec;
  v1::ServerMessage out;
  CHECK(dec.next(out) == decode_status::need_more);

  feed(dec, server_frame(ack(1)) + server_frame(ack(2)));
  REQUIRE(dec.next(out) == decode_status::frame);
  CHECK(out.ack().seq() == 1);
  REQUIRE(dec.next(out) == decode_status::frame);
  CHECK(out.ack().seq() == 2);
  CHECK(dec.next(out) == decode_status::need_more);

  v1::ServerMessage nack;
  nack.mutable_nack()->set_seq(3);
  nack.mutable_nack()->set_reason(v1::NACK_REASON_BUSY);
  nack.mutable_nack()->set_text(std::string(300, 't'));
  const auto bytes = server_frame(nack);
  out.Clear();
  for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
    dec.feed(bytes.data() + i, 1);
    REQUIRE(dec.next(out) == decode_status::need_more);
  }
  CHECK_FALSE(out.has_nack());  // need_more leaves `out` untouched
  dec.feed(bytes.data() + bytes.size() - 1, 1);
  REQUIRE(dec.next(out) == decode_status::frame);
  CHECK(out.nack().seq() == 3);
  CHECK(out.nack().reason() == v1::NACK_REASON_BUSY);
  CHECK(out.nack().text().size() == 300);
}

TEST_CASE("frame_decoder decodes an empty ServerMessage frame", "[sim][framing]") {
  frame_decoder dec;
  feed(dec, std::string(1, '\0'));
  v1::ServerMessage out = ack(5);
  REQUIRE(dec.next(out) == decode_status::frame);
  CHECK(out.body_case() == v1::ServerMessage::BODY_NOT_SET);
}

TEST_CASE("frame_decoder accepts the cap and refuses cap+1 until reset", "[sim][framing]") {
  frame_decoder dec(10);
  v1::ServerMessage out;
  // A body of exactly 10 bytes: a Command whose interval_s needs a 5-byte varint.
  v1::ServerMessage cmd;
  cmd.mutable_command()->set_kind(v1::COMMAND_KIND_START_TRACKING);
  cmd.mutable_command()->set_interval_s(300000000);
  const auto body = cmd.SerializeAsString();
  REQUIRE(body.size() == 10);
  feed(dec, server_frame(cmd));
  REQUIRE(dec.next(out) == decode_status::frame);
  CHECK(out.command().interval_s() == 300000000);

  feed(dec, std::string(1, '\x0b'));  // announces 11 bytes
  CHECK(dec.next(out) == decode_status::too_large);
  feed(dec, server_frame(ack(1)));
  CHECK(dec.next(out) == decode_status::bad_frame);  // stays unusable
  dec.reset();
  v1::ServerMessage small;
  small.mutable_ack()->set_seq(4);
  feed(dec, server_frame(small));
  REQUIRE(dec.next(out) == decode_status::frame);
  CHECK(out.ack().seq() == 4);
}

TEST_CASE("frame_decoder waits on a short varint and refuses a 10-byte unterminated one",
          "[sim][framing]") {
  frame_decoder dec;
  v1::ServerMessage out;
  feed(dec, std::string(9, '\x80'));
  CHECK(dec.next(out) == decode_status::need_more);
  feed(dec, std::string(1, '\x80'));
  CHECK(dec.next(out) == decode_status::bad_frame);
}

TEST_CASE("frame_decoder refuses a body protobuf cannot parse", "[sim][framing]") {
  frame_decoder dec;
  v1::ServerMessage out;
  feed(dec, std::string("\x03\x0a\x64\x01", 4));  // field 1 claims 100 bytes, has 1
  CHECK(dec.next(out) == decode_status::bad_frame);
}

TEST_CASE("make_hello fills identity, firmware and protocol version", "[sim][messages]") {
  const auto m = make_hello("XM-7", 12);
  REQUIRE(m.has_hello());
  CHECK(m.hello().device_id() == "XM-7");
  CHECK(m.hello().boot_epoch() == 12);
  CHECK(m.hello().firmware() == firmware_version);
  CHECK(m.hello().protocol_version() == protocol_version);
}

TEST_CASE("make_activation copies the parameters and uses the device time as fix time",
          "[sim][messages]") {
  activation_params p;
  p.seq = 44;
  p.device_time_ms = 1700000000555;
  p.trigger = v1::TRIGGER_TEST;
  p.fix = fix_params{52.1, 5.2, 7.5F, v1::FIX_SOURCE_NETWORK};
  p.audio = audio_params{v1::AUDIO_KIND_SIP, "sip:a@b", "opus"};
  p.battery_pct = 12;
  const auto m = make_activation(p);
  REQUIRE(m.has_activation());
  const auto& a = m.activation();
  CHECK(a.seq() == 44);
  CHECK(a.device_time_ms() == 1700000000555);
  CHECK(a.trigger() == v1::TRIGGER_TEST);
  REQUIRE(a.has_fix());
  CHECK(a.fix().lat() == 52.1);
  CHECK(a.fix().lon() == 5.2);
  CHECK(a.fix().accuracy_m() == 7.5F);
  CHECK(a.fix().source() == v1::FIX_SOURCE_NETWORK);
  CHECK(a.fix().fix_time_ms() == 1700000000555);
  REQUIRE(a.has_audio());
  CHECK(a.audio().kind() == v1::AUDIO_KIND_SIP);
  CHECK(a.audio().address() == "sip:a@b");
  CHECK(a.audio().codec() == "opus");
  CHECK(a.battery_pct() == 12);
}

TEST_CASE("make_activation leaves fix and audio absent when not given", "[sim][messages]") {
  activation_params p;
  p.audio.kind = v1::AUDIO_KIND_NONE;
  const auto m = make_activation(p);
  CHECK_FALSE(m.activation().has_fix());
  CHECK_FALSE(m.activation().has_audio());
}

TEST_CASE("make_heartbeat copies the health values", "[sim][messages]") {
  const auto m = make_heartbeat(heartbeat_params{8, 33, true, false, -95});
  REQUIRE(m.has_heartbeat());
  CHECK(m.heartbeat().seq() == 8);
  CHECK(m.heartbeat().battery_pct() == 33);
  CHECK(m.heartbeat().charging());
  CHECK_FALSE(m.heartbeat().gps_available());
  CHECK(m.heartbeat().signal_dbm() == -95);
}

TEST_CASE("enum names match device.proto, unknown values are numbered", "[sim][messages]") {
  CHECK(nack_reason_name(v1::NACK_REASON_BUSY) == "NACK_REASON_BUSY");
  CHECK(nack_reason_name(static_cast<v1::NackReason>(77)) == "NACK_REASON_77");
  CHECK(command_kind_name(v1::COMMAND_KIND_CLEAR_AUDIO) == "COMMAND_KIND_CLEAR_AUDIO");
  CHECK(command_kind_name(static_cast<v1::CommandKind>(42)) == "COMMAND_KIND_42");
}
