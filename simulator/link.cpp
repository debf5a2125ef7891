// link.cpp — deadline-bounded connect/send/read on one TCP connection (see link.hpp).
// Deadlines use the Boost 1.74 idiom: a steady_timer whose handler cancels the socket. A
// generation counter makes a timer that fired just as the operation completed harmless.
#include "link.hpp"

namespace aware::sim {

std::shared_ptr<link> link::create(net::any_io_executor executor,
                                   std::shared_ptr<ssl::context> tls) {
  return std::shared_ptr<link>(new link(std::move(executor), std::move(tls)));
}

link::link(net::any_io_executor executor, std::shared_ptr<ssl::context> tls)
    : socket_(executor), tls_(std::move(tls)), resolver_(executor), timer_(executor) {}

void link::arm(steady_clock::time_point deadline) {
  ++generation_;
  timed_out_ = false;
  timer_.expires_at(deadline);
  timer_.async_wait([self = shared_from_this(), generation = generation_](error_code ec) {
    if (ec || generation != self->generation_) {
      return;
    }
    self->timed_out_ = true;
    error_code ignored;
    self->socket().cancel(ignored);
    self->resolver_.cancel();
  });
}

void link::disarm() {
  ++generation_;
  timer_.cancel();
}

net::awaitable<error_code> link::connect(const std::string& host, const std::string& port,
                                         steady_clock::time_point deadline) {
  close();
  error_code ec;
  arm(deadline);
  auto endpoints =
      co_await resolver_.async_resolve(host, port, net::redirect_error(net::use_awaitable, ec));
  if (!ec && !timed_out_) {
    co_await net::async_connect(socket_, endpoints, net::redirect_error(net::use_awaitable, ec));
  }
  if (!ec && !timed_out_ && tls_) {
    stream_ = std::make_unique<ssl::stream<tcp::socket>>(std::move(socket_), *tls_);
    socket_ = tcp::socket(stream_->get_executor());
    expect_server_name(*stream_, host);
    co_await stream_->async_handshake(ssl::stream_base::client,
                                      net::redirect_error(net::use_awaitable, ec));
  }
  const bool expired = timed_out_;
  disarm();
  if (expired) {
    ec = net::error::timed_out;
  }
  if (ec) {
    close();
    co_return ec;
  }
  error_code ignored;
  socket().set_option(tcp::no_delay(true), ignored);
  co_return ec;
}

net::awaitable<error_code> link::send(std::string bytes, steady_clock::time_point deadline) {
  error_code ec;
  arm(deadline);
  if (stream_) {
    co_await net::async_write(*stream_, net::buffer(bytes),
                              net::redirect_error(net::use_awaitable, ec));
  } else {
    co_await net::async_write(socket_, net::buffer(bytes),
                              net::redirect_error(net::use_awaitable, ec));
  }
  const bool expired = timed_out_;
  disarm();
  if (ec && expired) {
    ec = net::error::timed_out;
  }
  co_return ec;
}

// Contract: see header. Loops read_some -> decoder until one frame is complete, the deadline
// passes, wake() is called, or the connection fails.
net::awaitable<read_result> link::read(steady_clock::time_point deadline) {
  read_result result;
  for (;;) {
    switch (decoder_.next(result.message)) {
      case decode_status::frame:
        result.what = read_result::status::message;
        co_return result;
      case decode_status::too_large:
        result.error = "server frame larger than the cap";
        co_return result;
      case decode_status::bad_frame:
        result.error = "malformed server frame";
        co_return result;
      case decode_status::need_more:
        break;
    }
    if (wake_requested_) {
      wake_requested_ = false;
      result.what = read_result::status::woken;
      co_return result;
    }
    if (steady_clock::now() >= deadline) {
      result.what = read_result::status::timed_out;
      co_return result;
    }
    error_code ec;
    arm(deadline);
    reading_ = true;
    std::size_t size = 0;
    if (stream_) {
      size = co_await stream_->async_read_some(net::buffer(buffer_),
                                               net::redirect_error(net::use_awaitable, ec));
    } else {
      size = co_await socket_.async_read_some(net::buffer(buffer_),
                                              net::redirect_error(net::use_awaitable, ec));
    }
    reading_ = false;
    const bool expired = timed_out_;
    disarm();
    decoder_.feed(buffer_.data(), size);
    if (!ec) {
      continue;
    }
    if (ec == net::error::operation_aborted && wake_requested_) {
      continue;  // reported at the top of the loop, after any complete frame
    }
    if (expired) {
      result.what = read_result::status::timed_out;
    } else {
      result.error = ec == net::error::eof || ec == ssl::error::stream_truncated
                         ? std::string("connection closed by server")
                         : ec.message();
    }
    co_return result;
  }
}

void link::wake() {
  wake_requested_ = true;
  if (reading_) {
    error_code ignored;
    socket().cancel(ignored);
  }
}

void link::close() {
  error_code ignored;
  socket_.close(ignored);
  if (stream_) {
    stream_->next_layer().close(ignored);
    stream_.reset();
  }
  decoder_.reset();
}

}  // namespace aware::sim
