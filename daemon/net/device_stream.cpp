// device_stream.cpp — see device_stream.hpp.
#include "net/device_stream.hpp"

namespace aware::netio {

DeviceStream::DeviceStream(tcp::socket socket, std::shared_ptr<ssl::context> tls)
    : context_{std::move(tls)}, plain_{socket.get_executor()} {
  if (context_) {
    tls_.emplace(std::move(socket), *context_);
  } else {
    plain_ = std::move(socket);
  }
}

awaitable<void> DeviceStream::handshake(boost::system::error_code& ec) {
  if (tls_) {
    co_await tls_->async_handshake(ssl::stream_base::server,
                                   net::redirect_error(use_awaitable, ec));
  }
}

awaitable<std::size_t> DeviceStream::read_some(net::mutable_buffer buffer,
                                               boost::system::error_code& ec) {
  std::size_t n = 0;
  if (tls_) {
    n = co_await tls_->async_read_some(buffer, net::redirect_error(use_awaitable, ec));
  } else {
    n = co_await plain_.async_read_some(buffer, net::redirect_error(use_awaitable, ec));
  }
  co_return n;
}

awaitable<void> DeviceStream::write(net::const_buffer buffer, boost::system::error_code& ec) {
  if (tls_) {
    co_await net::async_write(*tls_, buffer, net::redirect_error(use_awaitable, ec));
  } else {
    co_await net::async_write(plain_, buffer, net::redirect_error(use_awaitable, ec));
  }
}

void DeviceStream::close() {
  boost::system::error_code ec;
  socket().shutdown(tcp::socket::shutdown_both, ec);
  socket().close(ec);
}

}  // namespace aware::netio
