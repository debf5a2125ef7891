// device_stream.hpp — the byte stream of one device connection: mutual TLS 1.3 over TCP, or
// plain TCP when [tls] insecure_dev turns TLS off. DeviceSession reads and writes through it
// on one code path whichever mode the server runs in.
//
// Error policy: every operation reports through the error_code it is given; nothing throws
// except on allocation failure. Deadlines are the caller's: a watchdog that calls close()
// ends any operation in progress with operation_aborted.
// THREAD SAFETY: network thread only. One read and one write may be in progress at the same
// time (ssl::stream allows that); never two reads or two writes.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>

#include "net/asio.hpp"
#include "net/tls.hpp"

namespace aware::netio {

class DeviceStream {
 public:
  // `tls` nullptr: plain TCP. Otherwise the server's device context (shared, read-only).
  DeviceStream(tcp::socket socket, std::shared_ptr<ssl::context> tls);

  [[nodiscard]] bool tls() const { return tls_.has_value(); }
  // The TCP socket underneath (for the peer address, options, is_open, close).
  tcp::socket& socket() { return tls_ ? tls_->next_layer() : plain_; }
  // The OpenSSL handle of the TLS session; nullptr over plain TCP.
  SSL* native_handle() { return tls_ ? tls_->native_handle() : nullptr; }

  // The server side of the TLS handshake; does nothing over plain TCP.
  awaitable<void> handshake(boost::system::error_code& ec);
  // Reads some bytes into `buffer`; returns how many.
  awaitable<std::size_t> read_some(net::mutable_buffer buffer, boost::system::error_code& ec);
  // Writes all of `buffer`.
  awaitable<void> write(net::const_buffer buffer, boost::system::error_code& ec);
  // Shuts the TCP connection down and closes it, without a TLS close_notify (that would be one
  // more write to a peer that may not read).
  void close();

 private:
  std::shared_ptr<ssl::context> context_;        // kept alive while tls_ uses it
  tcp::socket plain_;                            // the connection over plain TCP (else unused)
  std::optional<ssl::stream<tcp::socket>> tls_;  // the connection over TLS
};

}  // namespace aware::netio
