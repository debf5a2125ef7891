// main.cpp — awarectl, the operators' command-line client for awared's registry API: parses the
// command line (command.hpp) with the defaults the environment gives ($USER, today's date),
// reads a --file, makes one HTTP request (http_call.hpp) and prints the JSON response, or a
// table for the listings (dossier_table.hpp, supervision_tables.hpp).
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

#include <nlohmann/json.hpp>

#include "audit_commands.hpp"
#include "command.hpp"
#include "dossier_table.hpp"
#include "http_call.hpp"
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
    case Output::json:
      break;
  }
  return std::nullopt;
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
  const auto body = read_body(command.body);
  if (!body) {
    return 2;
  }
  const auto result = http_call(command.host, command.port, command.method, command.target,
                                *body, command.timeout, command.ca_file);
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
  if (command.output == Output::audit_verify || command.output == Output::audit_verify_json) {
    const auto verdict =
        audit_verdict_text(result.body, command.output == Output::audit_verify_json);
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
