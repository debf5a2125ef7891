// users_commands.hpp — awarectl's user management for admins: list the users, add or change
// one (`users set`), deactivate one. Each is one request to /api/v1/users. Pure: command.cpp
// hands over the words and options; the password is read by main.cpp (Command::password_for).
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "command.hpp"
#include "supervision_commands.hpp"

namespace aware::awarectl {

// Whether `option` is one of the users commands' options that take a value (--role,
// --regions, --organisation, --clients), or their flags (--password, --active, --inactive).
[[nodiscard]] bool is_users_value_option(std::string_view option);
[[nodiscard]] bool is_users_flag_option(std::string_view option);

// Fills in method, target, body and output of `base` for `words` (words[0] == "users").
std::variant<Command, Usage> parse_users(Command base, const std::vector<std::string>& words,
                                         const OptionMap& options, bool json_output);

}  // namespace aware::awarectl
