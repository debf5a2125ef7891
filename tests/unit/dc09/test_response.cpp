// test_response.cpp — the reply builders (echo of seq/R/L/#, [], timestamps, encryption, quirks)
// and decide()'s table: ACK, NAK for the timestamp window, DUH only for non-alarms.
#include <catch2/catch.hpp>

#include <string>

#include "dc09_support.hpp"
#include "dc09/response.hpp"

using namespace aware::dc09;
using dc09_test::body_of;
using dc09_test::CountingRandom;
using dc09_test::utc_ms;

namespace {

Frame frame_of(const std::string& message) { return parse_frame(body_of(message)).value(); }

// decide() for a plain or already-decrypted message.
Decision decide_for(const Frame& frame, const std::string& clear, const AccountConfig& account,
                    aware::core::TimeMs now) {
  const tl::expected<Content, Error> content = parse_content(clear);
  const Interpretation meaning =
      interpret(frame.token, content ? *content : Content{clear.substr(0, clear.find(']')), {},
                                                          {}, {}});
  return decide(Inbound{frame, content, meaning}, account, now);
}

}  // namespace

TEST_CASE("ACK and DUH echo sequence, receiver, prefix and account with []",
          "[dc09][response]") {
  const auto f = frame_of("\"SIA-DCS\"0042RFFFFFFL0#FFFFFFFFFFFFFFFF[#FFFFFFFFFFFFFFFF|NRP]");
  CHECK(ack_message(f) == "\"ACK\"0042RFFFFFFL0#FFFFFFFFFFFFFFFF[]");
  CHECK(duh_message(f) == "\"DUH\"0042RFFFFFFL0#FFFFFFFFFFFFFFFF[]");
  const auto bare = frame_of("\"NULL\"0000#123[]");
  CHECK(ack_message(bare) == "\"ACK\"0000#123[]");
}

TEST_CASE("NAK is plain and carries the receiver's UTC time", "[dc09][response]") {
  const auto now = utc_ms("2026-11-26", 5, 2, 1) + 999;
  CHECK(nak_message(now) == "\"NAK\"0000R0L0A0[]_05:02:01,11-26-2026");
  AccountConfig account;
  account.key = dc09_test::key_of(dc09_test::kKey128);
  const auto f = frame_of("\"*SIA-DCS\"0001L0#1234[00");
  const auto bytes = build_reply(Reply::nak, f, account, now, CountingRandom{});
  CHECK(bytes == encode_frame("\"NAK\"0000R0L0A0[]_05:02:01,11-26-2026"));
}

TEST_CASE("An encrypted message gets an encrypted ACK with the receiver's time",
          "[dc09][response]") {
  AccountConfig account;
  account.key = dc09_test::key_of(dc09_test::kKey128);
  const auto now = utc_ms("2026-11-26", 12, 30, 45);
  const auto f = frame_of("\"*SIA-DCS\"0007R12L34#5678[00");
  const auto bytes = build_reply(Reply::ack, f, account, now, CountingRandom{});
  const auto reply = parse_frame(bytes.substr(1, bytes.size() - 2)).value();
  CHECK(check_integrity(reply, {}));
  CHECK(reply.token == "ACK");
  CHECK(reply.encrypted);
  CHECK(reply.raw.substr(8, reply.raw.find('[') - 8) == "\"*ACK\"0007R12L34#5678");
  CHECK(open_encrypted(*account.key, reply.body).value() == "]_12:30:45,11-26-2026");
}

TEST_CASE("Replies follow the account's framing quirks", "[dc09][response]") {
  AccountConfig account;
  account.quirks = Quirks{.crc_includes_cr = true, .decimal_length = true};
  const auto f = frame_of("\"SIA-DCS\"0001L0#1234[#1234|NRP]");
  const auto bytes = build_reply(Reply::ack, f, account, 0, CountingRandom{});
  const auto reply = parse_frame(bytes.substr(1, bytes.size() - 2)).value();
  CHECK(check_integrity(reply, account.quirks));
  CHECK(reply.length_field == "0018");  // "ACK"0001L0#1234[] is 18 bytes, written in decimal
  CHECK(build_reply(Reply::none, f, account, 0, CountingRandom{}).empty());
}

