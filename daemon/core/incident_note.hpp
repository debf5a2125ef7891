// incident_note.hpp — the rules for a centralist's note on an incident (pure): what text is
// accepted and how many notes one incident holds. The console codec checks a request's text
// with note_text(); the store enforces the count in the same transaction as the insert.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace aware::core {

inline constexpr std::size_t kMaxNoteTextBytes = 1000;   // after trimming
inline constexpr std::size_t kMaxNotesPerIncident = 100; // a full incident refuses more

// The note `raw` as it is stored: leading and trailing spaces, tabs and line breaks removed.
// Refused (the text says why, in English like every ConsoleError) when it is then empty, longer
// than kMaxNoteTextBytes, not valid UTF-8 (overlong forms, surrogates and code points past
// U+10FFFF included), or holds a control character other than newline and tab.
tl::expected<std::string, std::string> note_text(std::string_view raw);

// True when `text` is valid UTF-8 (RFC 3629).
bool valid_utf8(std::string_view text);

}  // namespace aware::core
