// supervision_commands.cpp — see supervision_commands.hpp.
#include "supervision_commands.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

namespace aware::awarectl {
namespace {

constexpr std::array<std::string_view, 6> kValueOptions{"--minutes", "--reason", "--by",
                                                        "--ending-within", "--until", "--on"};
constexpr std::size_t kMaxBy = 128;       // awared's limit on "by"
constexpr std::size_t kMaxReason = 256;   // awared's limit on "reason"
constexpr int kMaxWindowMinutes = 1440;  // awared's limit on "minutes"
constexpr int kMaxDays = 3650;           // awared's limit on ending_within_days

// An id that can stand as one path segment as it is.
bool valid_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::none_of(id.begin(), id.end(), [](char ch) {
    return ch == '/' || ch == '?' || ch == '#' || ch == '%' ||
           static_cast<unsigned char>(ch) <= ' ' || ch == '\x7f';
  });
}

// A whole number in [low, high] making up all of `text`.
std::optional<int> whole_number(std::string_view text, int low, int high) {
  int n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n < low ||
      n > high) {
    return std::nullopt;
  }
  return n;
}

// A calendar date written YYYY-MM-DD.
bool valid_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  const auto y = whole_number(text.substr(0, 4), 1, 9999);
  const auto m = whole_number(text.substr(5, 2), 1, 12);
  const auto d = whole_number(text.substr(8, 2), 1, 31);
  return y && m && d &&
         std::chrono::year_month_day{std::chrono::year{*y},
                                     std::chrono::month{static_cast<unsigned>(*m)},
                                     std::chrono::day{static_cast<unsigned>(*d)}}
             .ok();
}

// A usage error naming the first option `name` does not take, if any.
std::optional<Usage> unexpected_option(const std::string& name, const OptionMap& options,
                                       const std::vector<std::string_view>& allowed) {
  for (const auto& [option, value] : options) {
    if (std::find(allowed.begin(), allowed.end(), option) == allowed.end()) {
      return Usage{name + " takes no " + option};
    }
  }
  return std::nullopt;
}

// The option's value, or nullopt when it was not given.
std::optional<std::string> option(const OptionMap& options, const std::string& name) {
  const auto it = options.find(name);
  return it == options.end() ? std::nullopt : std::optional<std::string>{it->second};
}

// Who does it: --by, else the user from the environment.
std::variant<std::string, Usage> by_of(const OptionMap& options, const Defaults& defaults) {
  auto by = option(options, "--by").value_or(defaults.user);
  if (by.empty() || by.size() > kMaxBy) {
    return Usage{"--by must be a name of 1 to " + std::to_string(kMaxBy) + " bytes"};
  }
  return by;
}

std::variant<Command, Usage> test_command(Command c, const std::vector<std::string>& words,
                                          const OptionMap& options, bool json_output,
                                          const Defaults& defaults) {
  const std::string sub = words.size() > 1 ? words[1] : "";
  if (sub == "list") {
    if (words.size() != 2) {
      return Usage{"test list takes no arguments"};
    }
    if (auto bad = unexpected_option("test list", options, {})) {
      return *bad;
    }
    c.method = "GET";
    c.target = "/api/v1/test-windows";
    c.output = json_output ? Output::json : Output::test_windows_table;
    return c;
  }
  if (sub != "start" && sub != "stop") {
    return Usage{"test needs start DEVICE, stop DEVICE or list"};
  }
  const auto name = "test " + sub;
  if (words.size() != 3 || !valid_id(words[2])) {
    return Usage{name + " needs one DEVICE id"};
  }
  if (json_output) {
    return Usage{name + " takes no --json (it prints the window as JSON)"};
  }
  const auto allowed = sub == "start"
                           ? std::vector<std::string_view>{"--minutes", "--reason", "--by"}
                           : std::vector<std::string_view>{"--by"};
  if (auto bad = unexpected_option(name, options, allowed)) {
    return *bad;
  }
  auto by = by_of(options, defaults);
  if (const auto* usage = std::get_if<Usage>(&by)) {
    return *usage;
  }
  nlohmann::json body{{"by", std::get<std::string>(by)}};
  c.method = "POST";
  c.target = "/api/v1/devices/" + words[2] + "/test-window";
  if (sub == "stop") {
    c.target += "/stop";
  } else {
    const auto minutes = whole_number(option(options, "--minutes").value_or(""), 1,
                                      kMaxWindowMinutes);
    if (!minutes) {
      return Usage{"test start needs --minutes 1.." + std::to_string(kMaxWindowMinutes)};
    }
    const auto reason = option(options, "--reason").value_or("");
    if (reason.empty() || reason.size() > kMaxReason) {
      return Usage{"test start needs --reason TEXT (1 to " + std::to_string(kMaxReason) +
                   " bytes)"};
    }
    body["minutes"] = *minutes;
    body["reason"] = reason;
  }
  c.body = InlineBody{body.dump()};
  return c;
}

