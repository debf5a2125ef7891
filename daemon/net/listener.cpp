// listener.cpp — see listener.hpp.
#include "net/listener.hpp"

#include <string>
#include <utility>

#include "core/log.hpp"

namespace aware::netio {

void listen_on(tcp::acceptor& acceptor, const core::Endpoint& endpoint) {
  const tcp::endpoint ep{net::ip::make_address(endpoint.host), endpoint.port};
  acceptor.open(ep.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(ep);
  acceptor.listen(net::socket_base::max_listen_connections);
}

AcceptPacer::AcceptPacer(std::string listener, std::uint32_t per_second)
    : listener_{std::move(listener)}, per_second_{per_second}, pace_{per_second, per_second} {}

std::chrono::steady_clock::duration AcceptPacer::turn() {
  const auto now = std::chrono::steady_clock::now();
  const auto wait = pace_.take(now);
  if (wait == std::chrono::steady_clock::duration::zero()) {
    return wait;
  }
  ++waits_;
  if (!logged_ || now - logged_at_ >= std::chrono::minutes{1}) {
    core::log("net")->warn("AWR-5050 new {} connections arrive faster than [tls] handshakes_per_s "
                           "= {}: they wait in the listen queue ({} waits so far)",
                           listener_, per_second_, waits_);
    logged_ = true;
    logged_at_ = now;
  }
  return wait;
}

awaitable<void> accept_loop(tcp::acceptor& acceptor, const bool* stopping,
                            std::function<void(tcp::socket)> on_accept, std::string_view error_id,
                            AcceptPacer* pacer) {
  const std::string id{error_id};
  while (!*stopping) {
    boost::system::error_code ec;
    for (auto wait = pacer ? pacer->turn() : std::chrono::steady_clock::duration::zero();
         wait > std::chrono::steady_clock::duration::zero() && !*stopping;
         wait = pacer->turn()) {
      net::steady_timer turn{acceptor.get_executor(), wait};
      co_await turn.async_wait(net::redirect_error(use_awaitable, ec));
    }
    if (*stopping) {
      break;
    }
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
