// test_frame.cpp — CRC-16/ARC, the frame header parser (every field and its edge values), the
// integrity check with the per-account quirks, and the encoder.
#include <catch2/catch.hpp>

#include <cctype>
#include <string>

#include "dc09_support.hpp"
#include "dc09/frame.hpp"

using namespace aware::dc09;
using dc09_test::body_of;

TEST_CASE("CRC-16/ARC matches the catalogue check value and known frames", "[dc09][frame]") {
  CHECK(crc16_arc("123456789") == 0xBB3D);  // the CRC catalogue's check value for CRC-16/ARC
  CHECK(crc16_arc("") == 0x0000);
  CHECK(crc16_arc("\"SIA-DCS\"0001L0#1234[]") == 0x96ED);  // a public vector
}

TEST_CASE("parse_frame reads every header field", "[dc09][frame]") {
  const auto f = parse_frame(body_of("\"SIA-DCS\"0042R1AL2B#00AF12[#00AF12|Nri1/PA501]"));
  REQUIRE(f);
  CHECK(f->token == "SIA-DCS");
  CHECK_FALSE(f->encrypted);
  CHECK(f->sequence == 42);
  CHECK(f->receiver == "1A");
  CHECK(f->prefix == "2B");
  CHECK(f->account_marker == '#');
  CHECK(f->account == "00AF12");
  CHECK(f->body == "#00AF12|Nri1/PA501]");
  CHECK(check_integrity(*f, {}));
}

TEST_CASE("parse_frame: receiver and prefix are optional", "[dc09][frame]") {
  const auto f = parse_frame(body_of("\"NULL\"0000#123[]"));
  REQUIRE(f);
  CHECK_FALSE(f->receiver);
  CHECK_FALSE(f->prefix);
  CHECK(f->account == "123");
}

TEST_CASE("parse_frame: the encrypted form of each ID token", "[dc09][frame]") {
  for (const std::string token : {"SIA-DCS", "ADM-CID", "NULL"}) {
    const auto f = parse_frame(body_of("\"*" + token + "\"0001L0#1234[00112233"));
    REQUIRE(f);
    CHECK(f->token == token);
    CHECK(f->encrypted);
    CHECK(f->body == "00112233");
  }
}

TEST_CASE("parse_frame: receiver, prefix and account edge values", "[dc09][frame]") {
  SECTION("R0, L0 and a three-digit account") {
    const auto f = parse_frame(body_of("\"SIA-DCS\"0001R0L0#000[]"));
    REQUIRE(f);
    CHECK(f->receiver == "0");
    CHECK(f->prefix == "0");
    CHECK(f->account == "000");
  }
  SECTION("RFFFFFF, LFFFFFF and a sixteen-digit account") {
    const auto f = parse_frame(body_of("\"SIA-DCS\"9999RFFFFFFLFFFFFF#FFFFFFFFFFFFFFFF[]"));
    REQUIRE(f);
    CHECK(f->sequence == 9999);
    CHECK(f->receiver == "FFFFFF");
    CHECK(f->prefix == "FFFFFF");
    CHECK(f->account == "FFFFFFFFFFFFFFFF");
  }
  SECTION("one digit too many or too few is refused") {
    CHECK(parse_frame(body_of("\"SIA-DCS\"0001R1234567L0#1234[]")).error() ==
          Error::bad_receiver);
    CHECK(parse_frame(body_of("\"SIA-DCS\"0001R0L1234567#1234[]")).error() == Error::bad_prefix);
    CHECK(parse_frame(body_of("\"SIA-DCS\"0001L0#FFFFFFFFFFFFFFFF0[]")).error() ==
          Error::bad_account);
    CHECK(parse_frame(body_of("\"SIA-DCS\"0001L0#12[]")).error() == Error::bad_account);
    CHECK(parse_frame(body_of("\"SIA-DCS\"0001RL0#1234[]")).error() == Error::bad_receiver);
  }
}

TEST_CASE("parse_frame names the field that is wrong", "[dc09][frame]") {
  CHECK(parse_frame("").error() == Error::too_short);
  CHECK(parse_frame("XYZ10016\"SIA-DCS\"0001L0#1234[]").error() == Error::bad_crc_field);
  CHECK(parse_frame("96ED00G6\"SIA-DCS\"0001L0#1234[]").error() == Error::bad_length_field);
  CHECK(parse_frame(body_of("SIA-DCS\"0001L0#1234[]")).error() == Error::bad_id_token);
  CHECK(parse_frame(body_of("\"\"0001L0#1234[]..........")).error() == Error::bad_id_token);
  CHECK(parse_frame(body_of("\"SIA-DCS0001L0#1234[]")).error() == Error::bad_id_token);
  CHECK(parse_frame(body_of("\"SIA-DCS\"001L0#1234[]")).error() == Error::bad_sequence);
  CHECK(parse_frame(body_of("\"SIA-DCS\"00x1L0#1234[]")).error() == Error::bad_sequence);
  CHECK(parse_frame(body_of("\"SIA-DCS\"0001L0[1234][]")).error() == Error::bad_account);
  CHECK(parse_frame(body_of("\"SIA-DCS\"0001L0#1234]")).error() == Error::bad_data);
  CHECK(parse_frame(std::string(kMaxBodyBytes + 1, '0')).error() == Error::too_long);
}

