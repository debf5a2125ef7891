// ws_bearer.cpp — see ws_bearer.hpp.
#include "net/ws_bearer.hpp"

namespace aware::netio {

namespace {

constexpr std::size_t kMaxToken = 256;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

tl::expected<BearerOffer, std::string> parse_bearer_offer(std::string_view header) {
  BearerOffer out;
  bool bearer_seen = false;
  std::size_t start = 0;
  while (start <= header.size()) {
    const auto comma = header.find(',', start);
    const auto item = trim(header.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (item == kConsoleSubprotocol) {
      out.offers_v1 = true;
    } else if (item.rfind(kBearerSubprotocolPrefix, 0) == 0) {
      if (bearer_seen) {
        return tl::make_unexpected(std::string("Sec-WebSocket-Protocol: more than one bearer"));
      }
      bearer_seen = true;
      const auto token = item.substr(kBearerSubprotocolPrefix.size());
      if (token.empty() || token.size() > kMaxToken) {
        return tl::make_unexpected(std::string("Sec-WebSocket-Protocol: bad bearer token"));
      }
      out.token = std::string(token);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  if (bearer_seen && !out.offers_v1) {
    return tl::make_unexpected(
        std::string("Sec-WebSocket-Protocol: a bearer needs awared.v1 offered too"));
  }
  return out;
}

std::string effective_authorization(std::string_view authorization_header,
                                    const BearerOffer& offer) {
  if (!authorization_header.empty()) {
    return std::string(authorization_header);
  }
  if (!offer.token.empty()) {
    return "Bearer " + offer.token;
  }
  return {};
}

}  // namespace aware::netio
