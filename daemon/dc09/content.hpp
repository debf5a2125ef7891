// content.hpp — what follows the first '[' of a frame once it is in clear text: the data up to
// ']', the extended data fields [X..][Y..][V..][H..][I..]..., and the optional timestamp
// _HH:MM:SS,MM-DD-YYYY (UTC). For an encrypted frame this is the decrypted text after the pad
// and its '|' (crypto.hpp).
//
// All values are kept as the raw bytes received: nothing assumes UTF-8, so Windows-1252 text in
// extended data passes through unchanged. Pure functions; the time is never read here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/types.hpp"
#include "dc09/error.hpp"

namespace aware::dc09 {

// More extended fields than this in one message is an error (bad_extended_data).
inline constexpr std::size_t kMaxExtendedFields = 32;

struct ExtendedField {
  char tag = 0;       // the first byte inside the brackets: 'X', 'Y', 'V', 'H', 'I', ...
  std::string value;  // the bytes after the tag, raw
};

struct Content {
  std::string data;                     // inside the first [...], raw (may be empty)
  std::vector<ExtendedField> extended;  // in the order sent
  std::optional<core::TimeMs> timestamp;  // the message timestamp, if sent
  std::string timestamp_text;           // "HH:MM:SS,MM-DD-YYYY" as sent, empty if none
};

// Parses `text` = data ']' { '[' tag value ']' } [ '_' timestamp ]. Errors: bad_data (no ']'),
// bad_extended_data, bad_timestamp, trailing_bytes.
tl::expected<Content, Error> parse_content(std::string_view text);

// "HH:MM:SS,MM-DD-YYYY" → milliseconds since the epoch (UTC); nullopt when it is not exactly
// that form or names an impossible date or time.
std::optional<core::TimeMs> parse_timestamp(std::string_view text);

// Milliseconds since the epoch → "HH:MM:SS,MM-DD-YYYY" (UTC; the milliseconds are dropped).
std::string format_timestamp(core::TimeMs ms);

// The value of the first extended field with `tag`, if any.
const ExtendedField* find_extended(const Content& content, char tag);

}  // namespace aware::dc09
