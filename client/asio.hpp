// asio.hpp — the one place the meldkamer client includes Asio and Beast.
//
// <utility> must come first: on GCC 12 with Boost 1.74 some Asio headers use std::exchange and
// friends without including it. Everything else in client/ that does network I/O includes this
// header instead of Boost directly, and spells the namespace `net::`. Stays within Boost 1.74:
// co_spawn, awaitable, use_awaitable, redirect_error, steady_timer, signal_set — no as_tuple,
// no awaitable operators, no cancel_after.
#pragma once

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace aware::console {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

}  // namespace aware::console
