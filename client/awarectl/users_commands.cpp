// users_commands.cpp — see users_commands.hpp.
#include "users_commands.hpp"

#include <nlohmann/json.hpp>

namespace aware::awarectl {
namespace {

// "a,b" → ["a", "b"] (empty names dropped).
nlohmann::json name_list(const std::string& text) {
  auto out = nlohmann::json::array();
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    if (comma > start) {
      out.push_back(text.substr(start, comma - start));
    }
    start = comma + 1;
  }
  return out;
}

}  // namespace

bool is_users_value_option(std::string_view option) {
  return option == "--role" || option == "--regions" || option == "--organisation" ||
         option == "--clients";
}

bool is_users_flag_option(std::string_view option) {
  return option == "--password" || option == "--inactive" || option == "--active";
}

std::variant<Command, Usage> parse_users(Command c, const std::vector<std::string>& words,
                                         const OptionMap& options, bool json_output) {
  const std::string sub = words.size() > 1 ? words[1] : "";
  if (sub != "list" && sub != "set" && sub != "deactivate") {
    return Usage{"users needs list, set NAME --role ROLE … or deactivate NAME"};
  }
  if (json_output) {
    return Usage{"users " + sub + " takes no --json (it prints JSON)"};
  }
  for (const auto& [option, value] : options) {
    if (!is_users_value_option(option) && !is_users_flag_option(option)) {
      return Usage{"users takes no " + option};
    }
    if (sub != "set") {
      return Usage{"users " + sub + " takes no " + option};
    }
  }
  if (sub == "list") {
    if (words.size() != 2) {
      return Usage{"users list takes nothing more"};
    }
    c.method = "GET";
    c.target = "/api/v1/users";
    return c;
  }
  if (words.size() != 3 || words[2].empty() || words[2].size() > 128) {
    return Usage{"users " + sub + " needs NAME (1 to 128 bytes)"};
  }
  const auto& name = words[2];
  if (sub == "deactivate") {
    c.method = "POST";
    c.target = "/api/v1/users/" + percent_encode(name) + "/deactivate";
    return c;
  }
  const auto role = options.find("--role");
  if (role == options.end()) {
    return Usage{"users set needs --role centralist|pac_operator|hulpverlener|admin"};
  }
  if (options.count("--active") > 0 && options.count("--inactive") > 0) {
    return Usage{"users set takes --active or --inactive, not both"};
  }
  nlohmann::json body{{"role", role->second}};
  if (options.count("--active") > 0 || options.count("--inactive") > 0) {
    body["active"] = options.count("--active") > 0;  // else awared keeps the user's
  }
  if (const auto r = options.find("--regions"); r != options.end()) {
    body["regions"] = name_list(r->second);
  }
  if (const auto cl = options.find("--clients"); cl != options.end()) {
    body["clients"] = name_list(cl->second);
  }
  if (const auto o = options.find("--organisation"); o != options.end()) {
    body["organisation"] = o->second;
  }
  c.method = "PUT";
  c.target = "/api/v1/users/" + percent_encode(name);
  c.body = InlineBody{body.dump()};
  if (options.count("--password") > 0) {
    c.password_for = name;
  }
  return c;
}

}  // namespace aware::awarectl
