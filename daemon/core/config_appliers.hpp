// config_appliers.hpp — internal to core/config*.cpp, not part of the core's interface: the
// "appliers" that check one TOML value and store it into a Config member. config.cpp binds them
// to the schema (sections_of()); config_appliers.cpp holds their definitions.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>
#include <toml++/toml.h>

#include "core/config.hpp"

namespace aware::core::config_detail {

// Checks one value node and stores it; returns what is wrong (in plain words) or nullopt.
using Applier = std::function<std::optional<std::string>(const toml::node&)>;

std::string type_name(const toml::node& node);

// Checks that `node` is a TOML integer (not a float, not a boolean) within [lo, hi].
tl::expected<std::int64_t, std::string> integer_value(const toml::node& node, std::int64_t lo,
                                                      std::int64_t hi, std::string_view unit);

Applier seconds_in(std::chrono::seconds& out, std::int64_t lo, std::int64_t hi);

// Float keys that also accept an integer (500 and 500.0 mean the same), within [lo, hi].
Applier number_in(double& out, double lo, double hi);

Applier boolean(bool& out);

// A string; `allow_empty` says whether "" is a value (e.g. "no CRL").
Applier string_value(std::string& out, bool allow_empty);

Applier non_empty_string(std::string& out);

Applier endpoint(Endpoint& out);

// A list of 1..64 distinct non-empty strings of at most 128 bytes (the close outcomes).
Applier outcome_list(std::vector<std::string>& out);

Applier webhook_url(std::string& out);

// The web console map's tile URL template (core/web_policy.hpp): "" or http(s) with {z}/{x}/{y}.
Applier tile_url(std::string& out);

// A listen address that may be switched off: "" = none, else "HOST:PORT" as endpoint() reads it.
Applier optional_endpoint(std::optional<Endpoint>& out);

Applier dc09_accounts(std::vector<Dc09Account>& out);

template <class T>
Applier integer_in(T& out, std::int64_t lo, std::int64_t hi) {
  return [&out, lo, hi](const toml::node& node) -> std::optional<std::string> {
    auto n = integer_value(node, lo, hi, "");
    if (!n) {
      return n.error();
    }
    out = static_cast<T>(*n);
    return std::nullopt;
  };
}

template <std::size_t N>
Applier one_of(std::string& out, const std::array<std::string_view, N>& allowed) {
  return [&out, &allowed](const toml::node& node) -> std::optional<std::string> {
    std::string want = "must be one of";
    for (std::size_t i = 0; i < N; ++i) {
      want += (i == 0 ? " " : ", ");
      want += allowed[i];
    }
    const auto* s = node.as_string();
    if (s == nullptr) {
      return want + " (got " + type_name(node) + ")";
    }
    for (auto a : allowed) {
      if (a == s->get()) {
        out = s->get();
        return std::nullopt;
      }
    }
    return want + " (got \"" + s->get() + "\")";
  };
}

}  // namespace aware::core::config_detail