TEST_CASE("decide: the timestamp window of encrypted messages", "[dc09][response]") {
  AccountConfig account;
  account.key = dc09_test::key_of(dc09_test::kKey128);
  const auto now = utc_ms("2026-11-26", 12, 0, 0);
  const auto f = frame_of("\"*SIA-DCS\"0001L0#1234[00");
  auto at = [&](int offset_s) {
    const auto stamp = format_timestamp(now + offset_s * 1000LL);
    return decide_for(f, "#1234|Nri1/PA501]_" + stamp, account, now);
  };
  CHECK(at(0).reply == Reply::ack);
  CHECK(at(-40).reply == Reply::ack);
  CHECK(at(-41).reply == Reply::nak);
  CHECK(at(-41).reason == Reason::timestamp_window);
  CHECK_FALSE(at(-41).deliver);
  CHECK(at(20).reply == Reply::ack);
  CHECK(at(21).reply == Reply::nak);
  SECTION("the window is per account") {
    account.window_past_s = 120;
    account.window_future_s = 0;
    CHECK(at(-100).reply == Reply::ack);
    CHECK(at(1).reply == Reply::nak);
  }
  SECTION("a missing or unreadable timestamp is NAKed too") {
    CHECK(decide_for(f, "#1234|Nri1/PA501]", account, now).reason ==
          Reason::timestamp_missing);
    CHECK(decide_for(f, "#1234|Nri1/PA501]_25:00:00,11-26-2026", account, now).reply ==
          Reply::nak);
  }
  SECTION("a plain message is not held to the window") {
    const auto plain = frame_of("\"SIA-DCS\"0001L0#1234[#1234|NRP]");
    CHECK(decide_for(plain, "#1234|NRP]_00:00:00,01-01-2000", account, now).reply ==
          Reply::ack);
  }
}

TEST_CASE("decide: DUH only for a non-alarm that cannot be processed", "[dc09][response]") {
  const AccountConfig account;
  const auto sia = frame_of("\"SIA-DCS\"0001L0#1234[x]");
  SECTION("unreadable data without an alarm") {
    const auto d = decide_for(sia, "#1234 no bar]", account, 0);
    CHECK(d.reply == Reply::duh);
    CHECK(d.reason == Reason::unprocessable);
    CHECK_FALSE(d.deliver);
  }
  SECTION("an unknown ID token") {
    CHECK(decide_for(frame_of("\"FOO\"0001L0#1234[]"), "]", account, 0).reply == Reply::duh);
  }
  SECTION("a panic whose extended data is broken is acked and delivered") {
    const auto d = decide_for(sia, "#1234|Nri1/PA501][X4.89", account, 0);
    CHECK(d.reply == Reply::ack);
    CHECK(d.deliver);
    CHECK(d.reason == Reason::alarm_partly_read);
  }
  SECTION("a panic after an unreadable block is acked and delivered") {
    const auto d = decide_for(sia, "#1234|?garbage/PA1]", account, 0);
    CHECK(d.reply == Reply::ack);
    CHECK(d.deliver);
  }
  SECTION("a Contact ID panic with a broken timestamp is acked and delivered") {
    const auto cid = frame_of("\"ADM-CID\"0001L0#1234[x]");
    const auto d = decide_for(cid, "#1234|1120 01 015]_99:99:99,99-99-9999", account, 0);
    CHECK(d.reply == Reply::ack);
    CHECK(d.deliver);
  }
  SECTION("a readable test or unknown code is acked") {
    CHECK(decide_for(sia, "#1234|NRP]", account, 0).reply == Reply::ack);
    CHECK(decide_for(sia, "#1234|NZZ]", account, 0).reply == Reply::ack);
  }
}
