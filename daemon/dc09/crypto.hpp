// crypto.hpp — the encrypted part of a DC-09 frame: AES-128/192/256-CBC with a zero IV and no
// block padding; the clear text begins with random pad bytes and a '|', which fill it out to a
// whole number of 16-byte blocks. On the wire the cipher text is written as hex.
//
// Keys are configured per account, as hex (32/48/64 digits) or as ASCII (16/24/32 characters:
// some transmitters take the key's characters as its bytes). The random source for the pad is
// injected, so tests are deterministic. Uses OpenSSL's EVP; no other I/O. Errors are values.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "dc09/error.hpp"

namespace aware::dc09 {

enum class KeyFormat {
  hex,    // the configured text is hex digits, two per key byte
  ascii,  // the configured text's bytes are the key
};

struct Key {
  std::vector<std::uint8_t> bytes;  // 16, 24 or 32 bytes: AES-128, -192 or -256
};

// Fills the span with random bytes. The daemon passes a CSPRNG, tests a fixed sequence.
using RandomBytes = std::function<void(std::span<std::uint8_t>)>;

// Makes a key from configured text. Errors: bad_key (wrong length, or not hex in hex mode).
tl::expected<Key, Error> make_key(std::string_view text, KeyFormat format);

// Decrypts the hex cipher text and returns the whole clear text, pad included. Errors:
// bad_ciphertext (not hex, empty, or not whole blocks), bad_key.
tl::expected<std::string, Error> decrypt_hex(const Key& key, std::string_view hex);

// Decrypts and drops the pad: returns what follows the first '|'. Errors: those of
// decrypt_hex(), and bad_padding when there is no '|'.
tl::expected<std::string, Error> open_encrypted(const Key& key, std::string_view hex);

// Prefixes `content` with 1..16 random pad bytes (letters and digits, never '|', '[' or ']')
// and a '|' so that the whole is a multiple of 16 bytes, encrypts it and returns upper-case hex.
// Precondition: key.bytes has 16, 24 or 32 bytes (make_key guarantees it).
std::string seal_to_hex(const Key& key, std::string_view content, const RandomBytes& random);

}  // namespace aware::dc09
