// tls_flood.cpp — see tls_flood.hpp.
#include "tls_flood.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.hpp"
#include "proc_stats.hpp"
#include "test_pki.hpp"
#include "tls_device.hpp"

namespace aware::bench::e2e {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t ns_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
}

// A TLS 1.3 ClientHello made once by OpenSSL on memory BIOs. Replayed on every flood
// connection it costs the flood no cryptography, and awared its whole share of a handshake's
// first flight (the key exchange with the hello's key share, the signature).
std::string canned_client_hello() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  SSL* ssl = SSL_new(ctx);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);  // ssl owns both now
  (void)SSL_connect(ssl);     // writes the ClientHello to `out`, then wants to read
  char* data = nullptr;
  const long n = BIO_get_mem_data(out, &data);
  std::string hello(data, n > 0 ? static_cast<std::size_t>(n) : 0U);
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  if (hello.empty()) {
    throw std::runtime_error("OpenSSL wrote no ClientHello");
  }
  return hello;
}

// One flood connection: connect, send the ClientHello, wait (at most 5 s) for the first bytes
// of awared's answer, close. True when awared answered: it did its part of the handshake.
bool one_hello(std::uint16_t port, const std::string& hello) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return false;
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  char answer[4096];
  const bool answered =
      ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(hello.size()) &&
      ::recv(fd, answer, sizeof answer, 0) > 0;
  ::close(fd);
  return answered;
}

}  // namespace

TlsFloodResult tls_flood(std::uint32_t handshakes_per_s, int flood_threads,
                         std::chrono::seconds length) {
  systest::TempDir dir{"awared-e2e-tls"};
  testing::TestCa ca{dir.path(), "pki"};
  const auto server = ca.issue(testing::CertSpec::for_server());
  const auto device_cert = ca.issue(testing::CertSpec{"XM-DEMO-001"});  // a demo device
  systest::AwaredOptions options;
  options.tls_toml = "cert = \"" + server.cert.string() + "\"\nkey = \"" + server.key.string() +
                     "\"\ndevice_ca = \"" + ca.cert_file().string() +
                     "\"\nhandshakes_per_s = " + std::to_string(handshakes_per_s) + "\n";
  systest::Awared awared{dir, options};
  const auto port = awared.device_port();
  const std::string ca_file = ca.cert_file().string();

  systest::TlsDevice device{port, {ca_file, device_cert.cert.string(), device_cert.key.string()}};
  if (!device.handshake() || !device.hello("XM-DEMO-001")) {
    throw std::runtime_error("the benchmark device could not connect over TLS");
  }

  const auto hello = canned_client_hello();
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> flooded{0};
  std::vector<std::thread> flood;
  struct Joiner {  // however this ends (an exception too), the flood stops first
    std::atomic<bool>& stop;
    std::vector<std::thread>& threads;
    ~Joiner() {
      stop = true;
      for (auto& t : threads) {
        if (t.joinable()) {
          t.join();
        }
      }
    }
  } joiner{stop, flood};
  for (int t = 0; t < flood_threads; ++t) {
    flood.emplace_back([&] {
      while (!stop.load()) {
        if (one_hello(port, hello)) {
          flooded.fetch_add(1);
        }
      }
    });
  }

  TlsFloodResult out;
  out.handshakes_per_s = handshakes_per_s;
  out.flood_threads = flood_threads;
  const auto pid = awared.process().pid();
  const auto cpu_before = thread_cpu(pid);
  const auto flood_before = flooded.load();
  std::vector<std::int64_t> acks;
  const auto t0 = Clock::now();
  auto next = t0;
  std::uint64_t seq = 0;
  while (Clock::now() - t0 < length) {
    next += std::chrono::milliseconds{10};
    std::this_thread::sleep_until(next);  // the load's own pace, not a synchronisation
    const auto sent = Clock::now();
    ++out.presses;
    if (!device.press(++seq)) {
      break;
    }
    auto reply = device.next();
    while (reply && !(reply->has_ack() && reply->ack().seq() == seq)) {
      reply = device.next();  // a command (start tracking) comes after an Ack: skip it
    }
    if (!reply) {
      break;
    }
    acks.push_back(ns_since(sent));
    ++out.acked;
  }
  out.seconds = static_cast<double>(ns_since(t0)) / 1e9;
  out.flood_handshakes = flooded.load() - flood_before;
  const auto cpu_after = thread_cpu(pid);
  if (cpu_after.count(pid) != 0U && cpu_before.count(pid) != 0U) {
    out.network_cpu_s = cpu_after.at(pid) - cpu_before.at(pid);
  }
  out.ack_max_ns = acks.empty() ? 0 : *std::max_element(acks.begin(), acks.end());
  out.ack = percentiles(acks);
  return out;
}

}  // namespace aware::bench::e2e
