// test_users.cpp — system tests of user management by an admin through the REST API (GET
// /api/v1/users, PUT /api/v1/users/{name}, POST /api/v1/users/{name}/deactivate) with the real
// awared: a user is added, signs in and opens a console; a change of her scope ends her session
// and closes her console at once, and she signs in again with the new scope; a deactivated user
// cannot sign in; every change is audited. Bad input, other roles and removing the last admin
// are refused and write nothing. awarectl's users commands do the same from the command line. A
// logout closes the consoles opened with that session, and only those. A user changes her own
// password (REST and `awarectl passwd`): only with the right current one; her sessions end and
// her consoles close. Wrong passwords lock a user name for a while, known or not.
// Label: security.
#include <sys/wait.h>

#include <algorithm>
#include <fstream>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
using nlohmann::json;

namespace {

std::string body_of(const std::string& reply) {
  const auto at = reply.find("\r\n\r\n");
  return at == std::string::npos ? std::string{} : reply.substr(at + 4);
}

bool status_is(const std::string& reply, const std::string& status) {
  return reply.rfind("HTTP/1.1 " + status, 0) == 0;
}

// POST /api/v1/login as `user`; the token, or "" when refused.
std::string login(std::uint16_t port, const std::string& user, const std::string& password) {
  const auto reply = http_raw(port, "POST", "/api/v1/login",
                              json{{"user", user}, {"password", password}}.dump());
  return status_is(reply, "200") ? json::parse(body_of(reply))["token"].get<std::string>() : "";
}

std::string whoami(std::uint16_t port, const std::string& token) {
  return http_raw(port, "GET", "/api/v1/whoami", "", {"Authorization: Bearer " + token});
}

// PUT /api/v1/users/{name} with `body`, as the standard admin.
std::string put_user(std::uint16_t port, const std::string& name, const json& body) {
  return http_send(port, "PUT", "/api/v1/users/" + name, body.dump());
}

constexpr const char* kPassword = "carla-wachtwoord-1";

// Adds carla, centralist of midden-nederland, with kPassword (as the standard admin).
void add_carla(std::uint16_t port) {
  REQUIRE(status_is(put_user(port, "carla", {{"role", "centralist"},
                                             {"regions", {"midden-nederland"}},
                                             {"password", kPassword}}),
                    "201"));
}

}  // namespace

TEST_CASE("an admin adds, changes and deactivates a user, and a change ends her session and closes "
          "her console at once", "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();

  const auto added = put_user(port, "carla",
                              {{"role", "centralist"}, {"regions", {"midden-nederland"}},
                               {"password", kPassword}});
  INFO(added);
  REQUIRE(status_is(added, "201"));
  CHECK(json::parse(body_of(added))["regions"] == json::array({"midden-nederland"}));
  const auto listed = http_get(port, "/api/v1/users");
  REQUIRE(status_is(listed, "200"));
  CHECK(listed.find("\"user\":\"carla\"") != std::string::npos);
  CHECK(listed.find("argon2") == std::string::npos);  // never a hash, never a password
  CHECK(listed.find(kPassword) == std::string::npos);

  const auto token = login(port, "carla", kPassword);
  REQUIRE(!token.empty());
  Centralist console{port, "carla", "/ws/meldkamer", token};
  REQUIRE(console.next());  // the snapshot

  // Her regions change: her session ends and her console is closed; she signs in again (the
  // password was kept) and has the new scope.
  const auto changed = put_user(port, "carla", {{"role", "centralist"}, {"regions", {"amsterdam"}}});
  INFO(changed);
  REQUIRE(status_is(changed, "200"));
  CHECK(console.ended_by_server());
  CHECK(status_is(whoami(port, token), "401"));
  const auto again = login(port, "carla", kPassword);
  REQUIRE(!again.empty());
  const auto me = whoami(port, again);
  REQUIRE(status_is(me, "200"));
  CHECK(json::parse(body_of(me))["regions"] == json::array({"amsterdam"}));

  // Deactivated: the session ends and she cannot sign in; a change of her scope leaves her
  // deactivated; made active again, she can sign in.
  Centralist second{port, "carla", "/ws/meldkamer", again};
  REQUIRE(second.next());
  // ({name} is percent-decoded: %63 is "c".)
  REQUIRE(status_is(http_send(port, "POST", "/api/v1/users/%63arla/deactivate", ""), "200"));
  CHECK(second.ended_by_server());
  CHECK(status_is(whoami(port, again), "401"));
  CHECK(login(port, "carla", kPassword).empty());
  CHECK(query_one(awared.db(), "SELECT active FROM users WHERE name='carla'") == "0");
  const auto still_off = put_user(port, "carla", {{"role", "centralist"}, {"regions", {"amsterdam"}}});
  REQUIRE(status_is(still_off, "200"));
  CHECK(json::parse(body_of(still_off))["active"] == false);
  CHECK(login(port, "carla", kPassword).empty());
  REQUIRE(status_is(put_user(port, "carla", {{"role", "centralist"}, {"regions", {"amsterdam"}},
                                             {"active", true}}),
                    "200"));
  CHECK(!login(port, "carla", kPassword).empty());

  CHECK(query_one(awared.db(), "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit "
                               "WHERE subject='user:carla' AND actor='admin' ORDER BY id)") ==
        "users.create users.update users.deactivate users.update users.update");
  // What changed is in the row (never the password): the first update.
  CHECK(query_one(awared.db(), "SELECT justification FROM audit WHERE action='users.update' "
                               "AND subject='user:carla' ORDER BY id LIMIT 1") ==
        "role=centralist regions=amsterdam active, password kept");
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE action='users.list'") == "1");
}

