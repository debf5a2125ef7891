// test_crypto.cpp — keys (hex and ASCII, 128/192/256 bits), decryption against the public
// vectors' key, round trips with a deterministic pad, the pad's form, and refusal of bad input.
#include <catch2/catch.hpp>

#include <string>

#include "dc09_support.hpp"
#include "dc09/crypto.hpp"

using namespace aware::dc09;
using dc09_test::CountingRandom;

TEST_CASE("make_key accepts 16, 24 and 32 byte keys in hex and ASCII", "[dc09][crypto]") {
  CHECK(make_key(std::string(32, 'a'), KeyFormat::hex)->bytes.size() == 16);
  CHECK(make_key(std::string(48, 'F'), KeyFormat::hex)->bytes.size() == 24);
  CHECK(make_key(std::string(64, '0'), KeyFormat::hex)->bytes.size() == 32);
  CHECK(make_key("0123456789abcdef", KeyFormat::ascii)->bytes.size() == 16);
  CHECK(make_key("0123456789abcdef01234567", KeyFormat::ascii)->bytes.size() == 24);
  CHECK(make_key("0123456789abcdef0123456789abcdef", KeyFormat::ascii)->bytes.size() == 32);
  const auto ascii = make_key("ABCDEFGHIJKLMNOP", KeyFormat::ascii).value();
  CHECK(ascii.bytes.front() == 'A');
}

TEST_CASE("make_key refuses other lengths and non-hex digits", "[dc09][crypto]") {
  CHECK(make_key(std::string(30, 'a'), KeyFormat::hex).error() == Error::bad_key);
  CHECK(make_key(std::string(33, 'a'), KeyFormat::hex).error() == Error::bad_key);
  CHECK(make_key(std::string(31, 'a') + "g", KeyFormat::hex).error() == Error::bad_key);
  CHECK(make_key("", KeyFormat::hex).error() == Error::bad_key);
  CHECK(make_key("short", KeyFormat::ascii).error() == Error::bad_key);
  // A 32-character ASCII key is AES-256 in ASCII mode, not a hex AES-128 key.
  CHECK(make_key(dc09_test::kKey128, KeyFormat::ascii)->bytes.size() == 32);
}

TEST_CASE("seal_to_hex and open_encrypted round-trip at every key size", "[dc09][crypto]") {
  const std::string content = "#1234|Nri1/PA501][X4.895168][Y52.370216]_12:00:00,11-26-2026";
  for (const std::size_t hex_digits : {32U, 48U, 64U}) {
    const auto key = make_key(std::string(hex_digits, '7'), KeyFormat::hex).value();
    CountingRandom random;
    const auto sealed = seal_to_hex(key, content, random);
    CHECK(sealed.size() % 32 == 0);
    CHECK(open_encrypted(key, sealed).value() == content);
  }
}

TEST_CASE("The pad fills whole blocks and never holds | [ or ]", "[dc09][crypto]") {
  const auto key = dc09_test::key_of(dc09_test::kKey128);
  for (std::size_t size = 0; size <= 40; ++size) {
    INFO("content size " << size);
    const std::string content(size, 'c');
    CountingRandom random{static_cast<std::uint8_t>(size * 7)};
    const auto clear = decrypt_hex(key, seal_to_hex(key, content, random)).value();
    CHECK(clear.size() % 16 == 0);
    const auto bar = clear.find('|');
    REQUIRE(bar != std::string::npos);
    CHECK(bar >= 1);
    CHECK(bar <= 16);
    CHECK(clear.substr(bar + 1) == content);
    CHECK(clear.substr(0, bar).find_first_of("[]|") == std::string::npos);
  }
}

TEST_CASE("The random source changes the cipher text, not the content", "[dc09][crypto]") {
  const auto key = dc09_test::key_of(dc09_test::kKey128);
  CountingRandom a{0};
  CountingRandom b{100};
  const auto one = seal_to_hex(key, "]_12:00:00,11-26-2026", a);
  const auto two = seal_to_hex(key, "]_12:00:00,11-26-2026", b);
  CHECK(one != two);
  CHECK(open_encrypted(key, one).value() == open_encrypted(key, two).value());
}

TEST_CASE("decrypt refuses cipher text that is not whole hex blocks", "[dc09][crypto]") {
  const auto key = dc09_test::key_of(dc09_test::kKey128);
  CHECK(decrypt_hex(key, "").error() == Error::bad_ciphertext);
  CHECK(decrypt_hex(key, std::string(30, '0')).error() == Error::bad_ciphertext);
  CHECK(decrypt_hex(key, std::string(31, '0') + "Z").error() == Error::bad_ciphertext);
  CHECK(decrypt_hex(key, std::string(33, '0')).error() == Error::bad_ciphertext);
  CHECK(decrypt_hex(Key{}, std::string(32, '0')).error() == Error::bad_key);
}

TEST_CASE("A wrong key gives bad_padding or garbage, never a crash", "[dc09][crypto]") {
  const auto right = dc09_test::key_of(dc09_test::kKey128);
  const auto wrong = dc09_test::key_of(std::string(32, '1'));
  CountingRandom random;
  const auto sealed = seal_to_hex(right, "]_12:00:00,11-26-2026", random);
  const auto opened = open_encrypted(wrong, sealed);
  if (opened) {
    CHECK(*opened != "]_12:00:00,11-26-2026");
  } else {
    CHECK(opened.error() == Error::bad_padding);
  }
}
