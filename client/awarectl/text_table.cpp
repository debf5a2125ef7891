// text_table.cpp — see text_table.hpp.
#include "text_table.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace aware::awarectl {

std::string render_rows(const std::vector<TableRow>& rows) {
  const std::size_t columns = rows.empty() ? 0 : rows.front().size();
  std::vector<std::size_t> width(columns, 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < columns && c < row.size(); ++c) {
      width[c] = std::max(width[c], row[c].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string cell = c < row.size() ? row[c] : std::string{};
      line += cell;
      if (c + 1 < columns) {
        line += std::string(width[c] - cell.size() + 2, ' ');
      }
    }
    out += line + "\n";
  }
  return out;
}

std::string text_or_dash(const nlohmann::json& entry, const char* key) {
  const auto it = entry.find(key);
  if (it == entry.end() || !it->is_string() || it->get<std::string>().empty()) {
    return "-";
  }
  return it->get<std::string>();
}

std::string yes_no(const nlohmann::json& entry, const char* key) {
  const auto it = entry.find(key);
  if (it == entry.end() || !it->is_boolean()) {
    return "-";
  }
  return it->get<bool>() ? "yes" : "no";
}

std::string count_of(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

const nlohmann::json* object_list(const std::string& body, const char* key, nlohmann::json& doc) {
  doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return nullptr;
  }
  const auto it = doc.find(key);
  if (it == doc.end() || !it->is_array()) {
    return nullptr;
  }
  for (const auto& e : *it) {
    if (!e.is_object()) {
      return nullptr;
    }
  }
  return &*it;
}

}  // namespace aware::awarectl
