// test_awarectl_command.cpp — awarectl's command line to HTTP request mapping (client/awarectl/
// command.hpp): every command, the server option, and the usage errors (exit code 2).
#include <catch2/catch.hpp>

#include "awarectl_parse.hpp"
#include "command.hpp"

using namespace aware::awarectl;

using namespace aware::awarectl::testing;

TEST_CASE("awarectl commands map to the registry API", "[awarectl]") {
  auto add = ok({"add", "aol", "--json", "{}"});
  CHECK(add.method == "POST");
  CHECK(add.target == "/api/v1/aols");
  CHECK(std::get<InlineBody>(add.body).json == "{}");
  CHECK(add.host == "127.0.0.1");
  CHECK(add.port == 8080);

  auto list = ok({"--server", "10.0.0.5:9000", "list", "client"});
  CHECK(list.method == "GET");
  CHECK(list.target == "/api/v1/clients");
  CHECK(list.host == "10.0.0.5");
  CHECK(list.port == 9000);

  CHECK(ok({"show", "device", "XM-1"}).target == "/api/v1/devices/XM-1");
  auto update = ok({"update", "region", "mn", "--file", "r.json"});
  CHECK(update.method == "PUT");
  CHECK(std::get<FileBody>(update.body).path == "r.json");
  auto deactivate = ok({"deactivate", "aop", "P-1"});
  CHECK(deactivate.method == "POST");
  CHECK(deactivate.target == "/api/v1/aops/P-1/deactivate");

  auto import = ok({"import", "all.json"});
  CHECK(import.target == "/api/v1/import");
  CHECK(std::get<FileBody>(import.body).path == "all.json");
  CHECK(ok({"export"}).target == "/api/v1/export");
  auto regions = ok({"regions", "import", "nl.geojson", "--server", "[::1]:8081"});
  CHECK(regions.target == "/api/v1/regions/import");
  CHECK(regions.host == "::1");
}

TEST_CASE("awarectl usage errors", "[awarectl]") {
  CHECK(usage({}) == "no command given");
  CHECK(usage({"--help"}).empty());
  CHECK(usage({"add", "person", "--json", "{}"}).rfind("unknown KIND", 0) == 0);
  CHECK(usage({"add", "client"}) == "add needs --file F or --json '{...}'");
  CHECK(usage({"show", "client"}) == "show needs KIND ID");
  CHECK(usage({"list", "client", "--json", "{}"}) == "list takes no --file or --json");
  CHECK(usage({"--server", "nohost", "export"}).rfind("--server must be HOST:PORT", 0) == 0);
  CHECK(usage({"--server", "h:70000", "export"}).rfind("--server must be HOST:PORT", 0) == 0);
  CHECK(usage({"frobnicate"}) == "unknown command \"frobnicate\"");
  CHECK(usage({"export", "--verbose"}) == "unknown option --verbose");
}

TEST_CASE("awarectl login, logout and --justification map to the session endpoints and header",
          "[awarectl][security]") {
  const auto login = ok({"login", "anna"});
  CHECK(login.method == "POST");
  CHECK(login.target == "/api/v1/login");
  CHECK(login.output == Output::login);
  CHECK(login.user == "anna");
  const auto passwd = ok({"passwd"});
  CHECK(passwd.method == "POST");
  CHECK(passwd.target == "/api/v1/password");
  CHECK(passwd.output == Output::passwd);
  CHECK(usage({"passwd", "anna"}) == "passwd takes nothing (it asks for the passwords)");
  CHECK(usage({"passwd", "--json", "{}"}) == "passwd takes nothing (it asks for the passwords)");
  const auto logout = ok({"logout"});
  CHECK(logout.target == "/api/v1/logout");
  CHECK(logout.output == Output::logout);
  const auto show = ok({"--justification", "melding 12", "show", "aop", "AOP-1"});
  CHECK(show.target == "/api/v1/aops/AOP-1");
  CHECK(show.justification == "melding 12");
  CHECK(usage({"login"}) == "login needs USER only");
  CHECK(usage({"login", "anna", "bob"}) == "login needs USER only");
  CHECK(usage({"logout", "anna"}) == "logout takes nothing");
  CHECK(usage({"--justification", std::string(501, 'x'), "show", "aop", "A"}) ==
        "--justification must be 1..500 characters");
}

TEST_CASE("awarectl takes the CA for HTTPS from --ca or AWARED_CA", "[awarectl]") {
  CHECK(ok({"list", "client"}).ca_file.empty());
  CHECK(ok({"--ca", "ca.pem", "list", "client"}).ca_file == "ca.pem");
  Defaults from_env;
  from_env.ca_file = "env-ca.pem";
  auto env = parse_command({"list", "client"}, from_env);
  REQUIRE(std::holds_alternative<Command>(env));
  CHECK(std::get<Command>(env).ca_file == "env-ca.pem");
  auto both = parse_command({"--ca", "flag-ca.pem", "list", "client"}, from_env);
  REQUIRE(std::holds_alternative<Command>(both));
  CHECK(std::get<Command>(both).ca_file == "flag-ca.pem");
  CHECK(usage({"list", "client", "--ca"}) == "--ca needs a FILE");
  CHECK(std::string{kUsageText}.find("--ca FILE") != std::string::npos);
}
