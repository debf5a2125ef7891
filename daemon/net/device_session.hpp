// device_session.hpp — one device connection: the read loop with deadlines, framing, protocol
// and the ack-after-commit rule, plus Commands queued from outside the read loop (send()).
// Created and tracked by DeviceServer.
//
// Over TLS the session first completes the handshake (within DeviceTls::handshake_timeout, the
// same watchdog deadline that bounds every read), then checks that the verified certificate
// names a registered device and binds that id to the protocol: only a Hello as that device is
// accepted. Each refusal is logged with its AWR code, the peer address and the reason.
//
// Writes: the read loop writes each reply (Ack after commit, Nack) itself; send() queues a
// Command in a small bounded outbox that a short-lived pusher coroutine drains. The Commands an
// activation causes for its own connection (START_TRACKING, TEST_CONFIRMED) are held while
// DeviceHandler::acked() runs and leave behind the Ack in the Ack's own write: one write (one
// TCP segment to a device on a mobile network) instead of two. A write gate
// (writing_ + gate_, a timer used as a condition variable) lets only one async_write run at a
// time, so frames never interleave on the socket. Each write must finish within frame_timeout:
// the watchdog enforces the earlier of that write deadline and the read side's, kept apart so
// that frames still arriving cannot lift the deadline of a write the device does not take.
// THREAD SAFETY: runs on the network thread only.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "ingest/device_protocol.hpp"
#include "net/asio.hpp"
#include "net/device_server.hpp"
#include "net/device_stream.hpp"
#include "wire/frame_decoder.hpp"

namespace aware::netio {

class DeviceSession : public std::enable_shared_from_this<DeviceSession> {
 public:
  DeviceSession(tcp::socket socket, const core::DeviceConfig& config, const DeviceTls& tls,
                DeviceHandler& handler, DeviceServer& server);
  ~DeviceSession();

  // Runs the session until the peer leaves, a deadline passes, or close() is called.
  awaitable<void> run();
  // Closes the socket; the read loop then ends.
  void close();
  // Ends the session once the frame in hand (if any) is stored and acked.
  void drain();
  // Queues a framed ServerMessage to write after the replies in progress. False (frame
  // dropped) when the connection is closed or kMaxOutbox frames are already waiting.
  bool send(std::string frame);

  static constexpr std::size_t kMaxOutbox = 16;     // Commands waiting at most

 private:
  using clock = std::chrono::steady_clock;

  awaitable<void> watchdog();                       // closes the socket when deadline() passes
  awaitable<bool> authenticate();                   // TLS handshake + certificate; false = refused
  void refused_tls(const std::string& subject, const std::string& why);  // audits a refusal
  awaitable<bool> handle(ingest::Action action);    // false = end the session
  awaitable<bool> write(const std::string& frame);  // false on error or timeout; one at a time
  awaitable<void> push_outbox();                    // writes the outbox until it is empty
  void arm(std::chrono::seconds within);            // sets the read deadline
  void set_deadline(clock::time_point at);          // the read deadline; see rearm_if_earlier()
  void rearm_if_earlier();                          // re-arms the timer only for an earlier deadline()
  // The earlier of the read and the write deadline: what the watchdog enforces.
  [[nodiscard]] clock::time_point deadline() const {
    return std::min(read_deadline_, write_deadline_);
  }
  [[nodiscard]] std::string who() const;            // peer and device, for logs

  DeviceStream stream_;                             // TLS over TCP, or plain TCP
  tcp::socket& socket_;                             // the TCP socket underneath stream_
  const core::DeviceConfig& config_;
  std::chrono::seconds handshake_timeout_;          // [tls] handshake_timeout
  TlsRefusals* refusals_;                           // audits refused connections (may be null)
  DeviceHandler& handler_;
  DeviceServer& server_;
  net::steady_timer timer_;                         // fires at or before deadline()
  // Kept apart, so that neither side's deadline can lift the other's: the read side's (the
  // handshake, the Hello, a frame begun, idleness; none while a frame is handled) and the write
  // in progress (frame_timeout; none between writes) — a device that stops reading its replies
  // is closed even while its frames keep the read side busy.
  clock::time_point read_deadline_ = clock::time_point::max();
  clock::time_point write_deadline_ = clock::time_point::max();
  clock::time_point hello_deadline_;               // a valid Hello must arrive before this
  clock::time_point frame_deadline_;               // the frame in progress must be complete by this
  bool timed_out_ = false;                          // the watchdog closed the socket
  bool write_timed_out_ = false;                    // ... because a write did not finish in time
  bool handshaking_ = false;                        // in authenticate(): the watchdog cancels
  bool handshake_cancelled_ = false;                // ... once, then closes
  bool busy_ = false;                               // handling frames (store/ack in flight)
  bool draining_ = false;                           // end after the frames in hand
  wire::FrameDecoder decoder_;
  ingest::DeviceProtocol protocol_;
  std::string peer_;                                // "ip:port" of the device
  std::string bound_id_;                            // device id bound in the server ("" = none)
  net::steady_timer gate_;                          // write gate: cancelled when a write ends
  bool writing_ = false;                            // an async_write is in progress
  std::deque<std::string> outbox_;                  // queued Commands, oldest first
  bool holding_ = false;                            // in acked(): send() holds frames for the Ack
  std::vector<std::string> behind_ack_;             // ... here, written right behind the Ack
  bool pushing_ = false;                            // push_outbox() is running
};

}  // namespace aware::netio
