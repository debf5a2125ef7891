// location.hpp — the [X] longitude and [Y] latitude of DC-09 extended data, read in the forms
// transmitters write and normalised to WGS84 decimal degrees (GPS positions are WGS84 already;
// only the notation differs). The raw text is always kept.
//
// Accepted forms of one coordinate (hemisphere letter N/S/E/W before or after, or a sign):
//   decimal degrees          52.370216   -4.895168   N52.370216   4.895168E
//   degrees + decimal minutes   N52 22.213   E4°53.710   N52°22.213'
//   packed degrees+minutes   N5222.213 / 5222.213N (DDMM.mmm), E00453.710 (DDDMM.mmm); only with
//                            a hemisphere letter and at least 4 (lat) / 5 (lon) integer digits
//   integer micro-degrees    52370216   4895168   -4895168   (an integer too large for degrees)
// A value outside ±90 / ±180 after reading, a letter of the wrong axis, or anything else is
// rejected (the raw text stays). Pure; no state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aware::dc09 {

enum class Axis { latitude, longitude };

// One coordinate in decimal degrees (south and west negative), or nullopt.
std::optional<double> parse_coordinate(std::string_view text, Axis axis);

struct Location {
  std::string raw_x;            // the [X] value as received (empty if absent)
  std::string raw_y;            // the [Y] value as received (empty if absent)
  std::optional<double> lon;    // WGS84 degrees, when [X] was readable
  std::optional<double> lat;    // WGS84 degrees, when [Y] was readable
  // Both present and readable: the position can be used.
  [[nodiscard]] bool valid() const { return lat.has_value() && lon.has_value(); }
};

// Reads a location from the raw [X] and [Y] values (either may be empty).
Location read_location(std::string_view raw_x, std::string_view raw_y);

}  // namespace aware::dc09
