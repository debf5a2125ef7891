// test_web_console.cpp — system tests of the web console's server side (issue 7) with the real
// awared: the assets under [meldkamer] web_root are served with fixed content types and a
// strict CSP, and nothing else is (traversal, dotfiles, directories, other methods); a browser's
// WebSocket signs in with the Sec-WebSocket-Protocol bearer offer, gets the fixed subprotocol
// awared.v1 back (never its token) and its snapshot; a forged offer gets 401, an offer without
// awared.v1 gets 400. Label: console.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace aware::systest;

namespace {

bool status_is(const std::string& reply, int status) {
  return reply.rfind("HTTP/1.1 " + std::to_string(status), 0) == 0;
}

std::string head_of(const std::string& reply) {
  return reply.substr(0, reply.find("\r\n\r\n"));
}

std::string body_of(const std::string& reply) {
  const auto at = reply.find("\r\n\r\n");
  return at == std::string::npos ? std::string{} : reply.substr(at + 4);
}

bool has_header(const std::string& reply, const std::string& line) {
  return head_of(reply).find("\r\n" + line + "\r\n") != std::string::npos ||
         head_of(reply).ends_with("\r\n" + line);
}

// An upgrade of `target` offering `protocols` as Sec-WebSocket-Protocol, no Authorization.
std::string upgrade_offering(std::uint16_t port, const std::string& target,
                             const std::string& protocols) {
  RawConnection c{port};
  c.send("GET " + target +
         " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
         "Sec-WebSocket-Protocol: " +
         protocols + "\r\n\r\n");
  return c.read_all(std::chrono::milliseconds(1500));
}

// A web root with an index page, a script, a dotfile, a folder, a symlink and an oversized file.
std::filesystem::path make_web_root(const TempDir& dir) {
  const auto root = dir.path() / "web";
  std::filesystem::create_directories(root / "lib");
  std::ofstream(root / "index.html") << "<!doctype html><title>awared</title>";
  std::ofstream(root / "app.js") << "export const x = 1;\n";
  std::ofstream(root / ".secret.json") << "{}";
  std::ofstream(root / "big.js") << std::string(8192, 'x');
  std::filesystem::create_symlink(dir.path() / "awared.toml", root / "config.txt");
  return root;
}

}  // namespace

TEST_CASE("web console assets are served from web_root with CSP and nothing else is",
          "[system][console]") {
  TempDir dir;
  const auto root = make_web_root(dir);
  AwaredOptions options;
  options.meldkamer_toml = "web_root = \"" + root.string() + "\"\nmax_asset_bytes = 4096";
  Awared awared{dir, options};
  const auto port = awared.meldkamer_port();

  const auto index = http_raw(port, "GET", "/", "");
  REQUIRE(status_is(index, 200));
  CHECK(has_header(index, "Content-Type: text/html; charset=utf-8"));
  CHECK(head_of(index).find("Content-Security-Policy: default-src 'self'") != std::string::npos);
  CHECK(has_header(index, "X-Content-Type-Options: nosniff"));
  CHECK(body_of(index) == "<!doctype html><title>awared</title>");

  const auto script = http_raw(port, "GET", "/app.js?v=1", "");
  REQUIRE(status_is(script, 200));
  CHECK(has_header(script, "Content-Type: text/javascript; charset=utf-8"));

  const auto head = http_raw(port, "HEAD", "/app.js", "");
  CHECK(status_is(head, 200));
  CHECK(has_header(head, "Content-Length: 20"));
  CHECK(body_of(head).empty());

  for (const char* target : {"/../awared.toml", "/%2e%2e/awared.toml", "/.secret.json", "/lib",
                             "/lib/", "/config.txt", "/big.js", "/missing.js", "/awared.toml"}) {
    INFO(target);
    CHECK(status_is(http_raw(port, "GET", target, ""), 404));
  }
  CHECK(status_is(http_raw(port, "POST", "/", "x"), 405));
  // The API and the health check are unchanged.
  CHECK(status_is(http_raw(port, "GET", "/healthz", ""), 200));
  CHECK(status_is(http_raw(port, "GET", "/api/v1/clients", ""), 401));
}

TEST_CASE("without web_root there is no web console", "[system][console]") {
  TempDir dir;
  Awared awared{dir};
  CHECK(status_is(http_raw(awared.meldkamer_port(), "GET", "/", ""), 404));
}

TEST_CASE("a browser signs in on the WebSocket with the bearer subprotocol offer",
          "[system][console]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const auto token = token_for(port, default_user("/ws/meldkamer"));

  const auto admitted =
      upgrade_offering(port, "/ws/meldkamer", "awared.v1, awared.bearer." + token);
  INFO(head_of(admitted));
  REQUIRE(status_is(admitted, 101));
  CHECK(has_header(admitted, "Sec-WebSocket-Protocol: awared.v1"));
  CHECK(admitted.find(token) == std::string::npos);
  CHECK(admitted.find("snapshot") != std::string::npos);  // the first frame is the snapshot

  const std::string forged(64, 'f');
  CHECK(status_is(upgrade_offering(port, "/ws/meldkamer", "awared.v1, awared.bearer." + forged),
                  401));
  CHECK(status_is(upgrade_offering(port, "/ws/meldkamer", "awared.bearer." + token), 400));
  // The PAC operator may not open the meldkamer feed this way either.
  const auto pac = token_for(port, default_user("/ws/pac"));
  CHECK(status_is(upgrade_offering(port, "/ws/meldkamer", "awared.v1, awared.bearer." + pac),
                  403));
}
