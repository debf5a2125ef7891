// percent.hpp — percent-decoding of URL path segments and query values, shared by the parsers
// that read them (user names in paths, feed and audit-log query parameters). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aware::core {

// What a '+' stands for: a space in a query value (form encoding), itself in a path segment.
enum class Plus { space, literal };

// `in` with every %XX escape replaced by its byte (and '+' by a space when `plus` says so);
// nullopt for a malformed escape or when the result holds a control character (< 0x20, 0x7f).
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view in, Plus plus);

}  // namespace aware::core
