// test_receiver.cpp — the receiver acceptance cases of the DC-09 standard and issue 9, driven
// through Receiver::on_frame (and FrameSplitter for a TCP stream): bad CRC → silence; sequence
// 9995, 9996, 9995, 9997 → one of each delivered; the wrap 9998 → 9999 → 0001 → 0002; encrypted
// messages (ACK, NAK, no key); NULL heartbeats; many frames on one connection.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "dc09_support.hpp"
#include "dc09/receiver.hpp"
#include "dc09/splitter.hpp"

using namespace aware::dc09;
using dc09_test::body_of;
using dc09_test::CountingRandom;
using dc09_test::utc_ms;

namespace {

const auto kNow = utc_ms("2026-11-26", 12, 0, 0);

std::string panic(int seq, const std::string& account = "1234") {
  return body_of("\"SIA-DCS\"" + sequence_text(seq) + "R1L1#" + account + "[#" + account +
                 "|Nri1/PA501]");
}

struct Fixture {
  std::map<std::string, AccountConfig, std::less<>> accounts;
  Receiver receiver{[this](std::string_view a) -> const AccountConfig* {
                      const auto it = accounts.find(a);
                      return it == accounts.end() ? nullptr : &it->second;
                    },
                    AccountConfig{}, CountingRandom{}};
};

}  // namespace

TEST_CASE("A frame with a bad CRC gets no response at all", "[dc09][receiver]") {
  Fixture fx;
  std::string body = panic(1);
  body[0] = body[0] == '0' ? '1' : '0';
  const auto got = fx.receiver.on_frame(body, kNow);
  CHECK(got.decision.reply == Reply::none);
  CHECK(got.reply.empty());
  CHECK_FALSE(got.decision.deliver);
  CHECK(got.error == Error::crc_mismatch);
  SECTION("also when the corruption hits the header") {
    std::string broken = panic(1);
    broken[10] = '#';  // inside the ID token
    const auto g = fx.receiver.on_frame(broken, kNow);
    CHECK(g.reply.empty());
    CHECK(g.error == Error::crc_mismatch);
  }
  SECTION("garbage, empty and overlong bodies are silent too") {
    CHECK(fx.receiver.on_frame("", kNow).reply.empty());
    CHECK(fx.receiver.on_frame("\x01\x02\xFF", kNow).reply.empty());
    CHECK(fx.receiver.on_frame(std::string(kMaxBodyBytes + 10, '"'), kNow).reply.empty());
  }
}

TEST_CASE("Sequence 9995, 9996, 9995, 9997 delivers exactly one of each", "[dc09][receiver]") {
  Fixture fx;
  std::vector<int> delivered;
  int acked = 0;
  for (const int seq : {9995, 9996, 9995, 9997}) {
    const auto got = fx.receiver.on_frame(panic(seq), kNow + 1000);
    acked += got.decision.reply == Reply::ack ? 1 : 0;
    if (got.decision.deliver) {
      delivered.push_back(got.frame->sequence);
    }
  }
  CHECK(acked == 4);  // the retransmission is acked as well
  CHECK(delivered == std::vector<int>{9995, 9996, 9997});
}

TEST_CASE("Sequence numbers wrap 9998 → 9999 → 0001 → 0002", "[dc09][receiver]") {
  Fixture fx;
  std::vector<int> delivered;
  for (const int seq : {9998, 9999, 1, 2}) {
    const auto got = fx.receiver.on_frame(panic(seq), kNow);
    CHECK(got.decision.reply == Reply::ack);
    if (got.decision.deliver) {
      delivered.push_back(got.frame->sequence);
    }
  }
  CHECK(delivered == std::vector<int>{9998, 9999, 1, 2});
  SECTION("after the window a repeated number is a new message") {
    const auto later = fx.receiver.on_frame(panic(9998), kNow + 10 * 60 * 1000 + 1);
    CHECK(later.decision.deliver);
  }
  SECTION("within the window, other content under the same number is a new message") {
    const auto other =
        fx.receiver.on_frame(body_of("\"SIA-DCS\"9998R1L1#1234[#1234|Nri1/RP]"), kNow + 5000);
    CHECK(other.decision.deliver);
  }
  SECTION("the same number from another account is a new message") {
    CHECK(fx.receiver.on_frame(panic(9998, "5678"), kNow).decision.deliver);
  }
}

