// beast.hpp — Boost.Beast (HTTP and WebSocket), reached only through here and net/asio.hpp.
#pragma once

#include "net/asio.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace beast = boost::beast;
