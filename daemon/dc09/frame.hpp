// frame.hpp — one SIA DC-09 frame: the CRC-16/ARC, the header parser and the encoder.
//
// A frame on the wire is  LF crc(4 hex) len(4) "ID" seq [Rrcvr] [Lpref] #acct [ ... CR.
// The splitter (splitter.hpp) hands over the bytes between LF and CR; parse_frame() reads the
// header from them and keeps the rest after the first [ untouched (`body`): for a plain message
// that is data, extended data and timestamp (content.hpp reads it), for an encrypted one the
// hex ciphertext (crypto.hpp opens it). check_integrity() then checks CRC and length under the
// account's quirks, which are only known once the header has named the account.
// Pure functions; no I/O, no clock. Errors are values (error.hpp); nothing throws on input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "dc09/error.hpp"

namespace aware::dc09 {

// Deviations from the standard that some transmitters make; set per account.
struct Quirks {
  bool crc_includes_cr = false;  // the CRC covers the closing CR as well
  bool decimal_length = false;   // the length field is written in decimal, not hex
  bool lenient_length = false;   // the length field's value is not checked (its form still is)
};

// The largest frame body (between LF and CR) we accept: 8 header bytes plus the largest length
// a four-hex-digit field can announce.
inline constexpr std::size_t kMaxBodyBytes = 8 + 0xFFFF;

// CRC-16/ARC (reflected polynomial 0xA001, initial value 0, no final xor) over `bytes`.
std::uint16_t crc16_arc(std::string_view bytes);

// The parsed header of one frame. All text fields are the bytes as received.
struct Frame {
  std::string raw;                      // the whole body between LF and CR
  std::uint16_t crc_field = 0;          // the CRC the sender wrote
  std::string length_field;             // the four length characters as sent
  std::string token;                    // the ID token without quotes and without '*'
  bool encrypted = false;               // the token was written "*<token>"
  int sequence = 0;                     // 0 .. 9999
  std::optional<std::string> receiver;  // hex digits after R, if present
  std::optional<std::string> prefix;    // hex digits after L, if present
  char account_marker = '#';            // '#', or 'A' in a NAK's "A0"
  std::string account;                  // hex digits after the marker
  std::string body;                     // everything after the first '[' (plain text or hex)
};

// Reads the header of `body` (the bytes between LF and CR). Does not check CRC or length: see
// check_integrity(). Errors: too_short, too_long, bad_crc_field, bad_length_field,
// bad_id_token, bad_sequence, bad_receiver, bad_prefix, bad_account, bad_data (no '[').
tl::expected<Frame, Error> parse_frame(std::string_view body);

// Checks the frame's CRC and length field under `quirks`. Errors: crc_mismatch,
// bad_length_field, length_mismatch.
tl::expected<void, Error> check_integrity(const Frame& frame, const Quirks& quirks);

// True when the first four bytes of `body` are a CRC matching the rest, computed either way
// (with or without the CR). Used to tell a corrupted frame (silence) from a malformed one.
bool crc_matches_any(std::string_view body);

// The complete frame for `message` (from the opening quote up to before CR): LF, CRC, length,
// message, CR. Under `quirks` the CRC covers the CR and the length is decimal, as the account's
// transmitter expects. Precondition: message.size() <= 0xFFFF.
std::string encode_frame(std::string_view message, const Quirks& quirks = {});

// "0042" — a sequence number as the frame writes it (0 .. 9999).
std::string sequence_text(int sequence);

}  // namespace aware::dc09
