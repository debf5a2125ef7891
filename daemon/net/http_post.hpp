// http_post.hpp — one plain-HTTP POST with a deadline (the case-worker webhook).
// THREAD SAFETY: a coroutine on the caller's executor.
#pragma once

#include <chrono>
#include <string>

#include <tl/expected.hpp>

#include "core/config.hpp"
#include "net/asio.hpp"

namespace aware::netio {

// POSTs `body` (application/json) to `url` and returns the response status, or what went wrong
// (connect refused, timeout, malformed reply). The whole exchange must finish within
// `timeout`. Never throws.
awaitable<tl::expected<int, std::string>> http_post(core::HttpUrl url, std::string body,
                                                    std::chrono::seconds timeout);

}  // namespace aware::netio