TEST_CASE("A delivery that could not be stored is delivered again on retry",
          "[dc09][receiver]") {
  Fixture fx;
  const auto first = fx.receiver.on_frame(panic(42), kNow);
  REQUIRE(first.decision.deliver);
  fx.receiver.delivery_failed(first);
  const auto retry = fx.receiver.on_frame(panic(42), kNow + 5000);
  CHECK(retry.decision.deliver);
  const auto again = fx.receiver.on_frame(panic(42), kNow + 9000);
  CHECK_FALSE(again.decision.deliver);
  CHECK(again.decision.reason == Reason::duplicate);
}

TEST_CASE("Encrypted messages: encrypted ACK, NAK outside the window, silence without a key",
          "[dc09][receiver]") {
  Fixture fx;
  fx.accounts["1234"].key = dc09_test::key_of(dc09_test::kKey128);
  const auto key = *fx.accounts["1234"].key;
  CountingRandom random;
  auto encrypted = [&](int seq, aware::core::TimeMs stamp) {
    return body_of("\"*SIA-DCS\"" + sequence_text(seq) + "L0#1234[" +
                   seal_to_hex(key, "#1234|Nri1/PA501][X4.895168][Y52.370216]_" +
                                        format_timestamp(stamp),
                               random));
  };
  SECTION("in the window: an encrypted ACK, delivered, position read") {
    const auto got = fx.receiver.on_frame(encrypted(5, kNow - 10'000), kNow);
    CHECK(got.decision.reply == Reply::ack);
    CHECK(got.decision.deliver);
    CHECK(got.meaning.is_alarm());
    CHECK(got.meaning.location.valid());
    const auto reply = parse_frame(got.reply.substr(1, got.reply.size() - 2)).value();
    CHECK(reply.encrypted);
    CHECK(open_encrypted(key, reply.body).value() == "]_" + format_timestamp(kNow));
  }
  SECTION("the retransmission with a new pad and timestamp is a duplicate") {
    CHECK(fx.receiver.on_frame(encrypted(5, kNow - 10'000), kNow).decision.deliver);
    const auto again = fx.receiver.on_frame(encrypted(5, kNow + 20'000), kNow + 30'000);
    CHECK(again.decision.reply == Reply::ack);
    CHECK(again.decision.reason == Reason::duplicate);
    CHECK_FALSE(again.decision.deliver);
  }
  SECTION("too old: a plain NAK with our time, not delivered") {
    const auto got = fx.receiver.on_frame(encrypted(6, kNow - 41'000), kNow);
    CHECK(got.decision.reply == Reply::nak);
    CHECK_FALSE(got.decision.deliver);
    CHECK(got.reply == encode_frame(nak_message(kNow)));
  }
  SECTION("an account without a key: silence, never DUH") {
    const auto body = body_of("\"*SIA-DCS\"0001L0#9999[" +
                              seal_to_hex(key, "#9999|Nri1/PA501]_" + format_timestamp(kNow),
                                          random));
    const auto got = fx.receiver.on_frame(body, kNow);
    CHECK(got.decision.reply == Reply::none);
    CHECK(got.decision.reason == Reason::undecryptable);
    CHECK(got.error == Error::no_key);
  }
  SECTION("cipher text that is not whole blocks: silence") {
    const auto got = fx.receiver.on_frame(body_of("\"*SIA-DCS\"0001L0#1234[ABCDEF"), kNow);
    CHECK(got.reply.empty());
    CHECK(got.error == Error::bad_ciphertext);
  }
  SECTION("an ASCII-mode key works the same way") {
    fx.accounts["4321"].key = make_key("0123456789abcdef", KeyFormat::ascii).value();
    const auto body = body_of(
        "\"*NULL\"0000L0#4321[" +
        seal_to_hex(*fx.accounts["4321"].key, "]_" + format_timestamp(kNow), random));
    const auto got = fx.receiver.on_frame(body, kNow);
    CHECK(got.decision.reply == Reply::ack);
    CHECK(got.meaning.category == Category::heartbeat);
  }
}

TEST_CASE("NULL link tests are heartbeats, delivered every time", "[dc09][receiver]") {
  Fixture fx;
  for (int i = 0; i < 3; ++i) {
    const auto got = fx.receiver.on_frame(body_of("\"NULL\"0000R0L0#1234[]"), kNow + i);
    CHECK(got.decision.reply == Reply::ack);
    CHECK(got.decision.deliver);
    CHECK(got.meaning.category == Category::heartbeat);
    CHECK(got.reply == encode_frame("\"ACK\"0000R0L0#1234[]"));
  }
}

TEST_CASE("Per-account quirks apply to the check and to the reply", "[dc09][receiver]") {
  Fixture fx;
  fx.accounts["0ABC"].quirks = Quirks{.crc_includes_cr = true};
  const std::string message = "\"SIA-DCS\"0001L0#0ABC[#0ABC|NRP]";
  const auto got = fx.receiver.on_frame(body_of(message, fx.accounts["0ABC"].quirks), kNow);
  CHECK(got.decision.reply == Reply::ack);
  CHECK(got.reply == encode_frame("\"ACK\"0001L0#0ABC[]", fx.accounts["0ABC"].quirks));
  // The same quirk from an account that does not have it: a CRC mismatch, silence.
  const auto other = fx.receiver.on_frame(
      body_of("\"SIA-DCS\"0001L0#0DEF[#0DEF|NRP]", Quirks{.crc_includes_cr = true}), kNow);
  CHECK(other.reply.empty());
}

TEST_CASE("Many frames on one connection, split and batched, each answered in order",
          "[dc09][receiver]") {
  Fixture fx;
  std::string stream;
  for (int seq = 1; seq <= 20; ++seq) {
    stream += encode_frame("\"ADM-CID\"" + sequence_text(seq) + "L0#1234[#1234|1602 00 000]");
  }
  FrameSplitter splitter;
  std::vector<int> acked;
  std::string body;
  // Chunks of 37 bytes: frames split across chunks and several in one.
  for (std::size_t at = 0; at < stream.size(); at += 37) {
    splitter.feed(std::string_view(stream).substr(at, 37));
    while (splitter.next(body) == FrameSplitter::Status::frame) {
      const auto got = fx.receiver.on_frame(body, kNow);
      if (got.decision.reply == Reply::ack) {
        acked.push_back(got.frame->sequence);
        CHECK(got.meaning.category == Category::test);
      }
    }
  }
  REQUIRE(acked.size() == 20);
  for (int i = 0; i < 20; ++i) {
    CHECK(acked[static_cast<std::size_t>(i)] == i + 1);
  }
}

TEST_CASE("A parsable panic is never DUHed: acked, delivered, raw text kept",
          "[dc09][receiver]") {
  Fixture fx;
  const std::string message = "\"SIA-DCS\"0003L0#1234[#1234|Nri1/PA501][X4.8][Ybroken";
  const auto got = fx.receiver.on_frame(body_of(message), kNow);
  CHECK(got.decision.reply == Reply::ack);
  CHECK(got.decision.deliver);
  CHECK(got.decision.reason == Reason::alarm_partly_read);
  CHECK(got.error == Error::bad_extended_data);
  REQUIRE(got.frame);
  CHECK(got.frame->raw.substr(8) == message);
  SECTION("whereas a test message in the same state is DUHed") {
    const auto test = fx.receiver.on_frame(
        body_of("\"SIA-DCS\"0004L0#1234[#1234 Nri1/RP][X4.8][Ybroken"), kNow);
    CHECK(test.decision.reply == Reply::duh);
    CHECK(test.reply == encode_frame("\"DUH\"0004L0#1234[]"));
  }
}

TEST_CASE("Windows-1252 text in extended data passes through the receiver",
          "[dc09][receiver]") {
  Fixture fx;
  const std::string text = "Stra\xDF" "e 5, \x80 \xE9\xE8 \xFF";
  const auto got = fx.receiver.on_frame(
      body_of("\"SIA-DCS\"0005L0#1234[#1234|Nri1/PA501][I" + text + "][Vcall-77]"), kNow);
  CHECK(got.decision.reply == Reply::ack);
  CHECK(got.meaning.text == text);
  CHECK(got.meaning.audio_ref == "call-77");
}
