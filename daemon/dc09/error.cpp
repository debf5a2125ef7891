// error.cpp — see error.hpp.
#include "dc09/error.hpp"

namespace aware::dc09 {

std::string_view to_string(Error e) {
  switch (e) {
    case Error::too_short: return "too_short";
    case Error::too_long: return "too_long";
    case Error::bad_crc_field: return "bad_crc_field";
    case Error::crc_mismatch: return "crc_mismatch";
    case Error::bad_length_field: return "bad_length_field";
    case Error::length_mismatch: return "length_mismatch";
    case Error::bad_id_token: return "bad_id_token";
    case Error::bad_sequence: return "bad_sequence";
    case Error::bad_receiver: return "bad_receiver";
    case Error::bad_prefix: return "bad_prefix";
    case Error::bad_account: return "bad_account";
    case Error::bad_data: return "bad_data";
    case Error::bad_extended_data: return "bad_extended_data";
    case Error::bad_timestamp: return "bad_timestamp";
    case Error::trailing_bytes: return "trailing_bytes";
    case Error::no_key: return "no_key";
    case Error::bad_key: return "bad_key";
    case Error::bad_ciphertext: return "bad_ciphertext";
    case Error::bad_padding: return "bad_padding";
  }
  return "unknown";
}

}  // namespace aware::dc09
