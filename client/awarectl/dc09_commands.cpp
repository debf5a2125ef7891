// dc09_commands.cpp — see dc09_commands.hpp.
#include "dc09_commands.hpp"

#include <nlohmann/json.hpp>

namespace aware::awarectl {
namespace {

bool account_ok(const std::string& account) {
  return !account.empty() && account.size() <= 16 &&
         account.find_first_not_of("0123456789ABCDEFabcdef") == std::string::npos;
}

}  // namespace

std::variant<Command, Usage> parse_dc09(Command c, const std::vector<std::string>& words,
                                        bool json_output) {
  const std::string sub = words.size() > 1 ? words[1] : "";
  if (sub == "list") {
    if (words.size() != 2) {
      return Usage{"dc09 list takes nothing more"};
    }
    c.method = "GET";
    c.target = "/api/v1/dc09-accounts";
    return c;
  }
  if (sub != "link" && sub != "unlink") {
    return Usage{"dc09 needs link ACCOUNT DEVICE, unlink ACCOUNT or list"};
  }
  if (json_output) {
    return Usage{"dc09 " + sub + " takes no --json"};
  }
  if (sub == "link" ? words.size() != 4 : words.size() != 3) {
    return Usage{sub == "link" ? "dc09 link needs ACCOUNT DEVICE" : "dc09 unlink needs ACCOUNT"};
  }
  if (!account_ok(words[2])) {
    return Usage{"dc09 " + sub + ": ACCOUNT must be 1 to 16 hex digits (got '" + words[2] + "')"};
  }
  if (sub == "unlink") {
    c.method = "POST";
    c.target = "/api/v1/dc09-accounts/" + words[2] + "/unlink";
    return c;
  }
  if (words[3].empty() || words[3].size() > 128) {
    return Usage{"dc09 link: DEVICE must be a device id of 1 to 128 characters"};
  }
  c.method = "PUT";
  c.target = "/api/v1/dc09-accounts/" + words[2];
  c.body = InlineBody{nlohmann::json{{"device_id", words[3]}}.dump()};
  return c;
}

}  // namespace aware::awarectl