TEST_CASE("the users API refuses bad input, other roles and removing the last admin, and "
          "writes nothing then", "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const auto users_before = query_one(awared.db(), "SELECT count(*) FROM users");

  // Not an admin: refused (and the refusal audited, not the request).
  const auto pac = token_for(port, default_user("/api/v1/clients"));
  CHECK(status_is(http_raw(port, "GET", "/api/v1/users", "", {"Authorization: Bearer " + pac}),
                  "403"));
  CHECK(status_is(http_raw(port, "PUT", "/api/v1/users/x",
                           json{{"role", "admin"}, {"password", kPassword}}.dump(),
                           {"Authorization: Bearer " + pac}),
                  "403"));

  const json centralist{{"role", "centralist"}, {"regions", {"midden-nederland"}},
                        {"password", kPassword}};
  struct Bad {
    std::string name;
    std::string body;
    std::string says;
  };
  const std::vector<Bad> bad{
      {"dora", "{not json", "body:"},
      {"dora", json{{"role", "root"}, {"password", kPassword}}.dump(), "role:"},
      {"dora", json{{"role", "centralist"}, {"password", kPassword}}.dump(), "regions:"},
      {"dora", json{{"role", "centralist"}, {"regions", {"nergens"}}, {"password", kPassword}}.dump(),
       "regions: no region or desk nergens"},
      {"dora", json{{"role", "hulpverlener"}, {"clients", {"C-999"}}, {"password", kPassword}}.dump(),
       "clients: no client C-999"},
      {"dora", json{{"role", "admin"}, {"password", "kort"}}.dump(), "password:"},
      {"dora", json{{"role", "admin"}}.dump(), "password: required for a new user"},
      {"dora", json{{"role", "admin"}, {"password", kPassword}, {"rol", "x"}}.dump(),
       "rol: unknown field"},
      {"dora", json{{"role", "admin"}, {"password", kPassword}, {"user", "eva"}}.dump(), "user:"},
      {"do%20ra", centralist.dump(), "user: a new user's name is 1 to 128 of"},
      {"do%2", centralist.dump(), "user: 1 to 128 bytes"},
      {"..", centralist.dump(), "user: a new user's name is 1 to 128 of"},
      {"do%0Ara", centralist.dump(), "user: 1 to 128 bytes"},
      {"dora", json{{"role", "admin"}, {"password", kPassword}, {std::string(70, 'x'), 1}}.dump(),
       "body: unknown field"},
  };
  for (const auto& b : bad) {
    const auto reply = http_send(port, "PUT", "/api/v1/users/" + b.name, b.body);
    INFO(b.body << " → " << reply);
    CHECK(status_is(reply, "400"));
    CHECK(body_of(reply).find(b.says) != std::string::npos);
  }
  // The only admin may neither deactivate nor demote herself; an unknown user is 404.
  CHECK(status_is(http_send(port, "POST", "/api/v1/users/admin/deactivate", ""), "409"));
  CHECK(status_is(put_user(port, "admin", {{"role", "pac_operator"}}), "409"));
  CHECK(status_is(http_send(port, "POST", "/api/v1/users/niemand/deactivate", ""), "404"));

  CHECK(query_one(awared.db(), "SELECT count(*) FROM users") == users_before);
  CHECK(query_one(awared.db(), "SELECT count(*) FROM users WHERE role='admin' AND active=1") == "1");
  // No change was audited (the PAC operator's two refusals are, as refusals).
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE action LIKE 'users.%' AND "
                               "actor<>'awared --add-user'") == "0");
  // The admin's session survived her refused changes.
  CHECK(status_is(http_get(port, "/api/v1/users"), "200"));
}