std::variant<Command, Usage> contracts_command(Command c, const std::vector<std::string>& words,
                                               const OptionMap& options, bool json_output,
                                               const Defaults& defaults) {
  if (words.size() == 1) {
    if (auto bad = unexpected_option("contracts", options, {"--ending-within"})) {
      return *bad;
    }
    c.method = "GET";
    c.target = "/api/v1/contracts";
    if (auto within = option(options, "--ending-within")) {
      std::string_view days{*within};
      if (!days.empty() && days.back() == 'd') {
        days.remove_suffix(1);
      }
      const auto n = whole_number(days, 0, kMaxDays);
      if (!n) {
        return Usage{"--ending-within must be a number of days 0.." + std::to_string(kMaxDays) +
                     ", like 14 or 14d (got \"" + *within + "\")"};
      }
      c.target += "?ending_within_days=" + std::to_string(*n);
    }
    c.output = json_output ? Output::json : Output::contracts_table;
    return c;
  }
  const auto& sub = words[1];
  if (sub != "extend" && sub != "end") {
    return Usage{"contracts takes extend AOP, end AOP or no argument (unknown \"" + sub + "\")"};
  }
  const auto name = "contracts " + sub;
  if (words.size() != 3 || !valid_id(words[2])) {
    return Usage{name + " needs one AOP id"};
  }
  if (json_output) {
    return Usage{name + " takes no --json (it prints the answer as JSON)"};
  }
  const auto* date_option = sub == "extend" ? "--until" : "--on";
  if (auto bad = unexpected_option(name, options, {date_option, "--by"})) {
    return *bad;
  }
  const auto date = sub == "extend" ? option(options, date_option)
                                    : option(options, date_option).value_or(defaults.today);
  if (!date || !valid_date(*date)) {
    return Usage{name + " needs " + date_option + " YYYY-MM-DD" +
                 (date ? " (got \"" + *date + "\")" : std::string{})};
  }
  auto by = by_of(options, defaults);
  if (const auto* usage = std::get_if<Usage>(&by)) {
    return *usage;
  }
  c.method = "PUT";
  c.target = "/api/v1/aops/" + words[2] + "/contract";
  c.body = InlineBody{
      nlohmann::json{{"valid_until", *date}, {"by", std::get<std::string>(by)}}.dump()};
  return c;
}

}  // namespace

bool is_supervision_value_option(std::string_view option) {
  return std::find(kValueOptions.begin(), kValueOptions.end(), option) != kValueOptions.end();
}

bool is_supervision_flag_option(std::string_view option) { return option == "--stale"; }

bool is_supervision_command(std::string_view word) {
  return word == "test" || word == "alerts" || word == "devices" || word == "contracts";
}

std::variant<Command, Usage> parse_supervision(Command base, const std::vector<std::string>& words,
                                               const OptionMap& options, bool json_output,
                                               const Defaults& defaults) {
  const auto& cmd = words.at(0);
  if (cmd == "test") {
    return test_command(std::move(base), words, options, json_output, defaults);
  }
  if (cmd == "contracts") {
    return contracts_command(std::move(base), words, options, json_output, defaults);
  }
  if (words.size() != 1) {
    return Usage{cmd + " takes no arguments"};
  }
  const auto allowed = cmd == "devices" ? std::vector<std::string_view>{"--stale"}
                                        : std::vector<std::string_view>{};
  if (auto bad = unexpected_option(cmd, options, allowed)) {
    return *bad;
  }
  base.method = "GET";
  if (cmd == "alerts") {
    base.target = "/api/v1/alerts";
    base.output = json_output ? Output::json : Output::alerts_table;
  } else {
    base.target = options.count("--stale") != 0 ? "/api/v1/device-status?stale=1"
                                                : "/api/v1/device-status";
    base.output = json_output ? Output::json : Output::devices_table;
  }
  return base;
}

}  // namespace aware::awarectl
