// test_config.cpp — parse_config()/load_config_file(): defaults, overrides, and that every kind of
// mistake is reported with file, line and dotted key instead of being ignored; the close outcomes,
// the [notify] section and parse_http_url().
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/config.hpp"

using namespace aware::core;
using namespace std::chrono_literals;

namespace {

// Parses `text` and returns the error it must produce.
ConfigError error_of(std::string_view text) {
  auto result = parse_config(text, "test.toml");
  REQUIRE_FALSE(result.has_value());
  INFO(result.error().to_string());
  CHECK(result.error().file == "test.toml");
  return result.error();
}

}  // namespace

TEST_CASE("the shipped config file equals the embedded defaults", "[config]") {
  auto shipped = load_config_file(AWARE_SHIPPED_CONFIG);
  INFO((shipped ? std::string() : shipped.error().to_string()));
  REQUIRE(shipped.has_value());
  CHECK(*shipped == Config{});
}

TEST_CASE("empty text gives the defaults", "[config]") {
  auto empty = parse_config("", "test.toml");
  REQUIRE(empty.has_value());
  CHECK(*empty == Config{});
  auto only_tables = parse_config("[device]\n[log]\n", "test.toml");
  REQUIRE(only_tables.has_value());
  CHECK(*only_tables == Config{});
}

TEST_CASE("values override the defaults and leave the rest alone", "[config]") {
  auto c = parse_config(R"(
[device]
listen = "[::1]:7500"
max_frame_bytes = 2048
idle_timeout_s = 60
[meldkamer]
listen = "0.0.0.0:0"
[match]
near_m = 250
[log]
level = "debug"
)",
                        "test.toml");
  REQUIRE(c.has_value());
  CHECK(c->device.listen == Endpoint{"::1", 7500});
  CHECK(c->device.max_frame_bytes == 2048);
  CHECK(c->device.idle_timeout == 60s);
  CHECK(c->device.hello_timeout == Config{}.device.hello_timeout);
  CHECK(c->meldkamer.listen == Endpoint{"0.0.0.0", 0});
  CHECK(c->match.near_m == 250.0);
  CHECK(c->log.level == "debug");
  CHECK(c->store == Config{}.store);
}

TEST_CASE("an unknown key is named with its line", "[config]") {
  auto e = error_of("[device]\nlisten = \"127.0.0.1:1\"\nmax_frames = 3\n");
  CHECK(e.key == "device.max_frames");
  CHECK(e.line == 3);
  CHECK(e.column == 1);
  CHECK_THAT(e.message, Catch::Contains("unknown key"));
  CHECK(e.to_string().rfind("test.toml:3:1: device.max_frames: unknown key", 0) == 0);
}

TEST_CASE("an unknown table is an error", "[config]") {
  auto e = error_of("[log]\nlevel = \"info\"\n\n[database]\npath = \"x\"\n");
  CHECK(e.key == "database");
  CHECK(e.line == 4);
  CHECK_THAT(e.message, Catch::Contains("unknown table"));

  auto nested = error_of("[device.tls]\ncert = \"x\"\n");
  CHECK(nested.key == "device.tls");
  CHECK_THAT(nested.message, Catch::Contains("unknown table"));

  auto top_key = error_of("verbose = true\n");
  CHECK(top_key.key == "verbose");
}

TEST_CASE("a wrong type is an error", "[config]") {
  auto e = error_of("[device]\nmax_frame_bytes = \"64k\"\n");
  CHECK(e.key == "device.max_frame_bytes");
  CHECK(e.line == 2);
  CHECK_THAT(e.message, Catch::Contains("must be an integer between 1024 and 16777216"));

  CHECK(error_of("[device]\nhello_timeout_s = 1.5\n").key == "device.hello_timeout_s");
  CHECK(error_of("[match]\nnear_max = true\n").key == "match.near_max");
  CHECK(error_of("[store]\npath = 3\n").key == "store.path");
  CHECK(error_of("device = 3\n").key == "device");
}

