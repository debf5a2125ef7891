// main.cpp — awarectl, the operators' command-line client for awared's registry API: parses the
// command line (command.hpp) with the defaults the environment gives ($USER, today's date),
// reads a --file, makes one HTTP request (http_call.hpp) and prints the JSON response, or a
// table for the listings (dossier_table.hpp, supervision_tables.hpp). Every request carries the
// session token (session_file.hpp); `login` stores a new one, `logout` forgets it.
//
// Exit codes: 0 on a 2xx response (`audit verify`: and the chain intact); 1 on a 4xx/5xx response (its error on stderr) or when awared
// cannot be reached; 2 on a usage error (or an unreadable --file).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "audit_commands.hpp"
#include "command.hpp"
#include "dossier_table.hpp"
#include "http_call.hpp"
#include "session_file.hpp"
#include "supervision_tables.hpp"

namespace {

using namespace aware::awarectl;

// The body to send, or nullopt (after printing why) when a file cannot be read.
std::optional<std::string> read_body(const Body& body) {
  if (const auto* inline_body = std::get_if<InlineBody>(&body)) {
    return inline_body->json;
  }
  const auto* file = std::get_if<FileBody>(&body);
  if (file == nullptr) {
    return std::string{};
  }
  if (file->path == "-") {
    return std::string{std::istreambuf_iterator<char>{std::cin}, {}};
  }
  std::ifstream in{file->path, std::ios::binary};
  if (!in) {
    std::fprintf(stderr, "awarectl: cannot read %s\n", file->path.c_str());
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The body pretty-printed when it is JSON, else as it came.
std::string pretty(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  return j.is_discarded() ? body : j.dump(2);
}

// $USER (else "pac"), $AWARED_CA and today's date in UTC.
Defaults environment_defaults() {
  Defaults d;
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') {
    d.user = user;
  }
  if (const char* ca = std::getenv("AWARED_CA"); ca != nullptr) {
    d.ca_file = ca;
  }
  const std::chrono::year_month_day today{
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(today.year()),
                static_cast<unsigned>(today.month()), static_cast<unsigned>(today.day()));
  d.today = date;
  return d;
}

// The table for a 2xx `body`, when the command prints one and the body is what it expects.
std::optional<std::string> table_of(Output output, const std::string& body) {
  switch (output) {
    case Output::dossier_table:
      return dossier_table(body);
    case Output::test_windows_table:
      return test_windows_table(body);
    case Output::alerts_table:
      return alerts_table(body);
    case Output::devices_table:
      return devices_table(body);
    case Output::contracts_table:
      return contracts_table(body);
    case Output::audit_table:
      return audit_table(body);
    case Output::audit_verify:
    case Output::audit_verify_json:
    case Output::audit_head:
    case Output::login:
    case Output::logout:
    case Output::passwd:
    case Output::json:
      break;
  }
  return std::nullopt;
}

// Stores the token of a successful login and says who is logged in; the exit code.
int finish_login(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("token") || !j["token"].is_string()) {
    std::fprintf(stderr, "awarectl: the login answer has no token\n");
    return 1;
  }
  if (auto problem = store_token(j["token"].get<std::string>())) {
    std::fprintf(stderr, "awarectl: %s\n", problem->c_str());
    return 1;
  }
  std::printf("logged in as %s (%s)\n", j.value("user", "?").c_str(), j.value("role", "?").c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const auto parsed = parse_command(args, environment_defaults());
  if (const auto* usage = std::get_if<Usage>(&parsed)) {
    if (usage->message.empty()) {
      std::fputs(kUsageText, stdout);
      return 0;
    }
    std::fprintf(stderr, "awarectl: %s\n%s", usage->message.c_str(), kUsageText);
    return 2;
  }
  const auto& command = std::get<Command>(parsed);
  auto body = read_body(command.body);
  if (!body) {
    return 2;
  }
  Headers headers;
  if (command.output == Output::login) {
    const auto password = read_password("password for " + command.user + ": ");
    if (!password) {
      std::fprintf(stderr, "awarectl: no password given\n");
      return 2;
    }
    body = nlohmann::json{{"user", command.user}, {"password", *password}}.dump();
  } else if (const auto token = stored_token(); !token.empty()) {
    headers.emplace_back("Authorization", "Bearer " + token);
  }
  if (command.output == Output::passwd) {
    if (headers.empty()) {
      std::fprintf(stderr, "awarectl: log in first (awarectl login USER)\n");
      return 2;
    }
    const auto current = read_password("current password: ");
    const auto fresh = current ? read_password("new password: ") : std::nullopt;
    if (!fresh) {
      std::fprintf(stderr, "awarectl: no password given\n");
      return 2;
    }
    if (::isatty(STDIN_FILENO) != 0 && read_password("new password again: ") != fresh) {
      std::fprintf(stderr, "awarectl: the new passwords differ; nothing changed\n");
      return 2;
    }
    body = nlohmann::json{{"current", *current}, {"new", *fresh}}.dump();
  }
  if (!command.password_for.empty()) {
    const auto password = read_password("new password for " + command.password_for + ": ");
    if (!password) {
      std::fprintf(stderr, "awarectl: no password given\n");
      return 2;
    }
    auto with_password = nlohmann::json::parse(*body);
    with_password["password"] = *password;
    body = with_password.dump();
  }
  if (!command.justification.empty()) {
    headers.emplace_back("X-Justification", command.justification);
  }
  const auto result = http_call(command.host, command.port, command.method, command.target,
                                *body, command.timeout, headers, command.ca_file);
  if (!result.ok) {
    std::fprintf(stderr, "awarectl: %s\n", result.failure.c_str());
    return 1;
  }
  if (result.status < 200 || result.status >= 300) {
    auto j = nlohmann::json::parse(result.body, nullptr, false);
    const std::string error = !j.is_discarded() && j.is_object() && j.contains("error") &&
                                      j["error"].is_string()
                                  ? j["error"].get<std::string>()
                                  : result.body;
    std::fprintf(stderr, "awarectl: HTTP %u: %s\n", result.status, error.c_str());
    return 1;
  }
  if (command.output == Output::login) {
    return finish_login(result.body);
  }
  if (command.output == Output::logout) {
    forget_token();
    std::printf("logged out\n");
    return 0;
  }
  if (command.output == Output::passwd) {
    forget_token();
    std::printf("password changed; every session of yours has ended: awarectl login again\n");
    return 0;
  }
  if (command.output == Output::audit_verify || command.output == Output::audit_verify_json ||
      command.output == Output::audit_head) {
    const auto verdict = command.output == Output::audit_head
                             ? audit_head_text(result.body)
                             : audit_verdict_text(result.body,
                                                  command.output == Output::audit_verify_json);
    std::fputs(verdict.text.c_str(), stdout);
    return verdict.intact ? 0 : 1;
  }
  if (const auto table = table_of(command.output, result.body)) {
    std::fputs(table->c_str(), stdout);
    return 0;
  }
  std::printf("%s\n", pretty(result.body).c_str());
  return 0;
}
