// frame.cpp — see frame.hpp.
#include "dc09/frame.hpp"

#include <cstdio>

#include "core/digits.hpp"

namespace aware::dc09 {
namespace {

constexpr std::size_t kCrcChars = 4;
constexpr std::size_t kLengthChars = 4;
constexpr std::size_t kHeaderChars = kCrcChars + kLengthChars;
constexpr std::size_t kMaxTokenChars = 16;

bool is_hex(char c) { return core::hex_digit(c) >= 0; }

// Parses exactly `text.size()` digits in `base` (10 or 16); nullopt if any is not one.
std::optional<std::uint32_t> parse_digits(std::string_view text, int base) {
  std::uint32_t value = 0;
  for (const char c : text) {
    const bool ok = base == 16 ? is_hex(c) : (c >= '0' && c <= '9');
    if (!ok) {
      return std::nullopt;
    }
    const auto digit = static_cast<std::uint32_t>(core::hex_digit(c));
    value = value * static_cast<std::uint32_t>(base) + digit;
  }
  return value;
}

// Reads a marker character followed by `min`..`max` hex digits at `pos`; advances `pos`.
std::optional<std::string> hex_field(std::string_view s, std::size_t& pos, std::size_t min,
                                     std::size_t max) {
  std::size_t end = pos + 1;
  while (end < s.size() && is_hex(s[end]) && end - pos - 1 < max + 1) {
    ++end;
  }
  const std::size_t digits = end - pos - 1;
  if (digits < min || digits > max) {
    return std::nullopt;
  }
  std::string out(s.substr(pos + 1, digits));
  pos = end;
  return out;
}

// CRC-16/ARC continued from `crc` over `bytes`.
std::uint16_t crc_update(std::uint16_t crc, std::string_view bytes) {
  for (const char c : bytes) {
    crc = static_cast<std::uint16_t>(crc ^ static_cast<std::uint8_t>(c));
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1U) != 0 ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001U)
                            : static_cast<std::uint16_t>(crc >> 1);
    }
  }
  return crc;
}

// The CRC of `message` as the account's transmitter computes it (with the CR, or without).
std::uint16_t frame_crc(std::string_view message, bool includes_cr) {
  const std::uint16_t crc = crc_update(0, message);
  return includes_cr ? crc_update(crc, "\r") : crc;
}

}  // namespace

std::uint16_t crc16_arc(std::string_view bytes) { return crc_update(0, bytes); }

tl::expected<Frame, Error> parse_frame(std::string_view body) {
  if (body.size() > kMaxBodyBytes) {
    return tl::unexpected(Error::too_long);
  }
  // CRC, length, two quotes, a token character, four sequence digits, '#', three digits, '['.
  if (body.size() < kHeaderChars + 12) {
    return tl::unexpected(Error::too_short);
  }
  Frame f;
  const auto crc = parse_digits(body.substr(0, kCrcChars), 16);
  if (!crc) {
    return tl::unexpected(Error::bad_crc_field);
  }
  f.crc_field = static_cast<std::uint16_t>(*crc);
  f.length_field = std::string(body.substr(kCrcChars, kLengthChars));
  for (const char c : f.length_field) {
    if (!is_hex(c)) {
      return tl::unexpected(Error::bad_length_field);
    }
  }
  std::size_t pos = kHeaderChars;
  if (body[pos] != '"') {
    return tl::unexpected(Error::bad_id_token);
  }
  const auto close = body.find('"', pos + 1);
  if (close == std::string_view::npos || close - pos - 1 > kMaxTokenChars + 1) {
    return tl::unexpected(Error::bad_id_token);
  }
  std::string_view token = body.substr(pos + 1, close - pos - 1);
  if (!token.empty() && token.front() == '*') {
    f.encrypted = true;
    token.remove_prefix(1);
  }
  if (token.empty()) {
    return tl::unexpected(Error::bad_id_token);
  }
  f.token = std::string(token);
  pos = close + 1;
  const auto seq = pos + 4 <= body.size() ? parse_digits(body.substr(pos, 4), 10) : std::nullopt;
  if (!seq) {
    return tl::unexpected(Error::bad_sequence);
  }
  f.sequence = static_cast<int>(*seq);
  pos += 4;
  if (pos < body.size() && body[pos] == 'R') {
    f.receiver = hex_field(body, pos, 1, 6);
    if (!f.receiver) {
      return tl::unexpected(Error::bad_receiver);
    }
  }
  if (pos < body.size() && body[pos] == 'L') {
    f.prefix = hex_field(body, pos, 1, 6);
    if (!f.prefix) {
      return tl::unexpected(Error::bad_prefix);
    }
  }
  // The NAK form "L0A0[": 'A' is a hex digit too, so the prefix swallowed the account.
  if (f.prefix && pos < body.size() && body[pos] == '[') {
    const auto a = f.prefix->rfind('A');
    if (a != std::string::npos && a > 0 && a + 1 < f.prefix->size()) {
      pos -= f.prefix->size() - a;
      f.prefix->resize(a);
    }
  }
  if (pos >= body.size() || (body[pos] != '#' && body[pos] != 'A')) {
    return tl::unexpected(Error::bad_account);
  }
  f.account_marker = body[pos];
  // The NAK form writes "A0": one digit. A real account has 3 to 16.
  const std::size_t min_digits = f.account_marker == 'A' ? 1 : 3;
  auto account = hex_field(body, pos, min_digits, 16);
  if (!account) {
    return tl::unexpected(Error::bad_account);
  }
  f.account = std::move(*account);
  if (pos >= body.size() || body[pos] != '[') {
    return tl::unexpected(Error::bad_data);
  }
  f.body = std::string(body.substr(pos + 1));
  f.raw = std::string(body);
  return f;
}

tl::expected<void, Error> check_integrity(const Frame& frame, const Quirks& quirks) {
  const std::string_view message = std::string_view(frame.raw).substr(kHeaderChars);
  if (frame_crc(message, quirks.crc_includes_cr) != frame.crc_field) {
    return tl::unexpected(Error::crc_mismatch);
  }
  const auto length = parse_digits(frame.length_field, quirks.decimal_length ? 10 : 16);
  if (!length) {
    return tl::unexpected(Error::bad_length_field);
  }
  if (!quirks.lenient_length && *length != message.size()) {
    return tl::unexpected(Error::length_mismatch);
  }
  return {};
}

bool crc_matches_any(std::string_view body) {
  if (body.size() < kHeaderChars || body.size() > kMaxBodyBytes) {
    return false;
  }
  const auto crc = parse_digits(body.substr(0, kCrcChars), 16);
  if (!crc) {
    return false;
  }
  const std::string_view message = body.substr(kHeaderChars);
  return frame_crc(message, false) == *crc || frame_crc(message, true) == *crc;
}

std::string encode_frame(std::string_view message, const Quirks& quirks) {
  const std::uint16_t crc = frame_crc(message, quirks.crc_includes_cr);
  char head[16];
  if (quirks.decimal_length) {
    std::snprintf(head, sizeof head, "%04X%04zu", static_cast<unsigned>(crc), message.size());
  } else {
    std::snprintf(head, sizeof head, "%04X%04zX", static_cast<unsigned>(crc), message.size());
  }
  std::string out;
  out.reserve(message.size() + 10);
  out.push_back('\n');
  out.append(head, kHeaderChars);
  out.append(message);
  out.push_back('\r');
  return out;
}

std::string sequence_text(int sequence) {
  char text[8];
  std::snprintf(text, sizeof text, "%04d", sequence % 10000);
  return std::string(text);
}

}  // namespace aware::dc09
