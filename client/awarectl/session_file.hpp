// session_file.hpp — where awarectl keeps the session token between runs, and how it reads a
// password. The token comes from $AWARED_TOKEN when set, else from the token file:
// $AWARED_TOKEN_FILE, else ~/.config/awared/token. The file is written with mode 0600 (its
// folder 0700) and removed on logout. Tokens and passwords are never printed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace aware::awarectl {

// The token file's path (see above); nullopt when neither $AWARED_TOKEN_FILE nor $HOME is set.
std::optional<std::filesystem::path> token_file();

// The token to send: $AWARED_TOKEN, else the token file's first line; "" when there is none.
std::string stored_token();

// Writes `token` to the token file (0600); the error when that fails.
std::optional<std::string> store_token(const std::string& token);

// Removes the token file (no error when it is already gone).
void forget_token();

// The first line of stdin; on a terminal it prompts on stderr and turns echo off meanwhile.
std::optional<std::string> read_password(const std::string& prompt);

}  // namespace aware::awarectl
