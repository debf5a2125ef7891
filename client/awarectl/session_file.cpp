// session_file.cpp — see session_file.hpp.
#include "session_file.hpp"

#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace aware::awarectl {

std::optional<std::filesystem::path> token_file() {
  if (const char* file = std::getenv("AWARED_TOKEN_FILE"); file != nullptr && *file != '\0') {
    return std::filesystem::path{file};
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::filesystem::path{home} / ".config" / "awared" / "token";
  }
  return std::nullopt;
}

std::string stored_token() {
  if (const char* token = std::getenv("AWARED_TOKEN"); token != nullptr && *token != '\0') {
    return token;
  }
  const auto path = token_file();
  if (!path) {
    return {};
  }
  std::ifstream in{*path};
  std::string token;
  std::getline(in, token);
  return token;
}

std::optional<std::string> store_token(const std::string& token) {
  const auto path = token_file();
  if (!path) {
    return std::string("no place for the token: set $AWARED_TOKEN_FILE or $HOME");
  }
  std::error_code ec;
  if (path->has_parent_path() && !std::filesystem::exists(path->parent_path(), ec)) {
    std::filesystem::create_directories(path->parent_path(), ec);
    ::chmod(path->parent_path().c_str(), 0700);
  }
  const auto old_mask = ::umask(0077);  // the file is created 0600
  std::ofstream out{*path, std::ios::trunc};
  ::umask(old_mask);
  if (!out) {
    return "cannot write " + path->string();
  }
  ::chmod(path->c_str(), 0600);  // an existing file keeps its mode otherwise
  out << token << "\n";
  out.close();
  if (!out) {
    return "cannot write " + path->string();
  }
  return std::nullopt;
}

void forget_token() {
  if (const auto path = token_file()) {
    std::error_code ec;
    std::filesystem::remove(*path, ec);
  }
}

std::optional<std::string> read_password(const std::string& prompt) {
  const bool tty = ::isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (tty) {
    std::fprintf(stderr, "%s", prompt.c_str());
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  const bool got = static_cast<bool>(std::getline(std::cin, password));
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fprintf(stderr, "\n");
  }
  if (!got) {
    return std::nullopt;
  }
  return password;
}

}  // namespace aware::awarectl
