// text_table.hpp — the aligned plain-text tables awarectl prints instead of JSON (dossier,
// test list, alerts, devices, contracts), and the cell helpers they share. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace aware::awarectl {

using TableRow = std::vector<std::string>;

// One line per row; every column but the last padded to its widest cell, columns two spaces
// apart. Rows shorter than the first are padded with empty cells.
std::string render_rows(const std::vector<TableRow>& rows);

// A string field of `entry`, or "-" when it is missing, not a string or empty.
std::string text_or_dash(const nlohmann::json& entry, const char* key);

// "yes"/"no" for a boolean field (missing or not a boolean: "-").
std::string yes_no(const nlohmann::json& entry, const char* key);

// "1 alert", "2 alerts".
std::string count_of(std::size_t n, const std::string& noun);

// The array `key` of the JSON object `body`, every element an object; nullptr when `body` is
// not such a document. `doc` keeps the parsed document alive.
const nlohmann::json* object_list(const std::string& body, const char* key, nlohmann::json& doc);

}  // namespace aware::awarectl
