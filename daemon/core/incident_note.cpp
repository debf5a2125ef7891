// incident_note.cpp — see incident_note.hpp.
#include "core/incident_note.hpp"

namespace aware::core {
namespace {

bool is_trimmed_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Length of the UTF-8 sequence that starts with `lead`, or 0 when no sequence starts so.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) {
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    return 2;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    return 4;
  }
  return 0;  // a continuation byte, an overlong 2-byte lead (C0, C1) or past U+10FFFF
}

}  // namespace

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const auto len = sequence_length(lead);
    if (len == 0 || i + len > text.size()) {
      return false;
    }
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return false;
      }
    }
    if (len >= 3) {
      const auto second = static_cast<unsigned char>(text[i + 1]);
      if ((lead == 0xE0 && second < 0xA0) ||   // overlong 3-byte form
          (lead == 0xED && second > 0x9F) ||   // UTF-16 surrogates
          (lead == 0xF0 && second < 0x90) ||   // overlong 4-byte form
          (lead == 0xF4 && second > 0x8F)) {   // past U+10FFFF
        return false;
      }
    }
    i += len;
  }
  return true;
}

tl::expected<std::string, std::string> note_text(std::string_view raw) {
  while (!raw.empty() && is_trimmed_space(raw.front())) {
    raw.remove_prefix(1);
  }
  while (!raw.empty() && is_trimmed_space(raw.back())) {
    raw.remove_suffix(1);
  }
  if (raw.empty()) {
    return tl::make_unexpected("text: required (not only spaces)");
  }
  if (raw.size() > kMaxNoteTextBytes) {
    return tl::make_unexpected("text: at most 1000 bytes");
  }
  if (!valid_utf8(raw)) {
    return tl::make_unexpected("text: not valid UTF-8");
  }
  for (char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7F) {
      return tl::make_unexpected("text: no control characters but newline and tab");
    }
  }
  return std::string(raw);
}

}  // namespace aware::core