TEST_CASE("awarectl users sets a user with a password read from stdin, lists and deactivates it",
          "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  // users set --password reads the password like login does (here: the first line of stdin).
  const auto token = token_for(port, default_user("/api/v1/users"));
  const std::string command = "printf '%s\\n' '" + std::string(kPassword) + "' | '" +
                              awarectl_bin() + "' --server 127.0.0.1:" + std::to_string(port) +
                              " users set carla --role centralist --regions midden-nederland,"
                              "amsterdam --password";
  Process set{{"/bin/sh", "-c", command},
              {{"AWARED_TOKEN", token},
               {"AWARED_TOKEN_FILE", (dir.path() / "awarectl-token").string()}},
              dir.path() / "awarectl-users-set.log"};
  const auto status = set.wait();
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  const auto carla = login(port, "carla", kPassword);
  REQUIRE(!carla.empty());
  CHECK(json::parse(body_of(whoami(port, carla)))["regions"] ==
        json::array({"amsterdam", "midden-nederland"}));

  const auto listed = awarectl(dir, port, {"users", "list"});
  REQUIRE(listed.exit_code == 0);
  const auto users = json::parse(listed.out);
  const auto it = std::find_if(users.begin(), users.end(),
                               [](const json& u) { return u["user"] == "carla"; });
  REQUIRE(it != users.end());
  CHECK((*it)["role"] == "centralist");
  CHECK(listed.out.find("argon2") == std::string::npos);

  // Without --password a new user is refused by awared, with its reason.
  const auto no_password = awarectl(dir, port, {"users", "set", "dora", "--role", "admin"});
  CHECK(no_password.exit_code == 1);
  CHECK(no_password.err.find("password: required for a new user") != std::string::npos);

  REQUIRE(awarectl(dir, port, {"users", "deactivate", "carla"}).exit_code == 0);
  CHECK(status_is(whoami(port, carla), "401"));
  CHECK(login(port, "carla", kPassword).empty());
  // Not an admin: refused.
  const auto as_pac = awarectl_with(dir, port, {"users", "list"},
                                    {{"AWARED_TOKEN", token_for(port, default_user("/api/v1/"))}});
  CHECK(as_pac.exit_code == 1);
  CHECK(as_pac.err.find("HTTP 403") != std::string::npos);
}

