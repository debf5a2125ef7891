// tls_device.hpp — a small synchronous TLS device client for the device-link security tests
// (issue 6): one blocking loopback socket with send and receive timeouts (every wait has a
// deadline), OpenSSL on top, and the device protocol's varint-delimited frames. It can offer a
// client certificate or none, cap the TLS version (a TLS 1.2-only ClientHello), and report what
// the server's TLS session allowed (session tickets, resumption, early data).
// Header-only: only the system tests use it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "device.pb.h"
#include "harness.hpp"

namespace aware::systest {

struct TlsDeviceOptions {
  std::string ca;                       // trust anchor for awared's certificate (PEM)
  std::string cert;                     // client certificate (PEM); "" = offer none
  std::string key;                      // its private key (PEM)
  int max_version = TLS1_3_VERSION;     // TLS1_2_VERSION: a TLS 1.2-only ClientHello
  SSL_SESSION* resume = nullptr;        // offer this session for resumption (not owned)
};

class TlsDevice {
 public:
  // Connects to 127.0.0.1:port (TCP only; handshake() does TLS).
  TlsDevice(std::uint16_t port, const TlsDeviceOptions& options) {
    std::signal(SIGPIPE, SIG_IGN);  // OpenSSL writes with send() without MSG_NOSIGNAL
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (ctx_ == nullptr) {
      throw std::runtime_error("SSL_CTX_new failed");
    }
    SSL_CTX_set_max_proto_version(ctx_, options.max_version);
    SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_load_verify_locations(ctx_, options.ca.c_str(), nullptr) != 1) {
      throw std::runtime_error("cannot load CA " + options.ca);
    }
    if (!options.cert.empty() &&
        (SSL_CTX_use_certificate_chain_file(ctx_, options.cert.c_str()) != 1 ||
         SSL_CTX_use_PrivateKey_file(ctx_, options.key.c_str(), SSL_FILETYPE_PEM) != 1)) {
      throw std::runtime_error("cannot load client certificate " + options.cert);
    }
    // Count the session tickets the server sends (it should send none).
    SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL);
    SSL_CTX_sess_set_new_cb(ctx_, [](SSL* s, SSL_SESSION*) {
      auto* self = static_cast<TlsDevice*>(SSL_get_app_data(s));
      ++self->tickets_;
      return 0;  // not kept
    });
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{static_cast<time_t>(kWait.count()), 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("cannot connect to the device port");
    }
    ssl_ = SSL_new(ctx_);
    SSL_set_app_data(ssl_, this);
    SSL_set_fd(ssl_, fd_);
    SSL_set1_host(ssl_, nullptr);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
    if (options.resume != nullptr) {
      SSL_set_session(ssl_, options.resume);
    }
  }
  ~TlsDevice() {
    if (ssl_ != nullptr) {
      SSL_free(ssl_);
    }
    if (fd_ >= 0) {
      ::close(fd_);
    }
    SSL_CTX_free(ctx_);
  }
  TlsDevice(const TlsDevice&) = delete;
  TlsDevice& operator=(const TlsDevice&) = delete;

  // Writes raw bytes on the TCP socket, before or instead of TLS.
  void send_raw(const std::string& bytes) {
    (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  }

  // The client side of the handshake. False (with error() saying why) when it failed. Over
  // TLS 1.3 the server judges the client certificate after the client finished, so a refused
  // certificate may only show on the first read.
  bool handshake() {
    ERR_clear_error();
    if (SSL_connect(ssl_) == 1) {
      return true;
    }
    error_ = last_error();
    return false;
  }

  // Sends one device message as a varint-delimited frame; false when the write failed.
  bool send(const v1::DeviceMessage& m) {
    const auto body = m.SerializeAsString();
    std::string out;
    for (auto v = body.size();;) {
      const auto low = static_cast<char>(v & 0x7fU);
      v >>= 7;
      out.push_back(v != 0 ? static_cast<char>(low | 0x80) : low);
      if (v == 0) {
        break;
      }
    }
    out += body;
    ERR_clear_error();
    return SSL_write(ssl_, out.data(), static_cast<int>(out.size())) ==
           static_cast<int>(out.size());
  }
  bool hello(const std::string& id) {
    v1::DeviceMessage m;
    m.mutable_hello()->set_device_id(id);
    m.mutable_hello()->set_protocol_version(1);
    m.mutable_hello()->set_boot_epoch(1);
    return send(m);
  }
  bool press(std::uint64_t seq) {
    v1::DeviceMessage m;
    m.mutable_activation()->set_seq(seq);
    m.mutable_activation()->set_trigger(v1::TRIGGER_ALARM);
    m.mutable_activation()->mutable_fix()->set_lat(52.0908);
    m.mutable_activation()->mutable_fix()->set_lon(5.1215);
    m.mutable_activation()->mutable_fix()->set_source(v1::FIX_SOURCE_GPS);
    return send(m);
  }

  // The next ServerMessage; nullopt when the connection ended (closed_ is then set) or the
  // receive timeout passed.
  std::optional<v1::ServerMessage> next() {
    for (;;) {
      if (auto frame = take_frame()) {
        v1::ServerMessage reply;
        if (!reply.ParseFromString(*frame)) {
          return std::nullopt;
        }
        return reply;
      }
      char buf[4096];
      ERR_clear_error();
      const int n = SSL_read(ssl_, buf, sizeof buf);
      if (n > 0) {
        buffered_.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      const int err = SSL_get_error(ssl_, n);
      const bool timed_out = err == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK);
      closed_ = !timed_out;
      error_ = last_error();
      return std::nullopt;
    }
  }

  // True when awared closed the connection (EOF, reset or a TLS alert) before the deadline;
  // false when it was still open at the deadline. Reads the raw socket, so it works whether
  // or not the TLS handshake completed.
  bool closed_by_peer() { return drained(); }

  // True when awared refused this connection: the handshake failed, or awared closed it
  // instead of answering `hello` + an activation with an Ack. Waits for the TCP close (so
  // awared's log line about the refusal is written when this returns).
  bool refused(const std::string& hello_id, std::uint64_t seq = 1) {
    if (handshake() && hello(hello_id) && press(seq)) {
      auto reply = next();
      if (reply) {
        return false;  // it answered: not refused
      }
      if (!closed_) {
        return false;  // still open at the deadline: not refused in time
      }
    }
    return drained();
  }

  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] int tickets() const { return tickets_; }
  [[nodiscard]] SSL* ssl() { return ssl_; }

 private:
  std::optional<std::string> take_frame() {
    std::uint64_t len = 0;
    std::size_t i = 0;
    for (int shift = 0; i < buffered_.size() && shift < 64; shift += 7) {
      const auto byte = static_cast<unsigned char>(buffered_[i++]);
      len |= static_cast<std::uint64_t>(byte & 0x7fU) << shift;
      if ((byte & 0x80U) == 0) {
        if (buffered_.size() - i < len) {
          return std::nullopt;
        }
        std::string frame = buffered_.substr(i, len);
        buffered_.erase(0, i + len);
        return frame;
      }
    }
    return std::nullopt;
  }

  // Reads the raw socket until EOF or an error (true) or the receive timeout (false).
  bool drained() {
    char buf[4096];
    for (;;) {
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) {
        continue;
      }
      return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
    }
  }

  static std::string last_error() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
      return "connection closed";
    }
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    return buf;
  }

  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  std::string buffered_;   // received plaintext not yet cut into frames
  std::string error_;      // why the last handshake or read failed
  int tickets_ = 0;        // session tickets received (NewSessionTicket messages)
  bool closed_ = false;    // a read ended by EOF, reset or alert (not by the timeout)
};

}  // namespace aware::systest
