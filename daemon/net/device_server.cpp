// device_server.cpp — accept loop and session bookkeeping for device connections.
#include "net/device_server.hpp"

#include "core/log.hpp"
#include "net/device_session.hpp"
#include "net/listener.hpp"

namespace aware::netio {

DeviceServer::DeviceServer(net::io_context& io, const core::DeviceConfig& config,
                           DeviceHandler& handler, DeviceTls tls)
    : io_{io}, config_{config}, handler_{handler}, tls_{std::move(tls)}, acceptor_{io} {}

DeviceServer::~DeviceServer() = default;

void DeviceServer::start() {
  listen_on(acceptor_, config_.listen);
  net::co_spawn(io_, accept_loop(acceptor_, &stopping_, [this](tcp::socket s) { adopt(std::move(s)); },
                                 "AWR-5001 device", tls_.pacer.get(), "device"),
                net::detached);
}

void DeviceServer::stop() {
  stopping_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  const auto sessions = sessions_;  // close() may end sessions and change the set
  for (auto* s : sessions) {
    s->drain();
  }
}

bool DeviceServer::send_to_device(const std::string& device_id, std::string frame) {
  auto it = by_device_.find(device_id);
  return it != by_device_.end() && it->second->send(std::move(frame));
}

void DeviceServer::bind(const std::string& previous_id, const std::string& device_id,
                        DeviceSession* session) {
  if (auto it = by_device_.find(previous_id); it != by_device_.end() && it->second == session) {
    by_device_.erase(it);
  }
  by_device_.insert_or_assign(device_id, session);
}

void DeviceServer::forget(DeviceSession* session, const std::string& device_id) {
  sessions_.erase(session);
  if (auto it = by_device_.find(device_id); it != by_device_.end() && it->second == session) {
    by_device_.erase(it);
  }
}

void DeviceServer::adopt(tcp::socket socket) {
  if (sessions_.size() >= config_.max_connections) {
    core::log("net")->warn("AWR-5002 refusing a device connection: {} connections open",
                           sessions_.size());
    return;  // the socket closes as it goes out of scope
  }
  boost::system::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  // A fixed send buffer (the kernel doubles it for its bookkeeping): room for the replies to
  // hundreds of frames in flight, also over TLS, and a device that stops reading them stalls a
  // write within it — then frame_timeout closes it — not after megabytes of unread Acks.
  bound_send_buffer(socket);
  auto session = std::make_shared<DeviceSession>(std::move(socket), config_, tls_, handler_,
                                                 *this);
  sessions_.insert(session.get());
  net::co_spawn(io_, [session] { return session->run(); },
                log_session_error("ingest", "AWR-2099 device"));
}

}  // namespace aware::netio
