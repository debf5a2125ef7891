// console_probe.cpp — see console_probe.hpp.
#include "console_probe.hpp"

#include <sys/socket.h>

#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace aware::bench::e2e {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

// The text of the first `"key":"…"` after `from`, or "".
std::string_view string_field(std::string_view json, std::string_view key, std::size_t from) {
  const auto at = json.find(key, from);
  if (at == std::string_view::npos) {
    return {};
  }
  const auto start = at + key.size();
  const auto end = json.find('"', start);
  return end == std::string_view::npos ? std::string_view{} : json.substr(start, end - start);
}

// The number after the first `"key":` after `from`, or 0.
std::uint64_t number_field(std::string_view json, std::string_view key, std::size_t from) {
  auto at = json.find(key, from);
  if (at == std::string_view::npos) {
    return 0;
  }
  std::uint64_t n = 0;
  for (at += key.size(); at < json.size() && json[at] >= '0' && json[at] <= '9'; ++at) {
    n = n * 10 + static_cast<std::uint64_t>(json[at] - '0');
  }
  return n;
}

}  // namespace

struct ConsoleProbe::Impl {
  asio::io_context io;
  websocket::stream<asio::ip::tcp::socket> ws{io};
};

ConsoleProbe::ConsoleProbe(std::uint16_t port, const std::string& token, const DeviceLoad& load)
    : load_{load}, shown_(static_cast<std::size_t>(load.devices())), impl_{std::make_unique<Impl>()} {
  auto& ws = impl_->ws;
  ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
  ws.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
    req.set(http::field::authorization, "Bearer " + token);
  }));
  ws.read_message_max(64U << 20);
  ws.handshake("127.0.0.1:" + std::to_string(port), "/ws/meldkamer");
  boost::beast::flat_buffer first;
  ws.read(first);  // the snapshot: the console is attached from here on
  first.clear();
  fd_ = ws.next_layer().native_handle();
  thread_ = std::thread{[this] { run(); }};
}

ConsoleProbe::~ConsoleProbe() {
  ::shutdown(fd_, SHUT_RDWR);  // ends the blocked read
  thread_.join();
}

void ConsoleProbe::run() {
  boost::beast::flat_buffer buffer;
  boost::system::error_code ec;
  for (;;) {
    buffer.clear();
    impl_->ws.read(buffer, ec);
    const auto received = now_ns();
    if (ec) {
      break;
    }
    const auto text = boost::beast::buffers_to_string(buffer.data());
    const auto update = text.find("\"update\"");
    if (update == std::string::npos) {
      continue;
    }
    const auto device = load_.device_index(string_field(text, "\"deviceId\":\"", update));
    const auto count = number_field(text, "\"activationCount\":", update);
    const auto sent = load_.sent_ns(device, count);
    std::lock_guard lock{mutex_};
    ++result_.updates;
    // Later updates of the same count (delivered, accepted, …) are not a new activation's push.
    if (sent > 0 && count > shown_[static_cast<std::size_t>(device)]) {
      shown_[static_cast<std::size_t>(device)] = count;
      result_.push_ns.push_back(received - sent);
    }
    changed_.notify_all();
  }
  std::lock_guard lock{mutex_};
  done_ = true;
  changed_.notify_all();
}

ProbeResult ConsoleProbe::wait(std::uint64_t activations, std::chrono::milliseconds within) {
  std::unique_lock lock{mutex_};
  changed_.wait_for(lock, within, [&] { return done_ || result_.push_ns.size() >= activations; });
  return result_;
}

}  // namespace aware::bench::e2e