TEST_CASE("out-of-range values are errors", "[config]") {
  auto e = error_of("[device]\nmax_frame_bytes = 16777217\n");
  CHECK(e.key == "device.max_frame_bytes");
  CHECK(e.line == 2);
  CHECK_THAT(e.message, Catch::Contains("16777216"));

  CHECK(error_of("[device]\nmax_frame_bytes = 1023\n").key == "device.max_frame_bytes");
  CHECK(error_of("[device]\nframe_timeout_s = 0\n").key == "device.frame_timeout_s");
  CHECK(error_of("[device]\nidle_timeout_s = 86401\n").key == "device.idle_timeout_s");
  CHECK(error_of("[device]\nmax_connections = 0\n").key == "device.max_connections");
  CHECK(error_of("[meldkamer]\nmax_queued_messages = 15\n").key ==
        "meldkamer.max_queued_messages");
  CHECK(error_of("[meldkamer]\nrequest_timeout_s = -1\n").key == "meldkamer.request_timeout_s");
  CHECK(error_of("[match]\nnear_m = -0.5\n").key == "match.near_m");
  CHECK(error_of("[match]\nnear_m = nan\n").key == "match.near_m");
  CHECK(error_of("[match]\nnear_max = 1001\n").key == "match.near_max");
  CHECK(error_of("[match]\ndefault_region = \"\"\n").key == "match.default_region");
  CHECK(error_of("[store]\npath = \"\"\n").key == "store.path");
  CHECK(error_of("[dispatch]\ndeliver_timeout_s = 0\n").key == "dispatch.deliver_timeout_s");
  CHECK(error_of("[dispatch]\ndeliver_timeout_s = 3601\n").key == "dispatch.deliver_timeout_s");
  CHECK(error_of("[dispatch]\naccept_timeout_s = 0\n").key == "dispatch.accept_timeout_s");
  CHECK(error_of("[dispatch]\nfallback_region = \"\"\n").key == "dispatch.fallback_region");

  auto edges = parse_config("[device]\nmax_frame_bytes = 16777216\n[match]\nnear_max = 0\n"
                            "near_m = 100000.0\n[meldkamer]\nmax_queued_messages = 16\n",
                            "test.toml");
  REQUIRE(edges.has_value());
  CHECK(edges->device.max_frame_bytes == 16777216);

  auto timers = parse_config("[dispatch]\ndeliver_timeout_s = 1\naccept_timeout_s = 2\n"
                             "fallback_region = \"noord\"\n",
                             "test.toml");
  REQUIRE(timers.has_value());
  CHECK(timers->dispatch.deliver_timeout == std::chrono::seconds{1});
  CHECK(timers->dispatch.accept_timeout == std::chrono::seconds{2});
  CHECK(timers->dispatch.fallback_region == "noord");
}

TEST_CASE("a host must be a numeric address", "[config]") {
  auto e = error_of("[meldkamer]\nlisten = \"localhost:8080\"\n");
  CHECK(e.key == "meldkamer.listen");
  CHECK(e.line == 2);
  CHECK_THAT(e.message, Catch::Contains("localhost"));

  CHECK(error_of("[device]\nlisten = \"256.0.0.1:7400\"\n").key == "device.listen");
  CHECK(error_of("[device]\nlisten = \"[127.0.0.1]:7400\"\n").key == "device.listen");
  CHECK(error_of("[device]\nlisten = \"[::g]:7400\"\n").key == "device.listen");
}

TEST_CASE("listen must be HOST:PORT with a valid port", "[config]") {
  for (std::string_view bad : {"127.0.0.1", "127.0.0.1:", ":7400", "127.0.0.1:65536",
                               "127.0.0.1:-1", "127.0.0.1:74x", "::1:7400", "[::1]7400",
                               "[]:7400", ""}) {
    INFO("listen = \"" << bad << "\"");
    auto e = error_of("[device]\nlisten = \"" + std::string(bad) + "\"\n");
    CHECK(e.key == "device.listen");
  }
  auto max_port = parse_config("[device]\nlisten = \"10.0.0.1:65535\"\n", "test.toml");
  REQUIRE(max_port.has_value());
  CHECK(max_port->device.listen == Endpoint{"10.0.0.1", 65535});
}

TEST_CASE("a syntax error reports the parser's line and no key", "[config]") {
  auto e = error_of("[device]\nmax_frame_bytes = 2048\nlisten = \"unterminated\n");
  CHECK(e.line == 3);
  CHECK(e.column > 0);
  CHECK(e.key.empty());
  CHECK_FALSE(e.message.empty());
  CHECK(e.to_string().rfind("test.toml:3:", 0) == 0);
}

TEST_CASE("log.level must be a known level", "[config]") {
  auto e = error_of("[log]\nlevel = \"verbose\"\n");
  CHECK(e.key == "log.level");
  CHECK_THAT(e.message, Catch::Contains("verbose"));
  CHECK(error_of("[log]\nlevel = \"INFO\"\n").key == "log.level");
  for (auto level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    auto c = parse_config(std::string("[log]\nlevel = \"") + level + "\"\n", "test.toml");
    REQUIRE(c.has_value());
    CHECK(c->log.level == level);
  }
}

