// test_awarectl_users.cpp — awarectl's users commands (client/awarectl/users_commands.hpp): the
// requests to /api/v1/users they make, the password left to main (never on the command line),
// and their usage errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "awarectl_parse.hpp"
#include "command.hpp"

using namespace aware::awarectl;
using namespace aware::awarectl::testing;

TEST_CASE("awarectl users commands map to the users API", "[awarectl][security]") {
  CHECK(ok({"users", "list"}).target == "/api/v1/users");
  const auto set = ok({"users", "set", "anna", "--role", "centralist", "--regions",
                       "midden-nederland,amsterdam", "--password"});
  CHECK(set.method == "PUT");
  CHECK(set.target == "/api/v1/users/anna");
  CHECK(set.password_for == "anna");  // main reads it, never from the command line
  CHECK(nlohmann::json::parse(std::get<InlineBody>(set.body).json) ==
        nlohmann::json{{"role", "centralist"}, {"regions", {"midden-nederland", "amsterdam"}}});
  const auto off = ok({"users", "set", "vera", "--role", "hulpverlener", "--clients", "C-1",
                       "--organisation", "Veilig Thuis", "--inactive"});
  CHECK(off.password_for.empty());
  CHECK(nlohmann::json::parse(std::get<InlineBody>(off.body).json) ==
        nlohmann::json{{"role", "hulpverlener"},
                       {"clients", {"C-1"}},
                       {"organisation", "Veilig Thuis"},
                       {"active", false}});
  CHECK(nlohmann::json::parse(std::get<InlineBody>(ok({"users", "set", "vera", "--role", "admin",
                                                       "--active"}).body).json)["active"] == true);
  // A name is percent-encoded in the path (an older user may have any name).
  const auto deactivate = ok({"users", "deactivate", "anna smith/1"});
  CHECK(deactivate.method == "POST");
  CHECK(deactivate.target == "/api/v1/users/anna%20smith%2F1/deactivate");

  CHECK(usage({"users"}).rfind("users needs list, set NAME", 0) == 0);
  CHECK(usage({"users", "set", "anna"}).rfind("users set needs --role", 0) == 0);
  CHECK(usage({"users", "set", "--role", "admin"}) == "users set needs NAME (1 to 128 bytes)");
  CHECK(usage({"users", "set", "x", "--role", "admin", "--active", "--inactive"}) ==
        "users set takes --active or --inactive, not both");
  CHECK(usage({"users", "deactivate", "anna", "--role", "admin"}) ==
        "users deactivate takes no --role");
  CHECK(usage({"users", "list", "--stale"}) == "users takes no --stale");
  CHECK(usage({"list", "client", "--role", "admin"}) == "list takes no --role");
}
