// test_login.cpp — system tests of logins (issue 6, item 3) with the real awared: a user added
// with `awared --add-user` (password on stdin, stored only as an argon2id hash) logs in through
// the REST API, is known by their bearer token, and logs out; wrong passwords, unknown users,
// forged and ended tokens are refused with one message. Label: security.
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
using nlohmann::json;

namespace {

// Runs `awared --config CONFIG --add-user …` with `password` on stdin; returns the exit code.
int add_user(const Awared& awared, const TempDir& dir, const std::string& password,
             const std::vector<std::string>& args) {
  std::string command = "printf '%s\\n' '" + password + "' | '" + awared_bin() + "' --config '" +
                        awared.config_file().string() + "'";
  for (const auto& a : args) {
    command += " '" + a + "'";
  }
  Process p{{"/bin/sh", "-c", command}, {}, dir.path() / "add-user.log"};
  const auto status = p.wait();
  REQUIRE(status);
  return WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

std::string body_of(const std::string& reply) {
  const auto at = reply.find("\r\n\r\n");
  return at == std::string::npos ? std::string{} : reply.substr(at + 4);
}

std::string with_token(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& token) {
  RawConnection c{port};
  c.send(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" +
         "Authorization: Bearer " + token + "\r\nContent-Length: 0\r\n\r\n");
  return c.read_all();
}

}  // namespace

TEST_CASE("a user added with --add-user logs in, is known by the token, and logs out",
          "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  REQUIRE(add_user(awared, dir, "geheim-wachtwoord-1",
                   {"--add-user", "anna", "--role", "centralist", "--regions", "midden-nederland"}) == 0);
  CHECK(query_one(awared.db(), "SELECT role FROM users WHERE name='anna'") == "centralist");
  CHECK(query_one(awared.db(), "SELECT password_hash LIKE '$argon2id$%' FROM users") == "1");
  CHECK(query_one(awared.db(), "SELECT instr(password_hash, 'geheim') FROM users") == "0");

  const auto port = awared.meldkamer_port();
  const auto wrong = http_send(port, "POST", "/api/v1/login", R"({"user":"anna","password":"fout-wachtwoord-9"})");
  CHECK(wrong.rfind("HTTP/1.1 401", 0) == 0);
  const auto unknown = http_send(port, "POST", "/api/v1/login", R"({"user":"bob","password":"fout-wachtwoord-9"})");
  CHECK(unknown.rfind("HTTP/1.1 401", 0) == 0);
  CHECK(body_of(wrong) == body_of(unknown));  // no hint which of the two was wrong
  CHECK(http_send(port, "POST", "/api/v1/login", R"({"user":"","password":"x"})").rfind("HTTP/1.1 401", 0) == 0);

  const auto ok = http_send(port, "POST", "/api/v1/login", R"({"user":"anna","password":"geheim-wachtwoord-1"})");
  REQUIRE(ok.rfind("HTTP/1.1 200", 0) == 0);
  const auto login = json::parse(body_of(ok));
  const std::string token = login["token"];
  CHECK(token.size() == 64);
  CHECK(login["role"] == "centralist");
  CHECK(query_one(awared.db(), "SELECT count(*) FROM sessions WHERE token_digest='" + token + "'") == "0");

  const auto me = with_token(port, "GET", "/api/v1/whoami", token);
  REQUIRE(me.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(json::parse(body_of(me))["regions"] == json::array({"midden-nederland"}));
  CHECK(with_token(port, "GET", "/api/v1/whoami", std::string(64, 'a')).rfind("HTTP/1.1 401", 0) == 0);
  CHECK(http_raw(port, "GET", "/api/v1/whoami", "").rfind("HTTP/1.1 401", 0) == 0);  // no token

  CHECK(with_token(port, "POST", "/api/v1/logout", token).rfind("HTTP/1.1 200", 0) == 0);
  CHECK(with_token(port, "GET", "/api/v1/whoami", token).rfind("HTTP/1.1 401", 0) == 0);
  CHECK(with_token(port, "POST", "/api/v1/logout", token).rfind("HTTP/1.1 401", 0) == 0);

  // Audited: her sign-in and sign-out as rows of her own, and the three refused logins as
  // refusals of "anonymous" — naming anna, but neither the unknown nor the empty name (a name
  // that is no user may be a password typed into the wrong field).
  const auto listed = json::parse(body_of(http_get(port, "/api/v1/audit?limit=1000")));
  std::vector<std::string> hers;
  int refused_as_anna = 0;
  int refused_unnamed = 0;
  for (const auto& row : listed.at("audit")) {
    const std::string action = row.at("action");
    const std::string subject = row.at("subject");
    if (row.at("actor") == "anna") {
      hers.push_back(action + " " + subject);
    }
    if (action == "refused" && row.at("actor") == "anonymous") {
      refused_as_anna += subject == "POST /api/v1/login as anna" ? 1 : 0;
      refused_unnamed += subject == "POST /api/v1/login" ? 1 : 0;
    }
    CHECK(row.dump().find("bob") == std::string::npos);
  }
  CHECK(hers == std::vector<std::string>{"auth.login user:anna", "auth.logout user:anna"});
  CHECK(refused_as_anna == 1);
  CHECK(refused_unnamed == 2);
}

