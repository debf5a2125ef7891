// dc09_commands.hpp — awarectl's DC-09 commands (issue 9): link a transmitter account to a
// registered device, unlink it, list the links. Each is one request to /api/v1/dc09-accounts.
// Pure: command.cpp hands over the words; bad input is a usage error naming what is wrong.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "command.hpp"

namespace aware::awarectl {

// Fills in method, target, body and output of `base` for `words` (words[0] == "dc09").
std::variant<Command, Usage> parse_dc09(Command base, const std::vector<std::string>& words,
                                        bool json_output);

}  // namespace aware::awarectl
