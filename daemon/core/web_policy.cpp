// web_policy.cpp — see web_policy.hpp.
#include "core/web_policy.hpp"

#include <algorithm>
#include <cctype>

namespace aware::core {
namespace {

constexpr std::size_t kMaxTileUrl = 512;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Length of the "http://" or "https://" prefix, or 0.
std::size_t scheme_length(std::string_view url) {
  const auto l = lower(url.substr(0, 8));
  if (l.rfind("https://", 0) == 0) {
    return 8;
  }
  return l.rfind("http://", 0) == 0 ? 7 : 0;
}

std::size_t count_of(std::string_view s, std::string_view what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string_view::npos; at = s.find(what, at + 1)) {
    ++n;
  }
  return n;
}

bool host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == ':' ||
         c == '[' || c == ']';
}

}  // namespace

std::optional<std::string> tile_url_error(std::string_view url) {
  if (url.empty()) {
    return std::nullopt;
  }
  if (url.size() > kMaxTileUrl) {
    return "at most " + std::to_string(kMaxTileUrl) + " bytes";
  }
  const auto scheme = scheme_length(url);
  if (scheme == 0) {
    return "must start with https:// or http://";
  }
  const auto slash = url.find('/', scheme);
  const auto authority = url.substr(scheme, slash == std::string_view::npos ? url.npos
                                                                              : slash - scheme);
  if (authority.empty() || !std::all_of(authority.begin(), authority.end(), host_char)) {
    return "needs a host name (no user name, no spaces)";
  }
  if (url.find_first_of("?# \t\"'\\") != std::string_view::npos) {
    return "no query, fragment, spaces or quotes";
  }
  if (slash == std::string_view::npos) {
    return "needs a path with {z}, {x} and {y}";
  }
  const auto path = url.substr(slash);
  for (const std::string_view p : {"{z}", "{x}", "{y}"}) {
    if (count_of(path, p) != 1) {
      return "the path must contain each of {z}, {x} and {y} once";
    }
  }
  return std::nullopt;
}

std::string tile_origin(std::string_view url) {
  if (url.empty() || tile_url_error(url)) {
    return {};
  }
  const auto scheme = scheme_length(url);
  const auto slash = url.find('/', scheme);
  return lower(url.substr(0, slash));
}

std::string content_security_policy(std::string_view tile_origin) {
  std::string img = "img-src 'self' data:";
  if (!tile_origin.empty()) {
    img += " ";
    img += tile_origin;
  }
  return "default-src 'self'; " + img +
         "; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
         "object-src 'none'";
}

bool origin_allowed(std::string_view origin, std::string_view host, bool tls) {
  if (origin.empty()) {
    return true;
  }
  if (host.empty()) {
    return false;
  }
  const std::string expected = std::string(tls ? "https://" : "http://") + lower(host);
  return lower(origin) == expected;
}

}  // namespace aware::core
