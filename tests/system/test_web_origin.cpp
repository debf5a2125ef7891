// test_web_origin.cpp — system tests of the web console's Origin check and its configuration
// (issue 7) with the real awared: a WebSocket upgrade or a REST call with a body whose Origin
// is another site's is refused with 403 before anything else (the page's own origin and no
// Origin at all pass); GET /api/v1/console-config gives any signed-in user the tile URL, and the
// tile server's origin is in the static responses' CSP img-src; GET /api/v1/region-outlines
// gives centralists and PAC operators the regions as GeoJSON. Label: console.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace aware::systest;

namespace {

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token; }

bool status_is(const std::string& reply, int status) {
  return reply.rfind("HTTP/1.1 " + std::to_string(status), 0) == 0;
}

std::string upgrade_from(std::uint16_t port, const std::string& origin, const std::string& token) {
  RawConnection c{port};
  c.send("GET /ws/meldkamer HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
         "Sec-WebSocket-Protocol: awared.v1, awared.bearer." + token + "\r\n" +
         (origin.empty() ? std::string{} : "Origin: " + origin + "\r\n") + "\r\n");
  return c.read_all(std::chrono::milliseconds(1500));
}

}  // namespace

TEST_CASE("a browser request from another origin is refused, the page's own origin passes",
          "[system][console]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const auto token = token_for(port, default_user("/ws/meldkamer"));
  const std::string own = "http://127.0.0.1:" + std::to_string(port);

  CHECK(status_is(upgrade_from(port, "https://evil.example", token), 403));
  CHECK(status_is(upgrade_from(port, "https://127.0.0.1:" + std::to_string(port), token), 403));
  CHECK(status_is(upgrade_from(port, own + "/", token), 403));
  CHECK(status_is(upgrade_from(port, own, token), 101));
  CHECK(status_is(upgrade_from(port, "", token), 101));  // a CLI client sends no Origin

  // REST: a call with a body from another origin never reaches the API (not even login).
  const std::string login = R"({"user":"nobody","password":"x"})";
  const auto foreign = http_raw(port, "POST", "/api/v1/login", login,
                                {"Origin: http://evil.example"});
  CHECK(status_is(foreign, 403));
  CHECK(foreign.find("Origin") != std::string::npos);
  CHECK(status_is(http_raw(port, "POST", "/api/v1/login", login, {"Origin: http://localhost"}),
                  401));  // Host: localhost in http_raw: the page's own origin
  // A GET is not guarded (no body, changes nothing); it still needs its token.
  CHECK(status_is(http_raw(port, "GET", "/api/v1/whoami", "", {"Origin: http://evil.example"}),
                  401));
  std::ifstream log{awared.log_file()};  // logged before the 403 was written
  const std::string text{std::istreambuf_iterator<char>{log}, {}};
  CHECK(text.find("AWR-5020 GET /ws/meldkamer refused: Origin https://evil.example") !=
        std::string::npos);
}

TEST_CASE("the console config carries the tile URL and the CSP admits the tile server",
          "[system][console]") {
  TempDir dir;
  const auto root = dir.path() / "web";
  std::filesystem::create_directories(root);
  std::ofstream(root / "index.html") << "<!doctype html><title>awared</title>";
  AwaredOptions options;
  options.meldkamer_toml = "web_root = \"" + root.string() +
                           "\"\ntile_url = \"https://tiles.example:8443/osm/{z}/{x}/{y}.png\"";
  Awared awared{dir, options};
  const auto port = awared.meldkamer_port();

  const auto config = http_get(port, "/api/v1/console-config");
  REQUIRE(status_is(config, 200));
  CHECK(config.find(R"({"tileUrl":"https://tiles.example:8443/osm/{z}/{x}/{y}.png"})") !=
        std::string::npos);
  CHECK(status_is(http_raw(port, "GET", "/api/v1/console-config", ""), 401));
  const auto index = http_raw(port, "GET", "/", "");
  REQUIRE(status_is(index, 200));
  CHECK(index.find("img-src 'self' data: https://tiles.example:8443;") != std::string::npos);
}

TEST_CASE("region outlines are GeoJSON for centralists and PAC operators only", "[system][console]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const auto centralist = token_for(port, TestUser{"anna", "centralist", "amsterdam", "", ""});
  const auto outlines = http_raw(port, "GET", "/api/v1/region-outlines", "", {bearer(centralist)});
  REQUIRE(status_is(outlines, 200));
  const auto body = nlohmann::json::parse(outlines.substr(outlines.find("\r\n\r\n") + 4));
  CHECK(body["type"] == "FeatureCollection");
  REQUIRE(body["features"].size() == 3);  // the demo's regions, hers and the others
  const auto& features = body["features"];
  const auto found = std::find_if(features.begin(), features.end(), [](const auto& f) {
    return f["properties"]["id"] == "midden-nederland";
  });
  REQUIRE(found != features.end());
  const auto& first = *found;
  CHECK(first["type"] == "Feature");
  CHECK(first["properties"]["id"] == "midden-nederland");
  CHECK(first["properties"]["name"] == "Midden-Nederland");
  CHECK(first["geometry"]["type"] == "MultiPolygon");
  CHECK(first["properties"].size() == 2);  // nothing else of the registry

  CHECK(status_is(http_get(port, "/api/v1/region-outlines"), 200));  // the PAC operator
  const auto hulpverlener = token_for(port, default_user("/ws/hulpverlener"));
  CHECK(status_is(http_raw(port, "GET", "/api/v1/region-outlines", "", {bearer(hulpverlener)}),
                  403));
  CHECK(status_is(http_raw(port, "GET", "/api/v1/region-outlines", ""), 401));
  CHECK(status_is(http_raw(port, "POST", "/api/v1/region-outlines", "{}", {bearer(centralist)}),
                  405));
}
