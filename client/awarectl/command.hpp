// command.hpp — awarectl's command line turned into one HTTP request to awared's registry API
// (/api/v1). Pure: no I/O (reading a --file happens in main.cpp), so it is unit tested.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace aware::awarectl {

// Where the request body comes from.
struct NoBody {};
struct InlineBody {
  std::string json;            // --json '{…}'
};
struct FileBody {
  std::string path;            // --file F, import FILE; "-" = standard input
};
using Body = std::variant<NoBody, InlineBody, FileBody>;

// How main prints a 2xx response body.
enum class Output {
  json,            // pretty-printed JSON (every command; dossier with --json)
  dossier_table,   // dossier without --json: a table (dossier_table.hpp)
  test_windows_table,  // the supervision listings without --json (supervision_tables.hpp)
  alerts_table,
  devices_table,
  contracts_table,
  audit_table,         // audit list without --json (audit_commands.hpp)
  audit_verify,        // audit verify: a sentence; exit 1 unless the chain is intact
  audit_verify_json,   // audit verify --json: the JSON; exit 1 unless the chain is intact
  audit_head,          // audit head: "ID:HASH" of the verified head; exit 1 unless intact
  login,               // login USER: main reads the password and stores the token
  logout,              // logout: main forgets the stored token
  passwd,              // passwd: main reads the current and the new password, then forgets
                       // the token (the change ends every session of the user)
};

struct Command {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::chrono::seconds timeout{60};  // for connect, send and the whole response
  std::string ca_file;               // --ca (else $AWARED_CA): HTTPS trusting this CA; "" = HTTP
  std::string method;                // GET, POST, PUT
  std::string target;                // e.g. /api/v1/clients/C-001
  Body body;
  Output output = Output::json;
  std::string user;                  // login: the user name
  std::string justification;         // --justification: sent as X-Justification (why personal
                                     // data is read; a centralist needs it for `show aop`)
  std::string password_for;          // users set --password: main reads a new password for
                                     // this user and adds it to the JSON body
};

// What some commands default to, read from the environment by main.cpp (parsing stays pure).
struct Defaults {
  std::string user = "pac";    // "by" of test and contracts commands: $USER, else "pac"
  std::string today;           // today's date (UTC, YYYY-MM-DD) for `contracts end`; empty:
                               // --on is required
  std::string ca_file;         // $AWARED_CA: the CA file when --ca is not given; empty: none
};

// The parsed command, or the usage error to print (exit code 2). `args` excludes argv[0].
// "--help" gives a Usage with an empty message.
struct Usage {
  std::string message;
};
std::variant<Command, Usage> parse_command(const std::vector<std::string>& args,
                                           const Defaults& defaults = {});

// `text` for a URL path segment or query value: every byte but A-Z a-z 0-9 . _ @ -
// percent-encoded.
[[nodiscard]] std::string percent_encode(std::string_view text);

// The help text.
extern const char* const kUsageText;

}  // namespace aware::awarectl
