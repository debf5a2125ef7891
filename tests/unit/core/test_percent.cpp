// test_percent.cpp — percent-decoding of path segments and query values (core/percent.hpp):
// escapes of either case, '+' as a space only in a query value, and a malformed or cut-off
// escape or a decoded control character refused.
#include <catch2/catch.hpp>

#include "core/percent.hpp"

using aware::core::percent_decode;
using aware::core::Plus;

TEST_CASE("percent_decode decodes escapes and keeps or replaces a plus", "[percent]") {
  CHECK(percent_decode("client%3AC-001", Plus::space) == "client:C-001");
  CHECK(percent_decode("a%2fb%2Fc", Plus::literal) == "a/b/c");
  CHECK(percent_decode("pac+jan", Plus::space) == "pac jan");
  CHECK(percent_decode("pac+jan", Plus::literal) == "pac+jan");
  CHECK(percent_decode("%2B", Plus::space) == "+");
  CHECK(percent_decode("%C3%A9", Plus::space) == "\xC3\xA9");  // bytes, as sent
  CHECK(percent_decode("", Plus::space) == "");
}

TEST_CASE("percent_decode refuses malformed escapes and control characters", "[percent]") {
  for (const char* bad : {"%", "%4", "abc%", "abc%4", "%ZZ", "%G0", "a%0Ab", "%00", "%7F", "a\tb"}) {
    INFO(bad);
    CHECK_FALSE(percent_decode(bad, Plus::space));
    CHECK_FALSE(percent_decode(bad, Plus::literal));
  }
}
