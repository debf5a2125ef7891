// time_text.hpp — times as people and the registry write them (UTC). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace aware::core {

// "2026-11-26T05:02:01.123Z".
std::string iso_utc(TimeMs ms);
// "2026-11-26": the UTC date of `ms`.
std::string iso_date_utc(TimeMs ms);
// Days since 1970-01-01 of an ISO date "YYYY-MM-DD"; nullopt when it is not one.
std::optional<std::int64_t> iso_date_days(std::string_view date);
// The ISO date `months` calendar months after `date` (the day clamped to the month's length);
// nullopt when `date` is not an ISO date.
std::optional<std::string> add_months(std::string_view date, int months);

}  // namespace aware::core
