// percent.cpp — see percent.hpp.
#include "core/percent.hpp"

#include "core/digits.hpp"

namespace aware::core {

std::optional<std::string> percent_decode(std::string_view in, Plus plus) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+' && plus == Plus::space) {
      c = ' ';
    } else if (c == '%') {
      if (in.size() - i < 3) {  // '%' and two hex digits
        return std::nullopt;
      }
      const int hi = hex_digit(in[i + 1]);
      const int lo = hex_digit(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return std::nullopt;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace aware::core
