// audit_commands.cpp — see audit_commands.hpp.
#include "audit_commands.hpp"

#include <charconv>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "text_table.hpp"

namespace aware::awarectl {
namespace {

constexpr std::int64_t kMaxLimit = 1000;   // awared's limit on ?limit
constexpr std::size_t kMaxFilter = 256;    // awared's limit on ?actor, ?action, ?subject

// A whole number in [low, high] making up all of `text`.
std::optional<std::int64_t> number(const std::string& text, std::int64_t low,
                                   std::int64_t high) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n < low ||
      n > high) {
    return std::nullopt;
  }
  return n;
}

// "ID:HASH": a row id of 1 or more and 64 lowercase hex digits (awared checks it again).
bool is_anchor(const std::string& text) {
  constexpr std::size_t kHexDigits = 64;
  const auto colon = text.find(':');
  if (colon == std::string::npos || !number(text.substr(0, colon), 1, INT64_MAX) ||
      text.size() - colon - 1 != kHexDigits) {
    return false;
  }
  return text.find_first_not_of("0123456789abcdef", colon + 1) == std::string::npos;
}

}  // namespace

bool is_audit_value_option(std::string_view option) {
  return option == "--after" || option == "--before" || option == "--limit" ||
         option == "--actor" || option == "--action" || option == "--subject" ||
         option == "--anchor";
}

bool is_audit_flag_option(std::string_view option) { return option == "--newest"; }

std::variant<Command, Usage> parse_audit(Command base, const std::vector<std::string>& words,
                                         const OptionMap& options, bool json_output) {
  const std::string sub = words.size() == 2 ? words[1] : "";
  if (sub != "list" && sub != "verify" && sub != "head") {
    return Usage{"audit needs list, verify or head"};
  }
  base.method = "GET";
  if (sub == "verify" || sub == "head") {
    base.target = "/api/v1/audit/verify";
    for (const auto& [option, value] : options) {
      if (option != "--anchor" || sub == "head") {
        return Usage{"audit " + sub + " takes no " + option};
      }
      if (!is_anchor(value)) {
        return Usage{"--anchor must be ID:HASH (a row id and the 64 hex digits of its hash)"};
      }
      base.target += "?anchor=" + value;
    }
    base.output = sub == "head"  ? Output::audit_head
                  : json_output ? Output::audit_verify_json
                                : Output::audit_verify;
    return base;
  }
  std::string query;
  const auto add = [&query](std::string_view name, const std::string& value) {
    query += query.empty() ? "?" : "&";
    query += name;
    query += '=';
    query += percent_encode(value);
  };
  for (const auto& [option, value] : options) {
    if (option == "--after" || option == "--before" || option == "--limit") {
      const bool limit = option == "--limit";
      const std::int64_t low = option == "--after" ? 0 : 1;
      if (!number(value, low, limit ? kMaxLimit : INT64_MAX)) {
        return Usage{limit ? "--limit must be 1.." + std::to_string(kMaxLimit)
                           : option + " must be a row id (" + std::to_string(low) + " or more)"};
      }
    } else if (option == "--actor" || option == "--action" || option == "--subject") {
      if (value.empty() || value.size() > kMaxFilter) {
        return Usage{option + " must be 1.." + std::to_string(kMaxFilter) + " bytes"};
      }
    } else if (option != "--newest") {
      return Usage{"audit list takes no " + option};
    }
    if (option == "--newest") {
      add("order", "newest");
    } else {
      add(std::string_view{option}.substr(2), value);
    }
  }
  base.target = "/api/v1/audit" + query;
  base.output = json_output ? Output::json : Output::audit_table;
  return base;
}

std::optional<std::string> audit_table(const std::string& body) {
  nlohmann::json doc;
  const auto* rows = object_list(body, "audit", doc);
  if (rows == nullptr) {
    return std::nullopt;
  }
  std::vector<TableRow> table{{"ID", "TIME (UTC)", "ACTOR", "ACTION", "SUBJECT", "JUSTIFICATION"}};
  for (const auto& r : *rows) {
    table.push_back({std::to_string(r.value("id", std::int64_t{0})), text_or_dash(r, "at"),
                     text_or_dash(r, "actor"), text_or_dash(r, "action"),
                     text_or_dash(r, "subject"), text_or_dash(r, "justification")});
  }
  return count_of(rows->size(), "audit row") + "\n" + render_rows(table);
}

AuditVerdictText audit_verdict_text(const std::string& body, bool json) {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("ok") || !j["ok"].is_boolean()) {
    return {"awarectl: unexpected answer: " + body + "\n", false};
  }
  const bool intact = j["ok"].get<bool>();
  if (json) {
    return {j.dump(2) + "\n", intact};
  }
  const auto rows = std::to_string(j.value("rows", std::int64_t{0}));
  if (intact) {
    const auto first = j.value("first_id", std::int64_t{1});
    const auto detail = j.value("detail", std::string{});
    return {"audit log intact: " + rows + " rows" +
                (first > 1 ? " (from row " + std::to_string(first) + "; older ones purged)" : "") +
                ", head " +
                (j.contains("head_id") ? std::to_string(j.value("head_id", std::int64_t{0})) + ":"
                                       : std::string{}) +
                j.value("head", std::string{"?"}) + "\n" + (detail.empty() ? "" : detail + "\n"),
            true};
  }
  return {"audit log BROKEN at row " + std::to_string(j.value("first_bad_id", std::int64_t{0})) +
              " (" + j.value("problem", std::string{"?"}) + "): " +
              j.value("detail", std::string{}) + "\n" + rows + " rows examined\n",
          false};
}

AuditVerdictText audit_head_text(const std::string& body) {
  auto verdict = audit_verdict_text(body, false);
  if (verdict.intact) {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    verdict.text = std::to_string(j.value("head_id", std::int64_t{0})) + ":" +
                   j.value("head", std::string{}) + "\n";
  }
  return verdict;
}

}  // namespace aware::awarectl
