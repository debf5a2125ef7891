// listener.cpp — see listener.hpp.
#include "net/listener.hpp"

#include <string>

#include "core/log.hpp"

namespace aware::netio {

void listen_on(tcp::acceptor& acceptor, const core::Endpoint& endpoint) {
  const tcp::endpoint ep{net::ip::make_address(endpoint.host), endpoint.port};
  acceptor.open(ep.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(ep);
  acceptor.listen(net::socket_base::max_listen_connections);
}

awaitable<void> accept_loop(tcp::acceptor& acceptor, const bool* stopping,
                            std::function<void(tcp::socket)> on_accept,
                            std::string_view error_id) {
  const std::string id{error_id};
  while (!*stopping) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(net::redirect_error(use_awaitable, ec));
    if (ec) {
      if (*stopping || ec == net::error::operation_aborted || !acceptor.is_open()) {
        break;
      }
      core::log("net")->error("{} accept failed: {}", id, ec.message());
      net::steady_timer pause{acceptor.get_executor(), std::chrono::milliseconds(100)};
      co_await pause.async_wait(net::redirect_error(use_awaitable, ec));
      continue;
    }
    on_accept(std::move(socket));
  }
}

std::function<void(std::exception_ptr)> log_session_error(std::string_view logger,
                                                          std::string_view id) {
  return [logger = std::string(logger), id = std::string(id)](const std::exception_ptr& e) {
    if (!e) {
      return;
    }
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      core::log(logger)->error("{} session ended by an error: {}", id, ex.what());
    }
  };
}

}  // namespace aware::netio
