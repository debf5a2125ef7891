// asio.hpp — the simulator's one door to Boost.Asio. Every simulator file that needs sockets,
// timers or coroutines includes this header instead of <boost/asio.hpp>, so the GCC 12 +
// Boost 1.74 work-around below lives in exactly one place.
//
// <utility> must come before <boost/asio.hpp>: Boost 1.74's coroutine support uses
// std::exchange without including it, which GCC 12's libstdc++ no longer pulls in transitively.
// Stay within Boost 1.74: co_spawn, awaitable, use_awaitable, redirect_error, steady_timer,
// signal_set. No as_tuple, no awaitable operators, no cancel_after.
#pragma once

#include <utility>

#include <boost/asio.hpp>

namespace net = boost::asio;

namespace aware::sim {

using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using steady_clock = std::chrono::steady_clock;

}  // namespace aware::sim
