// test_options.cpp — unit tests for the meldkamer client's command line (parse_options):
// required --server, flags, "--opt value" and "--opt=value", the default centralist name, and
// the usage errors for bad servers, counts, timeouts, region lists and unknown arguments.
#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

#include "options.hpp"

using namespace aware::console;

namespace {

parse_result parse(std::vector<std::string_view> args) {
  return parse_options(std::span<const std::string_view>(args), "centralist@host");
}

}  // namespace

TEST_CASE("the server option is required", "[console][options]") {
  const auto r = parse({"--json"});
  CHECK_FALSE(r.options.has_value());
  CHECK(r.error == "--server HOST:PORT is required");
}

TEST_CASE("all options in both forms, and defaults", "[console][options]") {
  const auto plain = parse({"--server", "localhost:8080"});
  REQUIRE(plain.options);
  CHECK(plain.options->host == "localhost");
  CHECK(plain.options->port == "8080");
  CHECK(plain.options->name == "centralist@host");
  CHECK_FALSE(plain.options->json);
  CHECK_FALSE(plain.options->accept);
  CHECK_FALSE(plain.options->exit_after);
  CHECK_FALSE(plain.options->timeout);

  const auto full = parse({"--server=[::1]:9", "--json", "--accept", "--name=jan",
                           "--exit-after", "3", "--timeout=1.5"});
  REQUIRE(full.options);
  CHECK(full.options->host == "::1");
  CHECK(full.options->port == "9");
  CHECK(full.options->json);
  CHECK(full.options->accept);
  CHECK(full.options->name == "jan");
  CHECK(full.options->exit_after == 3U);
  REQUIRE(full.options->timeout);
  CHECK(full.options->timeout->count() == 1500);
}

TEST_CASE("the help option wins", "[console][options]") {
  CHECK(parse({"--help"}).help);
  CHECK(parse({"-h"}).help);
  CHECK(help_text().find("Exit codes") != std::string::npos);
}

TEST_CASE("bad values are usage errors", "[console][options]") {
  for (const auto& bad : std::vector<std::vector<std::string_view>>{
           {"--server", "localhost"}, {"--server", "h:0"}, {"--server", "h:65536"},
           {"--server"}, {"--server", "h:1", "--exit-after", "0"},
           {"--server", "h:1", "--exit-after", "-1"}, {"--server", "h:1", "--timeout", "0"},
           {"--server", "h:1", "--timeout", "nan"}, {"--server", "h:1", "--timeout", "inf"},
           {"--server", "h:1", "--timeout", "999999999"}, {"--server", "h:1", "--name", ""},
           {"--server", "h:1", "--json=1"}, {"--server", "h:1", "--bogus"},
           {"--server", "h:1", "extra"}}) {
    const auto r = parse(bad);
    INFO(bad.back());
    CHECK_FALSE(r.options.has_value());
    CHECK_FALSE(r.error.empty());
  }
}

TEST_CASE("the regions option takes a comma-separated list of region ids", "[console][options]") {
  const auto none = parse({"--server", "h:1"});
  REQUIRE(none.options);
  CHECK(none.options->regions.empty());
  const auto two = parse({"--server", "h:1", "--regions", "midden-nederland,amsterdam"});
  REQUIRE(two.options);
  CHECK(two.options->regions == "midden-nederland,amsterdam");
  const auto inline_form = parse({"--server", "h:1", "--regions=landelijk"});
  REQUIRE(inline_form.options);
  CHECK(inline_form.options->regions == "landelijk");
  for (std::string_view bad : {"", ",a", "a,", "a,,b", "A", "a b", "a&b=c"}) {
    const auto r = parse({"--server", "h:1", "--regions", bad});
    CHECK_FALSE(r.options);
    CHECK(r.error.starts_with("--regions needs"));
  }
  CHECK_FALSE(parse({"--server", "h:1", "--regions"}).options);
}

TEST_CASE("the ca option names the CA file for wss", "[console][options]") {
  const auto none = parse({"--server", "h:1"});
  REQUIRE(none.options);
  CHECK_FALSE(none.options->ca_file);
  const auto given = parse({"--server", "h:1", "--ca", "var/tls/demo-ca.crt"});
  REQUIRE(given.options);
  CHECK(given.options->ca_file == "var/tls/demo-ca.crt");
  const auto inline_form = parse({"--server", "h:1", "--ca=ca.pem"});
  REQUIRE(inline_form.options);
  CHECK(inline_form.options->ca_file == "ca.pem");
  CHECK_FALSE(parse({"--server", "h:1", "--ca"}).options);
  CHECK_FALSE(parse({"--server", "h:1", "--ca="}).options);
  CHECK(help_text().find("--ca FILE") != std::string::npos);
}