TEST_CASE("a logout closes the consoles opened with that session and no other session's",
          "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  add_carla(port);
  const auto desk = login(port, "carla", kPassword);
  const auto laptop = login(port, "carla", kPassword);
  REQUIRE((!desk.empty() && !laptop.empty()));
  Centralist at_desk{port, "carla", "/ws/meldkamer", desk};
  Centralist on_laptop{port, "carla", "/ws/meldkamer", laptop};
  REQUIRE(at_desk.next());
  REQUIRE(on_laptop.next());
  REQUIRE(status_is(http_raw(port, "POST", "/api/v1/logout", "", {"Authorization: Bearer " + desk}),
                    "200"));
  CHECK(at_desk.ended_by_server());
  // The other session's console still gets what it is sent: an alarm in her region.
  Device device{awared.device_port(), "XM-DEMO-001"};
  device.press(1);
  REQUIRE(device.next().has_ack());
  CHECK(on_laptop.wait_for([](const json& f) {
    return f.contains("update") && f["update"]["incident"].value("deviceId", "") == "XM-DEMO-001";
  }));
  CHECK(status_is(whoami(port, laptop), "200"));
}

TEST_CASE("a user changes her own password with the current one, which ends her sessions and "
          "closes her consoles", "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  add_carla(port);
  const auto token = login(port, "carla", kPassword);
  REQUIRE(!token.empty());
  Centralist console{port, "carla", "/ws/meldkamer", token};
  REQUIRE(console.next());
  const auto change = [&](const json& body) {
    return http_raw(port, "POST", "/api/v1/password", body.dump(), {"Authorization: Bearer " + token});
  };
  const auto audit_rows = [&] { return query_one(awared.db(), "SELECT count(*) FROM audit"); };

  // Refused, writing nothing: a wrong current password (403, audited as a refusal), a new one
  // too short, the same, missing or an unknown field (400 naming it); without a session 401.
  const auto rows_before = audit_rows();
  const auto wrong = change({{"current", "not-her-password"}, {"new", "carla-nieuw-wachtwoord"}});
  CHECK(status_is(wrong, "403"));
  CHECK(body_of(wrong).find("current: wrong password") != std::string::npos);
  for (const auto& [body, field] : std::vector<std::pair<json, std::string>>{
           {{{"current", kPassword}, {"new", "kort"}}, "new:"},
           {{{"current", kPassword}, {"new", kPassword}}, "new: the same"},
           {{{"new", "carla-nieuw-wachtwoord"}}, "current: required"},
           {{{"current", kPassword}}, "new: required"},
           {{{"current", kPassword}, {"new", "carla-nieuw-wachtwoord"}, {"user", "root"}}, "user: unknown field"},
           {{{"current", kPassword}, {"new", 12}}, "new: a string"}}) {
    const auto reply = change(body);
    INFO(body.dump() << " -> " << reply);
    CHECK(status_is(reply, "400"));
    CHECK(body_of(reply).find(field) != std::string::npos);
  }
  CHECK(status_is(http_raw(port, "POST", "/api/v1/password",
                           json{{"current", kPassword}, {"new", "carla-nieuw-wachtwoord"}}.dump()),
                  "401"));
  CHECK(status_is(http_raw(port, "GET", "/api/v1/password", "", {"Authorization: Bearer " + token}),
                  "405"));
  CHECK(status_is(whoami(port, token), "200"));  // still signed in
  CHECK(login(port, "carla", "carla-nieuw-wachtwoord").empty());
  // Only the wrong password's refusal was audited (the refusals are written in batches: read the
  // log through the API, which writes them first).
  REQUIRE(status_is(http_get(port, "/api/v1/audit?action=refused&actor=carla"), "200"));
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE action='refused' AND actor='carla' "
                               "AND justification='current: wrong password'") == "1");
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE action NOT IN "
                               "('refused', 'audit.read') AND id > " + rows_before) == "0");

  // The right one: changed; her session ended and her console closed; the new password signs
  // her in, the old one no longer does; audited as users.password, by her.
  const auto changed = change({{"current", kPassword}, {"new", "carla-nieuw-wachtwoord"}});
  INFO(changed);
  REQUIRE(status_is(changed, "200"));
  CHECK(console.ended_by_server());
  CHECK(status_is(whoami(port, token), "401"));
  CHECK(login(port, "carla", kPassword).empty());
  CHECK(!login(port, "carla", "carla-nieuw-wachtwoord").empty());
  CHECK(query_one(awared.db(), "SELECT actor || ' ' || subject FROM audit WHERE "
                               "action='users.password'") == "carla user:carla");

  // awarectl passwd reads the current and the new password (here: two lines of stdin) and
  // forgets the token, whose session the change ended.
  const auto token_file = dir.path() / "carla-token";
  const auto second = login(port, "carla", "carla-nieuw-wachtwoord");
  REQUIRE(!second.empty());
  {
    std::ofstream out{token_file};
    out << second;
  }
  const std::string command = "printf '%s\\n%s\\n' carla-nieuw-wachtwoord carla-derde-wachtwoord | '" +
                              awarectl_bin() + "' --server 127.0.0.1:" + std::to_string(port) +
                              " passwd";
  Process passwd{{"/bin/sh", "-c", command},
                 {{"AWARED_TOKEN_FILE", token_file.string()}},
                 dir.path() / "awarectl-passwd.log"};
  const auto status = passwd.wait();
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK(!std::filesystem::exists(token_file));
  CHECK(status_is(whoami(port, second), "401"));
  CHECK(!login(port, "carla", "carla-derde-wachtwoord").empty());
}

