// test_ws_bearer.cpp — the browser's bearer carrier on a WebSocket upgrade
// (net/ws_bearer.hpp): "awared.v1, awared.bearer.<token>" in Sec-WebSocket-Protocol.
#include <catch2/catch.hpp>

#include "net/ws_bearer.hpp"

using aware::netio::effective_authorization;
using aware::netio::parse_bearer_offer;

TEST_CASE("ws bearer: the browser's offer yields the token and awared.v1", "[web]") {
  const std::string token(64, 'a');
  const auto offer = parse_bearer_offer("awared.v1, awared.bearer." + token);
  REQUIRE(offer);
  CHECK(offer->offers_v1);
  CHECK(offer->token == token);
  CHECK(effective_authorization("", *offer) == "Bearer " + token);
}

TEST_CASE("ws bearer: an Authorization header wins over the offer", "[web]") {
  const auto offer = parse_bearer_offer("awared.bearer.abc,awared.v1");
  REQUIRE(offer);
  CHECK(effective_authorization("Bearer xyz", *offer) == "Bearer xyz");
}

TEST_CASE("ws bearer: no header or no bearer entry means no token", "[web]") {
  const auto none = parse_bearer_offer("");
  REQUIRE(none);
  CHECK_FALSE(none->offers_v1);
  CHECK(effective_authorization("", *none).empty());
  const auto only_v1 = parse_bearer_offer("awared.v1");
  REQUIRE(only_v1);
  CHECK(only_v1->offers_v1);
  CHECK(only_v1->token.empty());
  const auto other = parse_bearer_offer("chat, superchat");
  REQUIRE(other);
  CHECK_FALSE(other->offers_v1);
}

TEST_CASE("ws bearer: malformed offers are refused", "[web]") {
  CHECK_FALSE(parse_bearer_offer("awared.bearer.abc"));                       // no awared.v1
  CHECK_FALSE(parse_bearer_offer("awared.v1, awared.bearer."));               // empty token
  CHECK_FALSE(parse_bearer_offer("awared.v1, awared.bearer.a, awared.bearer.b"));
  CHECK_FALSE(parse_bearer_offer("awared.v1, awared.bearer." + std::string(300, 'a')));
}
