// listener.hpp — what the device and console servers share: binding a listening socket and an
// accept loop that survives transient accept errors (such as running out of descriptors).
// THREAD SAFETY: network thread only.
#pragma once

#include <functional>
#include <string_view>

#include "core/config.hpp"
#include "net/asio.hpp"

namespace aware::netio {

// Opens, binds and listens on `endpoint`. Throws boost::system::system_error on failure.
void listen_on(tcp::acceptor& acceptor, const core::Endpoint& endpoint);

// Accepts until the acceptor is closed (or `*stopping` is set), handing each socket to
// `on_accept`. A failed accept is logged with `error_id` and retried after 100 ms.
awaitable<void> accept_loop(tcp::acceptor& acceptor, const bool* stopping,
                            std::function<void(tcp::socket)> on_accept, std::string_view error_id);

// Logs an exception that ended a spawned session (with `id`), for co_spawn completion handlers.
std::function<void(std::exception_ptr)> log_session_error(std::string_view logger,
                                                          std::string_view id);

}  // namespace aware::netio
