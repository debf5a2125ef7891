// supervision_commands.hpp — awarectl's supervision commands (issue 5) turned into one request
// to awared's REST API: proefmelding windows (`test start|stop|list`), the PAC operator's
// alerts, device status (`devices [--stale]`) and contracts (`contracts [--ending-within N]`,
// `contracts extend|end AOP`). Pure: command.cpp hands over the words and options it collected;
// the environment a command defaults to (user, today) comes in through Defaults.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "command.hpp"

namespace aware::awarectl {

// The options only these commands take: "--minutes", "--reason", "--by", "--ending-within",
// "--until", "--on" take a value; "--stale" takes none.
[[nodiscard]] bool is_supervision_value_option(std::string_view option);
[[nodiscard]] bool is_supervision_flag_option(std::string_view option);

// "test", "alerts", "devices" or "contracts".
[[nodiscard]] bool is_supervision_command(std::string_view word);

// Options as command.cpp collected them: option → value ("" for a flag).
using OptionMap = std::map<std::string, std::string>;

// Fills in method, target, body and output of `base` (which carries --server and --timeout) for
// `words` (words[0] is a supervision command), or says what is wrong. `json_output`: --json
// was given without a document (only the listings take it).
std::variant<Command, Usage> parse_supervision(Command base, const std::vector<std::string>& words,
                                               const OptionMap& options, bool json_output,
                                               const Defaults& defaults);

}  // namespace aware::awarectl
