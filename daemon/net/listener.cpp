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

AcceptPacer::AcceptPacer(std::uint32_t per_second)
    : per_second_{per_second}, pace_{per_second, per_second / 20} {}

std::chrono::steady_clock::duration AcceptPacer::next_turn() {
  return pace_.take(std::chrono::steady_clock::now());
}

void AcceptPacer::waited(std::string_view listener) {
  ++waits_;
  const auto now = std::chrono::steady_clock::now();
  if (!logged_ || now - logged_at_ >= std::chrono::minutes{1}) {
    core::log("net")->warn("AWR-5050 new TLS connections arrive faster than [tls] "
                           "handshakes_per_s = {}: they wait in the listen queue (now on the {} "
                           "port; {} waits so far)",
                           per_second_, listener, waits_);
    logged_ = true;
    logged_at_ = now;
  }
}

awaitable<void> accept_loop(tcp::acceptor& acceptor, const bool* stopping,
                            std::function<void(tcp::socket)> on_accept, std::string_view error_id,
                            AcceptPacer* pacer, std::string_view listener) {
  const std::string id{error_id};
  const std::string paced_as{listener};
  while (!*stopping) {
    boost::system::error_code ec;
    bool waited = false;
    if (pacer != nullptr) {
      // A turn is taken only for a connection that is there: first wait until one is queued.
      co_await acceptor.async_wait(tcp::acceptor::wait_read,
                                   net::redirect_error(use_awaitable, ec));
      if (*stopping) {
        break;  // the servers may be going away: touch nothing more
      }
      for (auto wait = pacer->next_turn();
           !*stopping && wait > std::chrono::steady_clock::duration::zero();
           wait = pacer->next_turn()) {
        waited = true;
        net::steady_timer turn{acceptor.get_executor(), wait};
        co_await turn.async_wait(net::redirect_error(use_awaitable, ec));
        if (*stopping) {
          break;  // the servers may be going away: touch nothing more
        }
      }
    }
    if (*stopping) {
      break;
    }
    if (waited) {
      pacer->waited(paced_as);
    }
    tcp::socket socket = co_await acceptor.async_accept(net::redirect_error(use_awaitable, ec));
    if (*stopping) {
      // Accepted just as the server stopped (the completion was already queued when stop()
      // closed the acceptor): a session started now would miss stop()'s drain and hold the
      // shutdown up. The socket closes unanswered; the peer reconnects to the next awared.
      break;
    }
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

void bound_send_buffer(tcp::socket& socket) {
  constexpr int kReplySendBuffer = 32 * 1024;
  boost::system::error_code ec;
  socket.set_option(net::socket_base::send_buffer_size(kReplySendBuffer), ec);
}

void reset_on_close(tcp::socket& socket) {
  boost::system::error_code ec;
  socket.set_option(net::socket_base::linger(true, 0), ec);
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
