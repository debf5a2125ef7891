// listener.hpp — what the device and console servers share: binding a listening socket and an
// accept loop that survives transient accept errors (such as running out of descriptors).
// THREAD SAFETY: network thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "core/pace.hpp"
#include "net/asio.hpp"

namespace aware::netio {

// Opens, binds and listens on `endpoint`. Throws boost::system::system_error on failure.
void listen_on(tcp::acceptor& acceptor, const core::Endpoint& endpoint);

// Paces the accepts of the TLS listeners ([tls] handshakes_per_s), one pace shared by both:
// every accepted connection starts a handshake that costs the network thread public-key work,
// so a flood of them could take it from the sessions already open (non-negotiable 1).
// Connections beyond the pace are not accepted yet: they wait in the kernel's listen queue,
// where they cost awared nothing. The burst after a quiet spell is 1/20 of a second's worth.
class AcceptPacer {
 public:
  explicit AcceptPacer(std::uint32_t per_second);

  // Zero: accept now (the turn is taken). Else how long until a turn is due (nothing taken).
  std::chrono::steady_clock::duration next_turn();
  // A connection on `listener` ("device", "meldkamer") was accepted after waiting for its
  // turn: counted, and logged at most once a minute (AWR-5050).
  void waited(std::string_view listener);
  // Connections that had to wait for their turn, since start (GET /metrics).
  [[nodiscard]] std::uint64_t waits() const { return waits_; }

 private:
  std::uint32_t per_second_;
  core::Pace pace_;
  std::uint64_t waits_ = 0;
  bool logged_ = false;                                  // AWR-5050 logged at logged_at_
  std::chrono::steady_clock::time_point logged_at_{};
};

// Told of every TLS connection a listener refused — the handshake failed or timed out, or the
// device certificate names no registered device — so that it is audited like any refused
// request (the daemon queues the row; core::RefusalQueue bounds a flood). `listener` names the
// port ("device", "meldkamer"), `subject` the device id a CA-signed certificate named (empty when
// none is known). Network thread; must not block.
class TlsRefusals {
 public:
  virtual ~TlsRefusals() = default;
  virtual void tls_refused(std::string_view listener, const std::string& peer,
                           const std::string& subject, const std::string& why) = 0;
};

// Accepts until the acceptor is closed (or `*stopping` is set), handing each socket to
// `on_accept` (never once `*stopping` is set, even one accepted before it was). With a
// `pacer`, the loop first waits until a connection is queued, then for its turn, then accepts
// it (`listener` names the port for AcceptPacer::waited). A failed accept is logged with
// `error_id` and retried after 100 ms.
awaitable<void> accept_loop(tcp::acceptor& acceptor, const bool* stopping,
                            std::function<void(tcp::socket)> on_accept, std::string_view error_id,
                            AcceptPacer* pacer = nullptr, std::string_view listener = {});

// For a peer that gets small replies (a device, a DC-09 transmitter): a fixed send buffer of
// 32 KiB instead of the kernel's autotuning (up to 4 MiB), so a peer that stops reading its
// replies stalls a write within that many bytes — and the write deadline closes it — instead of
// after megabytes of unread replies. Errors are ignored (the kernel's default then stands).
void bound_send_buffer(tcp::socket& socket);

// Makes the next close of `socket` a reset (SO_LINGER 0) instead of a FIN queued behind bytes
// the peer does not read: the peer learns at once, and the kernel frees the connection's
// buffers. For a connection closed because its peer stopped taking what awared writes.
void reset_on_close(tcp::socket& socket);

// Logs an exception that ended a spawned session (with `id`), for co_spawn completion handlers.
std::function<void(std::exception_ptr)> log_session_error(std::string_view logger,
                                                          std::string_view id);

}  // namespace aware::netio
