// config_address.cpp — the network addresses of the config (see config.hpp): "HOST:PORT"
// endpoints with numeric hosts, the webhook's "http://HOST:PORT/PATH", and the loopback test
// that [tls] insecure_dev needs. Pure; split from config.cpp, which applies them to the schema.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <charconv>
#include <string>

#include "core/config.hpp"

namespace aware::core {

std::optional<std::string> parse_endpoint(std::string_view text, Endpoint& out) {
  const std::string format = "must be \"HOST:PORT\" with a numeric address, e.g. "
                             "\"127.0.0.1:7400\" or \"[::1]:7400\"";
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return format;
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  int family = AF_INET;
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') {
      return format;
    }
    host = host.substr(1, host.size() - 2);
    family = AF_INET6;
  } else if (host.find(':') != std::string_view::npos) {
    return format + " (an IPv6 address needs brackets)";
  }
  const std::string host_str(host);
  std::array<unsigned char, sizeof(in6_addr)> buf{};
  if (inet_pton(family, host_str.c_str(), buf.data()) != 1) {
    return "host \"" + host_str + "\" is not a numeric " + (family == AF_INET ? "IPv4" : "IPv6") +
           " address (host names are not resolved)";
  }
  unsigned port = 0;
  const char* end = port_text.data() + port_text.size();
  auto [p, ec] = std::from_chars(port_text.data(), end, port);
  if (port_text.empty() || ec != std::errc{} || p != end || port > 65535) {
    return "port must be an integer between 0 and 65535";
  }
  out.host = host_str;
  out.port = static_cast<std::uint16_t>(port);
  return std::nullopt;
}

tl::expected<HttpUrl, std::string> parse_http_url(std::string_view text) {
  constexpr std::string_view plain = "http://";
  constexpr std::string_view secure = "https://";
  const std::string format =
      "must be \"https://HOST:PORT/PATH\" or \"http://HOST:PORT/PATH\" with a numeric address";
  HttpUrl url;
  if (text.starts_with(secure)) {
    url.tls = true;
    text.remove_prefix(secure.size());
  } else if (text.starts_with(plain)) {
    text.remove_prefix(plain.size());
  } else {
    return tl::make_unexpected(format);
  }
  const auto slash = text.find('/');
  if (slash != std::string_view::npos) {
    url.path = std::string(text.substr(slash));
    text = text.substr(0, slash);
  }
  if (auto bad = parse_endpoint(text, url.endpoint)) {
    return tl::make_unexpected(*bad);
  }
  if (url.endpoint.port == 0) {
    return tl::make_unexpected(std::string("port must not be 0"));
  }
  for (char ch : url.path) {
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f) {
      return tl::make_unexpected(std::string("the path must not contain spaces or control characters"));
    }
  }
  return url;
}

bool is_loopback(std::string_view host) {
  const std::string text(host);
  std::array<unsigned char, sizeof(in6_addr)> buf{};
  if (inet_pton(AF_INET, text.c_str(), buf.data()) == 1) {
    return buf[0] == 127;
  }
  return inet_pton(AF_INET6, text.c_str(), buf.data()) == 1 &&
         IN6_IS_ADDR_LOOPBACK(reinterpret_cast<const in6_addr*>(buf.data()));
}

}  // namespace aware::core
