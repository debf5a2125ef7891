// ws_bearer.hpp — the browser's way to sign in on a WebSocket (issue 7, docs/web-console.md).
//
// A browser cannot set an Authorization header on a WebSocket upgrade; it can only offer
// subprotocols. The web console offers "awared.v1" and "awared.bearer.<token>"; awared takes
// the token from the second, admits it like "Authorization: Bearer <token>", and answers with
// the fixed subprotocol "awared.v1", so the token is never echoed. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace aware::netio {

// The subprotocol awared answers with when a bearer offer was accepted.
inline constexpr std::string_view kConsoleSubprotocol = "awared.v1";
// The prefix of the offer that carries the token.
inline constexpr std::string_view kBearerSubprotocolPrefix = "awared.bearer.";

// What a Sec-WebSocket-Protocol header offers.
struct BearerOffer {
  std::string token;        // "" when no awared.bearer.* entry was offered
  bool offers_v1 = false;   // "awared.v1" was among the offers
};

// Parses a Sec-WebSocket-Protocol header value (comma-separated tokens, optional spaces).
// An error (for a 400) when the header is malformed: more than one bearer entry, an empty
// token, a token longer than 256 bytes, or a bearer entry without "awared.v1" beside it.
tl::expected<BearerOffer, std::string> parse_bearer_offer(std::string_view header);

// The Authorization value the upgrade is admitted with: the header when there is one (it wins),
// else "Bearer <token>" from the offer, else "".
std::string effective_authorization(std::string_view authorization_header,
                                    const BearerOffer& offer);

}  // namespace aware::netio