TEST_CASE("check_integrity: CRC and length, strictly by default", "[dc09][frame]") {
  std::string body = body_of("\"SIA-DCS\"0001L0#1234[#1234|NRP]");
  SECTION("intact") { CHECK(check_integrity(parse_frame(body).value(), {})); }
  SECTION("one flipped payload byte is a CRC mismatch") {
    body[body.size() - 3] = 'X';
    CHECK(check_integrity(parse_frame(body).value(), {}).error() == Error::crc_mismatch);
  }
  SECTION("a wrong length is a length mismatch") {
    body[7] = static_cast<char>(body[7] == '0' ? '1' : '0');
    CHECK(check_integrity(parse_frame(body).value(), {}).error() == Error::length_mismatch);
  }
  SECTION("lower-case hex is accepted in both fields") {
    for (std::size_t i = 0; i < 8; ++i) {
      body[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(body[i])));
    }
    CHECK(check_integrity(parse_frame(body).value(), {}));
  }
}

TEST_CASE("check_integrity: the vendor quirks, each only when set", "[dc09][frame]") {
  const std::string message = "\"SIA-DCS\"0007L0#1234[#1234|NRP0000]";  // 35 bytes: 0x23
  SECTION("CRC including the CR") {
    const Quirks quirk{.crc_includes_cr = true};
    const auto f = parse_frame(body_of(message, quirk)).value();
    CHECK(check_integrity(f, quirk));
    CHECK(check_integrity(f, {}).error() == Error::crc_mismatch);
    CHECK(crc_matches_any(f.raw));
  }
  SECTION("length written in decimal") {
    const Quirks quirk{.decimal_length = true};
    const auto body = body_of(message, quirk);
    CHECK(body.substr(4, 4) == "0035");
    const auto f = parse_frame(body).value();
    CHECK(check_integrity(f, quirk));
    CHECK(check_integrity(f, {}).error() == Error::length_mismatch);
  }
  SECTION("lenient length ignores the value but not the CRC") {
    std::string body = body_of(message);
    body.replace(4, 4, "0FFF");
    const auto f = parse_frame(body).value();
    CHECK(check_integrity(f, {}).error() == Error::length_mismatch);
    CHECK(check_integrity(f, Quirks{.lenient_length = true}));
    body[body.size() - 2] = '1';
    CHECK(check_integrity(parse_frame(body).value(), Quirks{.lenient_length = true}).error() ==
          Error::crc_mismatch);
  }
}

TEST_CASE("encode_frame wraps a message in LF, CRC, hex length and CR", "[dc09][frame]") {
  CHECK(encode_frame("\"SIA-DCS\"0001L0#1234[]") == "\n96ED0016\"SIA-DCS\"0001L0#1234[]\r");
  CHECK(sequence_text(7) == "0007");
  CHECK(sequence_text(9999) == "9999");
}

TEST_CASE("Windows-1252 bytes pass the frame layer untouched", "[dc09][frame]") {
  const std::string message = "\"SIA-DCS\"0001L0#1234[#1234|NPA1][I\xE9\xE8\x80\xFF]";
  const auto f = parse_frame(body_of(message));
  REQUIRE(f);
  CHECK(check_integrity(*f, {}));
  CHECK(f->body == "#1234|NPA1][I\xE9\xE8\x80\xFF]");
}

TEST_CASE("parse_frame reads the NAK form R0L0A0", "[dc09][frame]") {
  const auto f = parse_frame(body_of("\"NAK\"0000R0L0A0[]_16:20:01,09-24-2025"));
  REQUIRE(f);
  CHECK(f->receiver == "0");
  CHECK(f->prefix == "0");
  CHECK(f->account_marker == 'A');
  CHECK(f->account == "0");
  // A prefix that really ends in A before a '#' account keeps its A.
  const auto g = parse_frame(body_of("\"SIA-DCS\"0001L1A#1234[]"));
  REQUIRE(g);
  CHECK(g->prefix == "1A");
}
