// error.hpp — the error values of the SIA DC-09 core (aware_dc09). Every parse, check and
// decryption function here returns tl::expected<T, Error>; nothing in this library throws for bad
// input. to_string() gives a stable lower-case name for logs and tests.
#pragma once

#include <string_view>

namespace aware::dc09 {

enum class Error {
  too_short,          // fewer bytes than the smallest possible frame
  too_long,           // more bytes than a frame may have
  bad_crc_field,      // the first four bytes are not hex digits
  crc_mismatch,       // the CRC does not match the bytes
  bad_length_field,   // bytes 5-8 are not a length
  length_mismatch,    // the length field does not match the bytes
  bad_id_token,       // no quoted ID token, or an empty / overlong one
  bad_sequence,       // not exactly four decimal digits
  bad_receiver,       // R not followed by 1-6 hex digits
  bad_prefix,         // L not followed by 1-6 hex digits
  bad_account,        // # not followed by 3-16 hex digits
  bad_data,           // no [ after the header, or no ] closing the data
  bad_extended_data,  // an extended field is not [<tag><value>]
  bad_timestamp,      // not _HH:MM:SS,MM-DD-YYYY, or an impossible date or time
  trailing_bytes,     // bytes after the timestamp
  no_key,             // an encrypted message from an account without a key
  bad_key,            // a key that is not 16, 24 or 32 bytes (or not hex in hex mode)
  bad_ciphertext,     // not hex, or not a whole number of AES blocks
  bad_padding,        // the decrypted text holds no | after the pad
};

// A stable lower-case name, e.g. "crc_mismatch".
std::string_view to_string(Error e);

}  // namespace aware::dc09