TEST_CASE("a missing file is an error with its path and line 0", "[config]") {
  const std::string path = "/nonexistent/awared-test/awared.toml";
  auto e = load_config_file(path);
  REQUIRE_FALSE(e.has_value());
  CHECK(e.error().file == path);
  CHECK(e.error().line == 0);
  CHECK_THAT(e.error().message, Catch::Contains("No such file or directory"));
  CHECK(e.error().to_string() == path + ": " + e.error().message);
}

TEST_CASE("ConfigError::to_string omits missing parts", "[config]") {
  CHECK(ConfigError{"f.toml", 3, 7, "log.level", "bad"}.to_string() == "f.toml:3:7: log.level: bad");
  CHECK(ConfigError{"f.toml", 3, 0, "", "bad"}.to_string() == "f.toml:3: bad");
  CHECK(ConfigError{"f.toml", 0, 0, "", "bad"}.to_string() == "f.toml: bad");
  CHECK(ConfigError{"", 0, 0, "", "bad"}.to_string() == "bad");
}

TEST_CASE("close_outcomes takes a list of distinct short non-empty strings", "[config]") {
  auto c = parse_config("[dispatch]\nclose_outcomes = [\"aangehouden\", \"vals alarm\"]\n",
                        "test.toml");
  REQUIRE(c.has_value());
  CHECK(c->dispatch.close_outcomes == std::vector<std::string>{"aangehouden", "vals alarm"});
  CHECK(c->dispatch.fallback_region == Config{}.dispatch.fallback_region);

  std::string many = "[dispatch]\nclose_outcomes = [";
  for (int i = 0; i < 64; ++i) {
    many += (i == 0 ? "\"o" : ", \"o") + std::to_string(i) + "\"";
  }
  auto sixty_four = parse_config(many + "]\n", "test.toml");
  REQUIRE(sixty_four.has_value());
  CHECK(sixty_four->dispatch.close_outcomes.size() == 64);
  auto too_many = error_of(many + ", \"o64\"]\n");
  CHECK(too_many.key == "dispatch.close_outcomes");

  const std::string longest(128, 'x');
  auto at_limit = parse_config("[dispatch]\nclose_outcomes = [\"" + longest + "\"]\n", "t.toml");
  REQUIRE(at_limit.has_value());
  CHECK(at_limit->dispatch.close_outcomes == std::vector<std::string>{longest});
}

TEST_CASE("a wrong close_outcomes list is an error naming the key", "[config]") {
  const auto e = error_of("[dispatch]\n\nclose_outcomes = []\n");
  CHECK(e.key == "dispatch.close_outcomes");
  CHECK(e.line == 3);
  CHECK_THAT(e.message, Catch::Contains("1 to 64 distinct"));
  CHECK(error_of("[dispatch]\nclose_outcomes = \"overig\"\n").key == "dispatch.close_outcomes");
  CHECK(error_of("[dispatch]\nclose_outcomes = [\"a\", \"\"]\n").key ==
        "dispatch.close_outcomes");
  CHECK(error_of("[dispatch]\nclose_outcomes = [\"a\", 3]\n").key == "dispatch.close_outcomes");
  CHECK(error_of("[dispatch]\nclose_outcomes = [\"" + std::string(129, 'x') + "\"]\n").key ==
        "dispatch.close_outcomes");
  const auto twice = error_of("[dispatch]\nclose_outcomes = [\"overig\", \"a\", \"overig\"]\n");
  CHECK(twice.key == "dispatch.close_outcomes");
  CHECK_THAT(twice.message, Catch::Contains("\"overig\" twice"));
}

TEST_CASE("notify takes a webhook URL, its timeout and replay_max", "[config]") {
  auto c = parse_config(R"([notify]
webhook_url = "https://10.0.0.5:8443/hooks/awared"
webhook_ca_file = "/etc/awared/webhook-ca.pem"
webhook_timeout_s = 600
replay_max = 0
)",
                        "test.toml");
  REQUIRE(c.has_value());
  CHECK(c->notify.webhook_url == "https://10.0.0.5:8443/hooks/awared");
  CHECK(c->notify.webhook_ca_file == "/etc/awared/webhook-ca.pem");
  CHECK(Config{}.notify.webhook_ca_file.empty());
  CHECK(c->notify.webhook_timeout == 600s);
  CHECK(c->notify.replay_max == 0);
  CHECK(Config{}.notify.webhook_url.empty());

  auto upper = parse_config("[notify]\nwebhook_timeout_s = 1\nreplay_max = 10000\n", "test.toml");
  REQUIRE(upper.has_value());
  CHECK(upper->notify.webhook_timeout == 1s);
  CHECK(upper->notify.replay_max == 10000);
  CHECK(parse_config("[notify]\nwebhook_url = \"\"\n", "test.toml").has_value());
  // Clear text to a relay on this host only.
  CHECK(parse_config("[notify]\nwebhook_url = \"http://127.0.0.1:8080/x\"\n", "test.toml"));
  CHECK(parse_config("[notify]\nwebhook_url = \"http://[::1]:8080/x\"\n", "test.toml"));
}

