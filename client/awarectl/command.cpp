// command.cpp — see command.hpp.
#include "command.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string_view>

#include "audit_commands.hpp"
#include "dc09_commands.hpp"
#include "users_commands.hpp"
#include "supervision_commands.hpp"

namespace aware::awarectl {

const char* const kUsageText =
    "usage: awarectl [--server HOST:PORT] [--ca FILE] [--timeout SECONDS] [--justification TEXT]\n"
    "                COMMAND\n"
    "\n"
    "Maintains awared's registrations and shows and steers device supervision through its REST\n"
    "API (/api/v1 on the meldkamer port).\n"
    "KIND is one of: client, device, aop, aol, region.\n"
    "\n"
    "Sessions (every other command needs one):\n"
    "  login USER                                  log in; the password is read from stdin (or\n"
    "                                              prompted for, without echo, on a terminal);\n"
    "                                              the session token is stored in\n"
    "                                              $AWARED_TOKEN_FILE, else ~/.config/awared/token\n"
    "                                              (mode 0600)\n"
    "  logout                                      end the session and forget the token\n"
    "  passwd                                      change your own password: the current one,\n"
    "                                              then the new one (12+ characters; twice on a\n"
    "                                              terminal), read like login's; every session\n"
    "                                              of yours ends: log in again\n"
    "  $AWARED_TOKEN, when set, is sent instead of the stored token.\n"
    "\n"
    "  add KIND (--file F | --json '{...}')        register a new record\n"
    "  list KIND                                   all records of a kind\n"
    "  show KIND ID                                one record\n"
    "  update KIND ID (--file F | --json '{...}')  replace a record (the whole record)\n"
    "  deactivate KIND ID                          keep the record, stop matching it\n"
    "  import FILE.json                            bulk import, all or nothing\n"
    "  export                                      everything, as an import document\n"
    "  regions import FILE.geojson                 regions from a GeoJSON FeatureCollection\n"
    "  dossier CLIENT [--json]                     all activations of a client with their\n"
    "                                              outcomes (a table, or the JSON)\n"
    "  subject-export CLIENT                       everything awared holds about a client, as\n"
    "                                              JSON (a subject-access request; audited)\n"
    "\n"
    "Supervision (the listings print a table, or the server's JSON with --json):\n"
    "  test start DEVICE --minutes N --reason TEXT\n"
    "                                              open a proefmelding window (1..1440 min):\n"
    "                                              the device's presses in it are tests\n"
    "  test stop DEVICE                            close the device's window early\n"
    "  test list [--json]                          the windows open now\n"
    "  alerts [--json]                             the PAC operator's unresolved alerts\n"
    "  devices [--stale] [--json]                  every device's supervision state (--stale:\n"
    "                                              only those not heard from in time)\n"
    "  contracts [--ending-within DAYS] [--json]   contracts ending within DAYS (14, or 14d;\n"
    "                                              default 14)\n"
    "  contracts extend AOP --until YYYY-MM-DD\n"
    "                                              move a contract's end date\n"
    "  contracts end AOP [--on YYYY-MM-DD]\n"
    "                                              end a contract on that date (default today,\n"
    "                                              UTC)\n"
    "  awared records the logged-in user as who did it (--by NAME is accepted and ignored).\n"
    "\n"
    "DC-09 transmitters (accounts of the SIA DC-09 receiver, [dc09] in awared.toml):\n"
    "  dc09 link ACCOUNT DEVICE                    the account's messages are DEVICE's (alarms,\n"
    "                                              NULL heartbeats, battery reports)\n"
    "  dc09 unlink ACCOUNT                         forget the link (its alarms are then\n"
    "                                              raised for an unknown device, flagged)\n"
    "  dc09 list                                   every link, as JSON\n"
    "\n"
    "Users (admins only; a change ends the user's sessions and closes their consoles):\n"
    "  users list                                  every user (never a password), as JSON\n"
    "  users set NAME --role ROLE [--regions A,B] [--clients C1,C2] [--organisation ORG]\n"
    "            [--password] [--active | --inactive]\n"
    "                                              add NAME, or replace its role and scope\n"
    "                                              (its password and active flag stay unless\n"
    "                                              given);\n"
    "                                              ROLE centralist (--regions), pac_operator,\n"
    "                                              hulpverlener (--clients) or admin;\n"
    "                                              --password asks for a new password (needed\n"
    "                                              for a new user; 12+ characters)\n"
    "  users deactivate NAME                       NAME can no longer sign in\n"
    "\n"
    "Audit log (who consulted or changed personal data, when and why):\n"
    "  audit list [--after ID] [--before ID] [--limit N] [--actor USER] [--action ACTION]\n"
    "             [--subject SUBJECT] [--newest] [--json]\n"
    "                                              rows after ID (default 0) and before ID,\n"
    "                                              at most N (1..1000, default 100), oldest\n"
    "                                              first (--newest: newest first); --actor,\n"
    "                                              --action, --subject keep the rows with\n"
    "                                              exactly that value (e.g. --subject\n"
    "                                              client:C-001: who read or changed her data)\n"
    "  audit verify [--anchor ID:HASH] [--json]    check the hash chain: exit 0 when intact,\n"
    "                                              1 naming the first bad row; with an anchor\n"
    "                                              (a head noted earlier) also that row ID\n"
    "                                              still has HASH (catches a cut-off tail)\n"
    "  audit head                                  verify, then print the head as ID:HASH —\n"
    "                                              keep it outside awared as an anchor\n"
    "\n"
    "  --server HOST:PORT   awared's meldkamer address (default 127.0.0.1:8080)\n"
    "  --ca FILE            speak HTTPS and trust only the CA certificate(s) in FILE (PEM); the\n"
    "                       server certificate must name HOST (DNS name or IP address).\n"
    "                       Default: $AWARED_CA; without either, plain HTTP (awared with\n"
    "                       [tls] insecure_dev = true)\n"
    "  --timeout SECONDS    give up after this long (default 60)\n"
    "  --justification TEXT why personal data is read (1..500 characters; sent as the\n"
    "                       X-Justification header and stored in the audit log)\n"
    "  F may be - for standard input.\n"
    "\n"
    "Other commands print the JSON response. Exit codes: 0 success (2xx), 1 refused or failed\n"
    "(the error is printed on stderr), 2 usage error.\n";

namespace {

constexpr std::array<std::string_view, 5> kKinds{"client", "device", "aop", "aol", "region"};

std::optional<std::string> plural_of(std::string_view kind) {
  if (std::find(kKinds.begin(), kKinds.end(), kind) == kKinds.end()) {
    return std::nullopt;
  }
  return std::string(kind) + "s";
}

bool parse_server(std::string_view text, Command& c) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return false;
  }
  unsigned port = 0;
  const auto p = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc{} || end != p.data() + p.size() || port == 0 || port > 65535) {
    return false;
  }
  auto host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  c.host = std::string(host);
  c.port = static_cast<std::uint16_t>(port);
  return true;
}

