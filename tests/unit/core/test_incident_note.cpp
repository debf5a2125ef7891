// test_incident_note.cpp — the rules for a centralist's note (core/incident_note.hpp): trimming,
// the byte bound, UTF-8 validity (overlong forms, surrogates, truncated sequences, past
// U+10FFFF) and control characters. Label: dispatch.
#include <catch2/catch.hpp>

#include <string>

#include "core/incident_note.hpp"

namespace core = aware::core;

TEST_CASE("a note is trimmed and kept otherwise as written", "[core][note]") {
  auto text = core::note_text("  \t eenheid ter plaatse\npleger weg \r\n");
  REQUIRE(text);
  CHECK(*text == "eenheid ter plaatse\npleger weg");
  auto dutch = core::note_text("cliënt zegt: \"hij is gevlucht\"\tzie AOL-002");
  REQUIRE(dutch);
  CHECK(*dutch == "cliënt zegt: \"hij is gevlucht\"\tzie AOL-002");
}

TEST_CASE("an empty or blank note is refused", "[core][note]") {
  for (const char* blank : {"", " ", "\n\t \r\n"}) {
    auto text = core::note_text(blank);
    REQUIRE_FALSE(text);
    CHECK(text.error() == "text: required (not only spaces)");
  }
}

TEST_CASE("a note holds at most 1000 bytes after trimming", "[core][note]") {
  CHECK(core::note_text(std::string(1000, 'x')));
  CHECK(core::note_text("  " + std::string(1000, 'x') + "  "));
  auto long_one = core::note_text(std::string(1001, 'x'));
  REQUIRE_FALSE(long_one);
  CHECK(long_one.error() == "text: at most 1000 bytes");
  // 501 two-byte characters are 1002 bytes: bytes count, not characters.
  std::string e_acute;
  for (int i = 0; i < 501; ++i) {
    e_acute += "é";
  }
  CHECK_FALSE(core::note_text(e_acute));
}

TEST_CASE("a note must be valid UTF-8", "[core][note]") {
  CHECK(core::valid_utf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x9A\x93"));   // a é € 🚓
  for (const std::string& bad : {
           std::string("\xC3"),              // truncated
           std::string("\xC3\x28"),          // bad continuation
           std::string("\x80"),              // lone continuation
           std::string("\xC0\xAF"),          // overlong '/'
           std::string("\xE0\x80\xAF"),      // overlong 3-byte form
           std::string("\xED\xA0\x80"),      // surrogate U+D800
           std::string("\xF0\x80\x80\xAF"),  // overlong 4-byte form
           std::string("\xF4\x90\x80\x80"),  // past U+10FFFF
           std::string("\xFF"),
       }) {
    INFO(bad.size());
    CHECK_FALSE(core::valid_utf8(bad));
    auto text = core::note_text("note " + bad);
    REQUIRE_FALSE(text);
    CHECK(text.error() == "text: not valid UTF-8");
  }
}

TEST_CASE("a note has no control characters but newline and tab", "[core][note]") {
  for (const std::string& bad : {std::string("a\0b", 3), std::string("a\x1b[2Jb"),
                                std::string("a\x7f" "b"), std::string("a\rb")}) {
    auto text = core::note_text(bad);
    REQUIRE_FALSE(text);
    CHECK(text.error() == "text: no control characters but newline and tab");
  }
}
