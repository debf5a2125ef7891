// tls_flood.hpp — the `tls` phase of e2e_bench (docs/performance.md "TLS handshakes"): what a
// flood of TLS handshakes on the device port does to a device that is already connected, with
// awared pacing its accepts ([tls] handshakes_per_s) and, for comparison, practically not.
//
// awared runs with TLS on and a PKI made for the run (aware_test_pki). One device with a good
// certificate connects first and then presses every 10 ms, each time waiting for its Ack (the
// samples). Meanwhile `flood_threads` clients open connection after connection, each sending
// the same TLS 1.3 ClientHello (made once, so the flood itself does no cryptography), reading
// the start of awared's answer and closing — awared does the key exchange and the signature of
// its first flight every time and then refuses the connection (AWR-2010). The phase
// (e2e_bench.cpp) takes awared's network-thread CPU beyond the no-flood run's share, divided
// by the answered hellos, as what one costs it.
#pragma once

#include <chrono>
#include <cstdint>

#include "measure.hpp"

namespace aware::bench::e2e {

struct TlsFloodResult {
  std::uint32_t handshakes_per_s = 0;  // awared's [tls] handshakes_per_s
  int flood_threads = 0;
  std::int64_t flood_handshakes = 0;   // handshakes the flood got through (client side)
  double seconds = 0;                  // how long the presses ran
  double network_cpu_s = 0;            // awared's network thread over that time
  Percentiles ack;                     // device press → its Ack, over TLS
  std::int64_t ack_max_ns = 0;
  std::int64_t presses = 0;
  std::int64_t acked = 0;
};

TlsFloodResult tls_flood(std::uint32_t handshakes_per_s, int flood_threads,
                         std::chrono::seconds length);

}  // namespace aware::bench::e2e
