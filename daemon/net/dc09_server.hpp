// dc09_server.hpp — the SIA DC-09 receiver's sockets: a TCP listener (one FrameSplitter per
// connection, read deadlines, a bounded number of connections) and a UDP socket (one datagram =
// one message). Every frame body goes through the one dc09::Receiver (docs/dc09.md); a message
// it delivers is handed to the Dc09Handler to be stored durably, and only then is the reply
// (ACK) sent. When storing fails nothing is sent and Receiver::delivery_failed() is called, so
// the transmitter's retry is delivered again.
// A retransmission that arrives while the original is still being stored gets no answer (the
// original's ACK is not yet earned); the transmitter's next retry is acked as a duplicate.
// THREAD SAFETY: everything here runs on the io_context's single network thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "core/config.hpp"
#include "dc09/receiver.hpp"
#include "net/asio.hpp"
#include "net/device_server.hpp"

namespace aware::netio {

using udp = boost::asio::ip::udp;

// What the app made of one delivered DC-09 message.
struct Dc09Commit {
  bool ok = false;                              // durably stored (or nothing to store): ACK it
  std::optional<StoredActivation> activation;   // an activation to finish dispatching after
                                                // the ACK (consoles: see StoredActivation::shown)
  std::string error;                            // why it was not stored, when !ok
};

// Implemented by app/: stores what a delivered message means, then dispatches it.
class Dc09Handler {
 public:
  virtual ~Dc09Handler() = default;
  // Stores the delivered message `received` (from `peer`, "ip:port" and transport) durably.
  // Completes on the caller's executor.
  virtual awaitable<Dc09Commit> commit_dc09(const dc09::Received& received, std::string peer) = 0;
  // Called once the ACK was sent (or could not be written: it is stored all the same).
  virtual void dc09_acked(const Dc09Commit& commit) = 0;
  // Called for every frame handled, with the answer it got (for /metrics).
  virtual void count_dc09_reply(dc09::Reply reply) = 0;
};

class Dc09Session;

class Dc09Server {
 public:
  Dc09Server(net::io_context& io, const core::Dc09Config& config, dc09::Receiver& receiver,
             Dc09Handler& handler);
  ~Dc09Server();

  // Binds the configured TCP and UDP addresses; throws boost::system::system_error when one
  // cannot be bound.
  void start();
  // Stops listening and closes every connection (stores in flight still complete).
  void stop();

  [[nodiscard]] std::optional<tcp::endpoint> tcp_endpoint() const;
  [[nodiscard]] std::optional<udp::endpoint> udp_endpoint() const;
  [[nodiscard]] std::size_t connection_count() const { return sessions_.size(); }
  // Messages being stored, not yet answered (TCP and UDP).
  [[nodiscard]] std::size_t in_flight_count() const { return in_flight_.size(); }

  // One frame body from `peer`: the receiver's verdict, storing, and the reply to send (empty
  // for none), counted by its kind. The caller sends it, then calls finish().
  struct Handled {
    std::string reply;                  // bytes to send, empty for none
    dc09::Reply kind = dc09::Reply::none;  // verdict; counted as none if `reply` is empty
    bool readable = true;               // false: dropped unread (bad CRC, malformed, undecryptable)
    std::optional<Dc09Commit> commit;   // stored: dispatched by finish()
  };
  awaitable<Handled> handle(std::string body, std::string peer);
  // After the reply of a stored message was sent (or failed): dispatch it.
  void finish(const Handled& handled);
  // A frame or datagram dropped before handle() (oversize, not a whole frame, too many
  // datagrams in hand): counted as answered with none.
  void count_dropped();

  void forget(Dc09Session* session) { sessions_.erase(session); }
  [[nodiscard]] const core::Dc09Config& config() const { return config_; }

 private:
  awaitable<Handled> decide(std::string body, std::string peer);  // handle() before counting
  void adopt(tcp::socket socket);
  awaitable<void> udp_loop();
  awaitable<void> udp_one(std::string datagram, udp::endpoint from);

  net::io_context& io_;
  const core::Dc09Config& config_;
  dc09::Receiver& receiver_;
  Dc09Handler& handler_;
  tcp::acceptor acceptor_;
  udp::socket udp_;
  std::set<Dc09Session*> sessions_;
  std::set<std::pair<std::string, int>> in_flight_;  // (account, sequence) being stored
  std::size_t udp_in_flight_ = 0;                    // datagrams being handled
  bool stopping_ = false;
};

// Datagrams handled at once; more are dropped unanswered (the transmitter retries).
inline constexpr std::size_t kMaxDc09UdpInFlight = 256;

}  // namespace aware::netio
