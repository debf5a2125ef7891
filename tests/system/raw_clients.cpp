// raw_clients.cpp — see raw_clients.hpp.
#include <utility>  // first: GCC 12 + Boost 1.74

#include "raw_clients.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "webhook_serve.hpp"

namespace aware::systest {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
namespace http = boost::beast::http;

// Reads on `fd` fail with EAGAIN once kWait passes without data.
void set_read_deadline(int fd) {
  timeval tv{static_cast<time_t>(kWait.count()), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

}  // namespace

struct WebhookReceiver::Impl {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
};

WebhookReceiver::WebhookReceiver() : impl_{std::make_unique<Impl>()} {}
WebhookReceiver::~WebhookReceiver() = default;

std::uint16_t WebhookReceiver::port() const { return impl_->acceptor.local_endpoint().port(); }

std::optional<WebhookReceiver::Request> WebhookReceiver::next(unsigned status) {
  const int fd = accept_next();
  if (fd < 0) {
    return std::nullopt;
  }
  asio::ip::tcp::socket socket{impl_->io, asio::ip::tcp::v4(), fd};
  return serve_webhook(socket, status);
}

int WebhookReceiver::accept_next() {
  pollfd p{impl_->acceptor.native_handle(), POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(std::chrono::milliseconds(kWait).count())) != 1) {
    return -1;
  }
  asio::ip::tcp::socket socket{impl_->io};
  boost::system::error_code ec;
  impl_->acceptor.accept(socket, ec);
  if (ec) {
    return -1;
  }
  set_read_deadline(socket.native_handle());
  return socket.release();
}

struct Centralist::Impl {
  asio::io_context io;
  websocket::stream<asio::ip::tcp::socket> ws{io};
};

Centralist::Centralist(std::uint16_t port, std::string name, const std::string& target)
    : Centralist(port, name, target, token_for(port, user_for_target(name, target))) {}

Centralist::Centralist(std::uint16_t port, std::string name, const std::string& target,
                       const std::string& token)
    : name_{std::move(name)}, impl_{std::make_unique<Impl>()} {
  auto& ws = impl_->ws;
  ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
  set_read_deadline(ws.next_layer().native_handle());
  ws.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
    if (!token.empty()) {
      req.set(http::field::authorization, "Bearer " + token);
    }
  }));
  ws.handshake("127.0.0.1:" + std::to_string(port), target);
}

Centralist::~Centralist() = default;

bool Centralist::accept_and_close(const std::string& id, const std::string& outcome) {
  send(nlohmann::json{{"accept", {{"incidentId", id}, {"centralist", name_}}}});
  for (int frames = 0; frames < 100; ++frames) {
    const auto feed = next();
    if (!feed) {
      return false;
    }
    if (!feed->contains("update")) {
      continue;
    }
    const auto& incident = (*feed)["update"]["incident"];
    if (incident["id"] == id && incident["state"] == "INCIDENT_STATE_ACCEPTED" &&
        incident.value("acceptedBy", "") == name_) {
      send(nlohmann::json{{"close",
                           {{"incidentId", id},
                            {"centralist", name_},
                            {"outcome", outcome},
                            {"note", "systeemtest"}}}});
      return true;
    }
  }
  return false;
}

void Centralist::send(const nlohmann::json& request) {
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(request.dump()));
}

std::optional<nlohmann::json> Centralist::next() {
  boost::beast::flat_buffer buffer;
  boost::system::error_code ec;
  impl_->ws.read(buffer, ec);
  if (ec) {
    return std::nullopt;
  }
  return nlohmann::json::parse(boost::beast::buffers_to_string(buffer.data()), nullptr, false);
}

bool Centralist::ended_by_server() {
  for (int frames = 0; frames < 1000; ++frames) {
    boost::beast::flat_buffer buffer;
    boost::system::error_code ec;
    impl_->ws.read(buffer, ec);
    if (ec) {
      return ec != asio::error::would_block && ec != asio::error::try_again &&
             ec != asio::error::timed_out;
    }
  }
  return false;
}

std::optional<nlohmann::json> Centralist::wait_for(
    const std::function<bool(const nlohmann::json&)>& accept) {
  for (int frames = 0; frames < 100; ++frames) {
    auto feed = next();
    if (!feed || accept(*feed)) {
      return feed;
    }
  }
  return std::nullopt;
}

}  // namespace aware::systest
