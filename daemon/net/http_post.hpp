// http_post.hpp — one HTTP or HTTPS POST with a deadline (the case-worker webhook).
// THREAD SAFETY: a coroutine on the caller's executor.
#pragma once

#include <chrono>
#include <string>

#include <tl/expected.hpp>

#include "core/config.hpp"
#include "net/asio.hpp"
#include "net/tls.hpp"

namespace aware::netio {

// POSTs `body` (application/json) to `url` and returns the response status, or what went wrong
// (connect refused, certificate refused, timeout, malformed reply). An https `url` needs `tls`
// (client_tls_context()); the server's certificate must chain to its CAs and name the URL's
// address. The whole exchange, handshake included, must finish within `timeout`. Never throws.
awaitable<tl::expected<int, std::string>> http_post(core::HttpUrl url, ssl::context* tls,
                                                    std::string body,
                                                    std::chrono::seconds timeout);

}  // namespace aware::netio