TEST_CASE("after five wrong passwords a user name is locked, even for the right one, other "
          "users are not, and an admin's new password unlocks it", "[system][security]") {
  TempDir dir;
  // A first lock of 10 minutes: the test never races a lock running out.
  Awared awared{dir, AwaredOptions{.security_toml = "login_lock_s = 600"}};
  const auto port = awared.meldkamer_port();
  add_carla(port);
  const auto session = login(port, "carla", kPassword);  // before: she may change it later
  REQUIRE(!session.empty());
  const auto attempt = [&](const std::string& user, const std::string& password) {
    return http_raw(port, "POST", "/api/v1/login",
                    json{{"user", user}, {"password", password}}.dump());
  };
  // Five wrong passwords cost nothing extra; the sixth locks the name from this address
  // (AWR-6032).
  for (int i = 0; i < 6; ++i) {
    CHECK(status_is(attempt("carla", "geraden-wachtwoord"), "401"));
  }
  CHECK(log_text(awared).find("AWR-6032 password checks for user carla from 127.0.0.1 locked for "
                              "600 s after 6 wrong passwords in a row") != std::string::npos);
  // While locked, even the right password is refused at once, with how long to wait.
  const auto refused = attempt("carla", kPassword);
  INFO(refused);
  CHECK(status_is(refused, "429"));
  const auto body = json::parse(body_of(refused));
  CHECK(body["error"].get<std::string>().rfind("too many wrong passwords for this user", 0) == 0);
  CHECK(body["retry_after_s"].get<int>() > 0);
  // The change of her own password is locked alike; her open session still works.
  CHECK(status_is(http_raw(port, "POST", "/api/v1/password",
                           json{{"current", kPassword}, {"new", "carla-nieuw-wachtwoord"}}.dump(),
                           {"Authorization: Bearer " + session}),
                  "429"));
  CHECK(status_is(whoami(port, session), "200"));
  // Someone else signs in as ever.
  CHECK(!login(port, default_user("/api/v1/users").name, kTestPassword).empty());
  // An unknown name is locked the same way: the answers do not tell known from unknown names.
  for (int i = 0; i < 6; ++i) {
    CHECK(status_is(attempt("niemand", "geraden-wachtwoord"), "401"));
  }
  CHECK(status_is(attempt("niemand", "geraden-wachtwoord"), "429"));
  CHECK(log_text(awared).find("AWR-6032 password checks for user (unknown) from 127.0.0.1") !=
        std::string::npos);
  // An admin sets a new password for carla: her name is unlocked, and it signs her in.
  REQUIRE(status_is(put_user(port, "carla", {{"role", "centralist"},
                                             {"regions", {"midden-nederland"}},
                                             {"password", "carla-van-de-beheerder"}}),
                    "200"));
  CHECK(!login(port, "carla", "carla-van-de-beheerder").empty());
}
