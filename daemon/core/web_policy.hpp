// web_policy.hpp — the web console's pure rules on the server side (issue 7): the tile server
// URL of [meldkamer] tile_url (validated; its origin is the one outside origin the page may
// load images from), the Content-Security-Policy of the static responses, and the Origin check
// on WebSocket upgrades and REST calls with a body. No I/O; unit-tested in tests/unit/web.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aware::core {

// Why `url` is no usable tile URL template, or nullopt when it is: "" (no tile server), or an
// http:// or https:// URL with a host, no user info, no query or fragment, at most 512 bytes,
// containing each of {z}, {x} and {y} once in its path (Leaflet's placeholders; {s} is not
// supported: one tile server, one origin for the CSP).
std::optional<std::string> tile_url_error(std::string_view url);

// The origin ("https://tiles.example:8443") of a valid tile URL; "" for "".
std::string tile_origin(std::string_view url);

// The Content-Security-Policy of every asset response: only the page's own origin, plus
// `tile_origin` (may be empty) for images (the map tiles).
std::string content_security_policy(std::string_view tile_origin);

// Whether a request's Origin header (`origin`, "" when absent) is acceptable: absent, or
// exactly the page's own origin — the scheme of the port ("https" with TLS, else "http") and
// the request's Host header. Compared case-insensitively (scheme and host are); a trailing
// slash or a path is not an origin and is refused.
bool origin_allowed(std::string_view origin, std::string_view host, bool tls);

}  // namespace aware::core