// `--json` followed by a JSON document is a body; otherwise it is the output flag (dossier).
bool is_json_value(std::string_view v) {
  const auto first = v.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (v[first] == '{' || v[first] == '[');
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || ch == '.' || ch == '_' || ch == '@' || ch == '-') {
      out.push_back(ch);
    } else {
      out += {'%', kHex[c >> 4U], kHex[c & 15U]};
    }
  }
  return out;
}

std::variant<Command, Usage> parse_command(const std::vector<std::string>& args,
                                           const Defaults& defaults) {
  Command c;
  c.ca_file = defaults.ca_file;
  std::vector<std::string> words;
  OptionMap options;  // the supervision commands' own options
  std::optional<Body> body;
  bool json_output = false;  // --json without a document after it
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--help" || a == "-h") {
      return Usage{};
    }
    if (a == "--json" && !(has_value && is_json_value(args[i + 1]))) {
      json_output = true;
      continue;
    }
    if (a == "--ca") {
      if (!has_value || args[i + 1].empty()) {
        return Usage{"--ca needs a FILE"};
      }
      c.ca_file = args[++i];
      continue;
    }
    if (a == "--server" || a == "--timeout" || a == "--file" || a == "--json" ||
        a == "--justification") {
      if (!has_value) {
        return Usage{a + " needs a value"};
      }
      const auto& v = args[++i];
      if (a == "--server" && !parse_server(v, c)) {
        return Usage{"--server must be HOST:PORT (got \"" + v + "\")"};
      }
      if (a == "--timeout") {
        int s = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
        if (ec != std::errc{} || end != v.data() + v.size() || s < 1 || s > 86400) {
          return Usage{"--timeout must be 1..86400 seconds"};
        }
        c.timeout = std::chrono::seconds{s};
      }
      if (a == "--justification") {
        if (v.empty() || v.size() > 500) {
          return Usage{"--justification must be 1..500 characters"};
        }
        c.justification = v;
      }
      if (a == "--file" || a == "--json") {
        if (body) {
          return Usage{"give --file or --json once"};
        }
        body = a == "--file" ? Body{FileBody{v}} : Body{InlineBody{v}};
      }
      continue;
    }
    if (is_supervision_value_option(a) || is_supervision_flag_option(a) ||
        is_audit_value_option(a) || is_audit_flag_option(a) || is_users_value_option(a) ||
        is_users_flag_option(a)) {
      const bool flag =
          is_supervision_flag_option(a) || is_audit_flag_option(a) || is_users_flag_option(a);
      if (!flag && !has_value) {
        return Usage{a + " needs a value"};
      }
      if (!options.emplace(a, flag ? std::string{} : args[++i]).second) {
        return Usage{"give " + a + " once"};
      }
      continue;
    }
    if (a.size() > 1 && a[0] == '-' && a != "-") {
      return Usage{"unknown option " + a};
    }
    words.push_back(a);
  }
  if (words.empty()) {
    return Usage{"no command given"};
  }
  const auto& cmd = words[0];
  auto want = [&](std::size_t n) { return words.size() == n; };
  if (cmd == "passwd") {
    if (body || json_output || !options.empty() || !want(1)) {
      return Usage{"passwd takes nothing (it asks for the passwords)"};
    }
    c.method = "POST";
    c.target = "/api/v1/password";
    c.output = Output::passwd;
    return c;
  }
  if (cmd == "login" || cmd == "logout") {
    if (body || json_output || !options.empty() || !want(cmd == "login" ? 2 : 1)) {
      return Usage{cmd == "login" ? "login needs USER only" : "logout takes nothing"};
    }
    c.method = "POST";
    c.target = "/api/v1/" + cmd;
    c.output = cmd == "login" ? Output::login : Output::logout;
    c.user = cmd == "login" ? words[1] : std::string{};
    return c;
  }
  if (is_supervision_command(cmd)) {
    if (body) {
      return Usage{cmd + " takes no --file or --json document"};
    }
    return parse_supervision(c, words, options, json_output, defaults);
  }
  if (cmd == "dc09") {
    if (body || !options.empty()) {
      return Usage{"dc09 takes no --file, --json document or options"};
    }
    return parse_dc09(c, words, json_output);
  }
  if (cmd == "users") {
    if (body) {
      return Usage{"users takes no --file or --json document"};
    }
    return parse_users(c, words, options, json_output);
  }
  if (cmd == "audit") {
    if (body) {
      return Usage{"audit takes no --file or --json document"};
    }
    return parse_audit(c, words, options, json_output);
  }
  if (!options.empty()) {
    return Usage{cmd + " takes no " + options.begin()->first};
  }
  if (cmd == "dossier") {
    if (!want(2) || body) {
      return Usage{"dossier needs CLIENT (and optionally --json)"};
    }
    c.method = "GET";
    c.target = "/api/v1/clients/" + words[1] + "/dossier";
    c.output = json_output ? Output::json : Output::dossier_table;
    return c;
  }
  if (cmd == "subject-export") {
    if (!want(2) || body || json_output) {
      return Usage{"subject-export needs CLIENT (it always prints JSON)"};
    }
    c.method = "GET";
    c.target = "/api/v1/clients/" + words[1] + "/subject-export";
    c.output = Output::json;
    return c;
  }
  if (json_output && !body) {
    if (cmd == "add" || cmd == "update") {
      return Usage{cmd + " needs --file F or --json '{...}'"};
    }
    return Usage{"--json needs a JSON document (only dossier, audit and the supervision "
                 "listings take --json alone)"};
  }
  if (cmd == "import" && want(2) && !body) {
    c.method = "POST";
    c.target = "/api/v1/import";
    c.body = FileBody{words[1]};
    return c;
  }
  if (cmd == "export" && want(1) && !body) {
    c.method = "GET";
    c.target = "/api/v1/export";
    return c;
  }
  if (cmd == "regions" && want(3) && words[1] == "import" && !body) {
    c.method = "POST";
    c.target = "/api/v1/regions/import";
    c.body = FileBody{words[2]};
    return c;
  }
  const bool known = cmd == "add" || cmd == "list" || cmd == "show" || cmd == "update" ||
                     cmd == "deactivate";
  if (!known) {
    return Usage{"unknown command \"" + cmd + "\""};
  }
  if (words.size() < 2) {
    return Usage{cmd + " needs a KIND (client, device, aop, aol, region)"};
  }
  const auto plural = plural_of(words[1]);
  if (!plural) {
    return Usage{"unknown KIND \"" + words[1] + "\" (client, device, aop, aol, region)"};
  }
  const bool needs_id = cmd == "show" || cmd == "update" || cmd == "deactivate";
  const bool needs_body = cmd == "add" || cmd == "update";
  if (words.size() != (needs_id ? 3U : 2U)) {
    return Usage{cmd + (needs_id ? " needs KIND ID" : " needs KIND only")};
  }
  if (needs_body != body.has_value()) {
    return Usage{needs_body ? cmd + " needs --file F or --json '{...}'"
                            : cmd + " takes no --file or --json"};
  }
  c.target = "/api/v1/" + *plural + (needs_id ? "/" + words[2] : "");
  if (cmd == "add") {
    c.method = "POST";
  } else if (cmd == "update") {
    c.method = "PUT";
  } else if (cmd == "deactivate") {
    c.method = "POST";
    c.target += "/deactivate";
  } else {
    c.method = "GET";
  }
  if (body) {
    c.body = *body;
  }
  return c;
}

}  // namespace aware::awarectl
