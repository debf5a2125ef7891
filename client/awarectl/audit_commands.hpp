// audit_commands.hpp — awarectl's audit commands (issue 6 item 4): `audit list [--after ID]
// [--before ID] [--limit N] [--actor A] [--action X] [--subject S] [--newest] [--json]` and `audit verify [--json]`, turned into one request to awared's REST
// API, and how their answers are printed. Pure: command.cpp hands over the words and options
// it collected; main.cpp prints.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "command.hpp"
#include "supervision_commands.hpp"

namespace aware::awarectl {

// "--after", "--before", "--limit", "--actor", "--action", "--subject" and "--anchor" (each
// takes a value).
[[nodiscard]] bool is_audit_value_option(std::string_view option);
// "--newest" (no value).
[[nodiscard]] bool is_audit_flag_option(std::string_view option);

// Fills in method, target and output of `base` for `words` (words[0] == "audit"), or says
// what is wrong. `json_output`: --json was given without a document.
std::variant<Command, Usage> parse_audit(Command base, const std::vector<std::string>& words,
                                         const OptionMap& options, bool json_output);

// The table for a GET /api/v1/audit body; nullopt when it is not such a document.
std::optional<std::string> audit_table(const std::string& body);

// What `audit verify` prints for a GET /api/v1/audit/verify body, and whether the chain is
// intact (exit 0) or not (exit 1). A body that is not such a document counts as not intact.
struct AuditVerdictText {
  std::string text;
  bool intact = false;
};
AuditVerdictText audit_verdict_text(const std::string& body, bool json);
// What `audit head` prints: "ID:HASH" of an intact chain's head (an anchor to keep elsewhere),
// else what `audit verify` prints.
AuditVerdictText audit_head_text(const std::string& body);

}  // namespace aware::awarectl