TEST_CASE("wrong notify values are errors naming the key", "[config]") {
  CHECK(error_of("[notify]\nwebhook_timeout_s = 0\n").key == "notify.webhook_timeout_s");
  CHECK(error_of("[notify]\nwebhook_timeout_s = 601\n").key == "notify.webhook_timeout_s");
  CHECK(error_of("[notify]\nreplay_max = -1\n").key == "notify.replay_max");
  CHECK(error_of("[notify]\nreplay_max = 10001\n").key == "notify.replay_max");
  CHECK(error_of("[notify]\nwebhook_url = 5\n").key == "notify.webhook_url");
  const auto host = error_of("[notify]\nwebhook_url = \"http://hooks.example:80/x\"\n");
  CHECK(host.key == "notify.webhook_url");
  CHECK(host.line == 2);
  CHECK_THAT(host.message, Catch::Contains("not resolved"));
  const auto plain = error_of("[notify]\nwebhook_url = \"http://10.0.0.5:80/x\"\n");
  CHECK(plain.key == "notify.webhook_url");
  CHECK_THAT(plain.message, Catch::Contains("only to a loopback address"));
  CHECK(error_of("[notify]\nwebhook_url = \"ftp://10.0.0.5:21/x\"\n").key == "notify.webhook_url");
  CHECK(error_of("[notify]\nwebhook_ca_file = 5\n").key == "notify.webhook_ca_file");
  CHECK(error_of("[notify]\nwebhook_urls = \"\"\n").key == "notify.webhook_urls");
}

TEST_CASE("parse_http_url splits address, port and path", "[config]") {
  auto url = parse_http_url("http://127.0.0.1:9000/hook/in?x=1");
  REQUIRE(url.has_value());
  CHECK(url->endpoint == Endpoint{"127.0.0.1", 9000});
  CHECK(url->path == "/hook/in?x=1");

  auto bare = parse_http_url("http://192.168.1.2:80");
  REQUIRE(bare.has_value());
  CHECK(bare->endpoint == Endpoint{"192.168.1.2", 80});
  CHECK(bare->path == "/");
  CHECK_FALSE(bare->tls);

  auto secure = parse_http_url("https://[2001:db8::5]:8443/in");
  REQUIRE(secure.has_value());
  CHECK(secure->tls);
  CHECK(secure->endpoint == Endpoint{"2001:db8::5", 8443});
  CHECK(secure->path == "/in");
}

TEST_CASE("parse_http_url refuses other schemes, names, port 0 and spaces", "[config]") {
  CHECK_FALSE(parse_http_url("").has_value());
  CHECK_FALSE(parse_http_url("ftp://127.0.0.1:21/").has_value());
  CHECK_FALSE(parse_http_url("HTTPS://127.0.0.1:443/").has_value());
  CHECK_FALSE(parse_http_url("HTTP://127.0.0.1:80/").has_value());
  CHECK_FALSE(parse_http_url("127.0.0.1:80/").has_value());
  CHECK_FALSE(parse_http_url("http://localhost:80/").has_value());
  CHECK_FALSE(parse_http_url("http://127.0.0.1/").has_value());
  CHECK_FALSE(parse_http_url("http://127.0.0.1:65536/").has_value());
  const auto zero = parse_http_url("http://127.0.0.1:0/");
  REQUIRE_FALSE(zero.has_value());
  CHECK_THAT(zero.error(), Catch::Contains("port must not be 0"));
  const auto space = parse_http_url("http://127.0.0.1:80/a b");
  REQUIRE_FALSE(space.has_value());
  CHECK_THAT(space.error(), Catch::Contains("spaces or control characters"));
  CHECK_FALSE(parse_http_url("http://127.0.0.1:80/a\tb").has_value());
  CHECK_FALSE(parse_http_url(std::string("http://127.0.0.1:80/a") + '\x7f').has_value());
}
