// asio.hpp — the one header through which awared reaches Boost.Asio and Boost.Beast.
//
// <utility> must come before any Asio header on GCC 12 with Boost 1.74. Only the features of
// Boost 1.74's Asio are used: co_spawn, awaitable, use_awaitable, redirect_error, strands,
// steady_timer and posix::stream_descriptor (no as_tuple, no awaitable operators, no cancel_after).
#pragma once

#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace net = boost::asio;

namespace aware::netio {
using tcp = boost::asio::ip::tcp;
using boost::asio::awaitable;
using boost::asio::use_awaitable;
}  // namespace aware::netio
