// test_web_policy.cpp — the web console's pure server rules (core/web_policy.hpp): the tile URL
// of [meldkamer] tile_url and its origin, the CSP with and without a tile server, and the
// Origin check of upgrades and REST calls with a body. Label: console.
#include <catch2/catch.hpp>

#include "core/config.hpp"
#include "core/web_policy.hpp"

using namespace aware::core;

TEST_CASE("tile URL templates: http(s) with {z}/{x}/{y} once each, or none", "[console]") {
  CHECK_FALSE(tile_url_error(""));
  CHECK_FALSE(tile_url_error("https://tiles.example/{z}/{x}/{y}.png"));
  CHECK_FALSE(tile_url_error("http://10.1.2.3:8080/osm/{z}/{x}/{y}.png"));
  CHECK_FALSE(tile_url_error("HTTPS://Tiles.Example/{z}/{y}/{x}"));
  CHECK(tile_url_error("ftp://tiles.example/{z}/{x}/{y}.png"));
  CHECK(tile_url_error("tiles.example/{z}/{x}/{y}.png"));
  CHECK(tile_url_error("https:///{z}/{x}/{y}.png"));
  CHECK(tile_url_error("https://user:pw@tiles.example/{z}/{x}/{y}.png"));
  CHECK(tile_url_error("https://tiles.example/{z}/{x}.png"));
  CHECK(tile_url_error("https://tiles.example/{z}/{x}/{y}/{y}.png"));
  CHECK(tile_url_error("https://tiles.example/{z}/{x}/{y}.png?key=1"));
  CHECK(tile_url_error("https://tiles.example/{z}/{x}/{y}.png#a"));
  CHECK(tile_url_error("https://tiles.example/{z}/{x}/{y}.png' 'unsafe-inline"));
  CHECK(tile_url_error("https://{s}.tiles.example/{z}/{x}/{y}.png"));
  CHECK(tile_url_error("https://tiles.example"));
  CHECK(tile_url_error("https://tiles.example/" + std::string(600, 'a') + "/{z}/{x}/{y}"));
}

TEST_CASE("the tile server's origin is the only outside origin in the CSP", "[console]") {
  CHECK(tile_origin("") == "");
  CHECK(tile_origin("https://Tiles.Example:8443/osm/{z}/{x}/{y}.png") ==
        "https://tiles.example:8443");
  CHECK(tile_origin("ftp://x/{z}/{x}/{y}") == "");  // invalid: nothing is admitted
  const auto plain = content_security_policy("");
  CHECK(plain.find("img-src 'self' data:;") != std::string::npos);
  CHECK(plain.find("default-src 'self';") == 0);
  CHECK(plain.find("connect-src 'self';") != std::string::npos);
  const auto tiles = content_security_policy("https://tiles.example");
  CHECK(tiles.find("img-src 'self' data: https://tiles.example;") != std::string::npos);
  CHECK(tiles.find("connect-src 'self';") != std::string::npos);  // tiles are images only
}

TEST_CASE("the Origin of a browser request must be the page's own origin", "[console]") {
  CHECK(origin_allowed("", "127.0.0.1:8443", true));  // no Origin: not a browser's cross-site call
  CHECK(origin_allowed("https://127.0.0.1:8443", "127.0.0.1:8443", true));
  CHECK(origin_allowed("HTTPS://Meldkamer.Example", "meldkamer.example", true));
  CHECK(origin_allowed("http://localhost:7401", "localhost:7401", false));
  CHECK_FALSE(origin_allowed("http://127.0.0.1:8443", "127.0.0.1:8443", true));  // scheme
  CHECK_FALSE(origin_allowed("https://127.0.0.1:8443", "127.0.0.1:8443", false));
  CHECK_FALSE(origin_allowed("https://evil.example", "127.0.0.1:8443", true));
  CHECK_FALSE(origin_allowed("https://127.0.0.1:9999", "127.0.0.1:8443", true));
  CHECK_FALSE(origin_allowed("https://127.0.0.1:8443/", "127.0.0.1:8443", true));
  CHECK_FALSE(origin_allowed("null", "127.0.0.1:8443", true));
  CHECK_FALSE(origin_allowed("https://127.0.0.1:8443", "", true));
}

TEST_CASE("[meldkamer] tile_url is validated when the config is read", "[console]") {
  CHECK(parse_config("[meldkamer]\ntile_url = \"https://t.example/{z}/{x}/{y}.png\"\n", "t")
            ->meldkamer.tile_url == "https://t.example/{z}/{x}/{y}.png");
  CHECK(parse_config("", "t")->meldkamer.tile_url.empty());
  const auto bad = parse_config("[meldkamer]\ntile_url = \"https://t.example/tiles.png\"\n", "t");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().key == "meldkamer.tile_url");
}