TEST_CASE("adding a user refuses a short password, an unknown role and a centralist without regions",
          "[system][security]") {
  TempDir dir;
  AwaredOptions options;
  options.create_users = false;  // count only the users this test adds
  Awared awared{dir, options};
  CHECK(add_user(awared, dir, "kort", {"--add-user", "x", "--role", "admin"}) == 2);
  CHECK(add_user(awared, dir, "lang-genoeg-wachtwoord", {"--add-user", "x", "--role", "root"}) == 2);
  CHECK(add_user(awared, dir, "lang-genoeg-wachtwoord", {"--add-user", "x", "--role", "centralist"}) == 2);
  CHECK(query_one(awared.db(), "SELECT count(*) FROM users") == "0");
  CHECK(add_user(awared, dir, "lang-genoeg-wachtwoord", {"--add-user", "root", "--role", "admin"}) == 0);
  CHECK(query_one(awared.db(), "SELECT count(*) FROM users") == "1");
}

TEST_CASE("passwords and tokens and the names of clients never reach the log", "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  REQUIRE(add_user(awared, dir, "geheim-wachtwoord-2",
                   {"--add-user", "bert", "--role", "centralist", "--regions", "midden-nederland"}) == 0);
  const auto port = awared.meldkamer_port();
  // A failed and a good login, a whoami, a forged token.
  http_send(port, "POST", "/api/v1/login", R"({"user":"bert","password":"fout-wachtwoord-8"})");
  const auto ok = http_send(port, "POST", "/api/v1/login", R"({"user":"bert","password":"geheim-wachtwoord-2"})");
  REQUIRE(ok.rfind("HTTP/1.1 200", 0) == 0);
  const std::string token = json::parse(body_of(ok))["token"];
  with_token(port, "GET", "/api/v1/whoami", token);
  const std::string forged(64, 'f');
  with_token(port, "GET", "/api/v1/clients/C-001", forged);
  // A spoedmelding for the demo client: matched to her AOP, dispatched, its detail read.
  Device device{awared.device_port(), "XM-DEMO-001"};
  device.press(1);
  REQUIRE(device.next().has_ack());
  REQUIRE(http_send(port, "GET", "/api/v1/clients/C-001", "").rfind("HTTP/1.1 200", 0) == 0);
  REQUIRE(http_send(port, "GET", "/api/v1/aops/AOP-001", "").rfind("HTTP/1.1 200", 0) == 0);
  // The audit log shows the read happened (so the log had its chance to leak).
  REQUIRE(query_one(awared.db(), "SELECT count(*) FROM audit WHERE subject='aop:AOP-001'") != "0");

  std::ifstream in{awared.log_file()};
  const std::string log{std::istreambuf_iterator<char>(in), {}};
  REQUIRE(log.find("AWR-1004") != std::string::npos);  // the log is the real one
  const std::vector<std::string> secrets{"geheim-wachtwoord-2", "fout-wachtwoord-8", token,
                                        forged,          "Anna de Vries",     "Ex-partner",
                                        "lang donker haar", "Oudegracht"};
  for (const auto& secret : secrets) {
    INFO(secret);
    CHECK(log.find(secret) == std::string::npos);
  }
}
