// fields.cpp — see fields.hpp.
#include "registry/fields.hpp"

#include <algorithm>
#include <array>

namespace aware::registry::detail {
namespace {

std::string type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    case json::value_t::null: return "null";
    default: return "something else";
  }
}

bool id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == ':' || c == '-';
}

}  // namespace

void fail(std::string field, std::string message, ErrorKind kind) {
  throw Problem{Error{kind, std::move(field), std::move(message)}};
}

std::string join(std::string_view path, std::string_view key) {
  if (path.empty()) {
    return std::string(key);
  }
  return std::string(path) + "." + std::string(key);
}

std::string index(std::string_view path, std::size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

void check_id(const std::string& id, const std::string& field) {
  if (id.empty() || id.size() > 64 || !std::all_of(id.begin(), id.end(), id_char)) {
    fail(field, "must be 1 to 64 characters of A-Z a-z 0-9 . _ : -");
  }
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return false;
  }
  int parts[3] = {0, 0, 0};
  const std::array<std::pair<std::size_t, std::size_t>, 3> spans{{{0, 4}, {5, 2}, {8, 2}}};
  for (std::size_t p = 0; p < 3; ++p) {
    for (std::size_t i = 0; i < spans[p].second; ++i) {
      const char c = s[spans[p].first + i];
      if (c < '0' || c > '9') {
        return false;
      }
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  const int y = parts[0];
  const int m = parts[1];
  const int d = parts[2];
  if (m < 1 || m > 12 || d < 1) {
    return false;
  }
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int days = kDays.at(static_cast<std::size_t>(m - 1)) + (m == 2 && leap ? 1 : 0);
  return d <= days;
}

Fields::Fields(const json& value, std::string path, std::initializer_list<std::string_view> known)
    : value_{value}, path_{std::move(path)} {
  if (!value_.is_object()) {
    fail(path_.empty() ? "body" : path_, "must be a JSON object (got " + type_name(value_) + ")");
  }
  for (const auto& [key, member] : value_.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      fail(join(path_, key), "unknown field");
    }
  }
}

const json* Fields::raw(std::string_view key) const {
  const auto it = value_.find(std::string(key));
  return it == value_.end() || it->is_null() ? nullptr : &*it;
}

std::string Fields::text(std::string_view key, bool required, std::size_t max_len) const {
  const json* v = raw(key);
  if (v == nullptr) {
    if (required) {
      fail(path(key), "is required");
    }
    return {};
  }
  if (!v->is_string()) {
    fail(path(key), "must be a string (got " + type_name(*v) + ")");
  }
  auto s = v->get<std::string>();
  if (required && s.empty()) {
    fail(path(key), "must not be empty");
  }
  if (s.size() > max_len) {
    fail(path(key), "must be at most " + std::to_string(max_len) + " characters");
  }
  return s;
}

std::string Fields::id(std::string_view key, bool required) const {
  auto s = text(key, required, kMaxText);  // the id rule below gives the clearer message
  if (!s.empty()) {
    check_id(s, path(key));
  }
  return s;
}

std::optional<double> Fields::number(std::string_view key, bool required) const {
  const json* v = raw(key);
  if (v == nullptr) {
    if (required) {
      fail(path(key), "is required");
    }
    return std::nullopt;
  }
  if (!v->is_number()) {
    fail(path(key), "must be a number (got " + type_name(*v) + ")");
  }
  return v->get<double>();
}

bool Fields::flag(std::string_view key, bool fallback) const {
  const json* v = raw(key);
  if (v == nullptr) {
    return fallback;
  }
  if (!v->is_boolean()) {
    fail(path(key), "must be true or false (got " + type_name(*v) + ")");
  }
  return v->get<bool>();
}

std::vector<std::string> Fields::strings(std::string_view key, std::size_t max_items,
                                         std::size_t max_len) const {
  const json* v = raw(key);
  if (v == nullptr) {
    return {};
  }
  if (!v->is_array()) {
    fail(path(key), "must be an array of strings (got " + type_name(*v) + ")");
  }
  if (v->size() > max_items) {
    fail(path(key), "must have at most " + std::to_string(max_items) + " entries");
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    if (!item.is_string() || item.get_ref<const std::string&>().empty() ||
        item.get_ref<const std::string&>().size() > max_len) {
      fail(index(path(key), i),
           "must be a non-empty string of at most " + std::to_string(max_len) + " characters");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace aware::registry::detail
