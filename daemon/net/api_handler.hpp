// api_handler.hpp — the REST API under /api/v1 as the HTTP server sees it: a request (method,
// target, body) in, a status and a JSON body out. Implemented by app/ (RegistryApi); the server
// in console_server.cpp only reads, routes and writes, so the handler needs no Beast types.
// THREAD SAFETY: handle() is called and resumed on the network thread.
#pragma once

#include <string>

#include "net/asio.hpp"

namespace aware::netio {

struct ApiRequest {
  std::string method;   // "GET", "POST", ...
  std::string target;   // path and query, e.g. "/api/v1/clients/C-001"
  std::string body;     // at most meldkamer.max_message_bytes (max_import_bytes for imports)
  std::string authorization;  // the Authorization header ("Bearer TOKEN"), "" when absent
  std::string justification;  // the X-Justification header (why personal data is read), or ""
  std::string peer;           // the client's address (no port), "" when unknown: login limits
};

struct ApiResponse {
  unsigned status = 200;       // HTTP status
  std::string body;            // JSON
  std::string allow;           // the Allow header of a 405, else empty
};

class ApiHandler {
 public:
  virtual ~ApiHandler() = default;
  // Serves one request. Must not throw for bad input (that is a 4xx response); an exception
  // ends only this HTTP connection.
  virtual awaitable<ApiResponse> handle(ApiRequest request) = 0;
  // True when `target` is a bulk import, whose body may be up to max_import_bytes.
  [[nodiscard]] static bool is_import(const std::string& target) {
    return target.rfind("/api/v1/import", 0) == 0 || target.rfind("/api/v1/regions/import", 0) == 0;
  }
};

}  // namespace aware::netio
