// http_call.hpp — one HTTP/1.1 request to awared and its response (Boost.Beast), with a deadline
// on connecting, sending and reading, and a cap on the response size; over HTTPS (TLS 1.3, the
// server certificate checked against a CA file and the host name or address) when given a CA.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace aware::awarectl {

struct HttpResult {
  bool ok = false;          // a response arrived
  std::string failure;      // why not, when !ok (cannot connect, timeout, ...)
  unsigned status = 0;      // HTTP status
  std::string body;         // response body
};

// Extra request headers (name, value), e.g. Authorization.
using Headers = std::vector<std::pair<std::string, std::string>>;

// Sends `method target` with `body` (as application/json when not empty) and `headers`, and
// waits for the response, all within `timeout`. With `ca_file` (PEM) the request goes over
// HTTPS and the server certificate must chain to that CA and name `host`; empty: plain HTTP. A
// TLS failure reads "TLS with HOST:PORT: certificate verify failed: ..." (or the handshake's
// reason). Never throws.
HttpResult http_call(const std::string& host, std::uint16_t port, const std::string& method,
                     const std::string& target, const std::string& body,
                     std::chrono::seconds timeout, const Headers& headers = {},
                     const std::string& ca_file = {});

}  // namespace aware::awarectl
