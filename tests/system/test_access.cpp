// test_access.cpp — system tests of the access policy (issue 6 item 3) on every REST call and
// WebSocket, with the real awared: missing, forged and expired tokens get 401; a PAC operator
// or a case worker asking for the meldkamer feed (GPS), a centralist acting on another
// region's incident, a case worker reading another organisation's client: 403. Every refusal
// is in the audit log (written in batches; reading the log flushes them first), and the chain
// still verifies. An AOP read by a centralist needs a justification, which the log keeps.
// Label: security.
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
using nlohmann::json;

namespace {

bool status_is(const std::string& reply, int status) {
  return reply.rfind("HTTP/1.1 " + std::to_string(status), 0) == 0;
}

std::string body_of(const std::string& reply) {
  const auto at = reply.find("\r\n\r\n");
  return at == std::string::npos ? std::string{} : reply.substr(at + 4);
}

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token; }

// A WebSocket upgrade request for `target` (with `token` unless empty); the raw answer.
std::string upgrade(std::uint16_t port, const std::string& target, const std::string& token) {
  RawConnection c{port};
  std::string request = "GET " + target +
                        " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  if (!token.empty()) {
    request += bearer(token) + "\r\n";
  }
  c.send(request + "\r\n");
  return c.read_all();
}

// The audit rows with action "refused", read as the admin (which writes the queued ones first).
std::vector<json> refusals(const Awared& awared) {
  const auto reply = http_get(awared.meldkamer_port(), "/api/v1/audit?limit=1000");
  REQUIRE(status_is(reply, 200));
  std::vector<json> out;
  const auto listed = json::parse(body_of(reply));  // named: it must outlive the loop
  for (const auto& row : listed.at("audit")) {
    if (row.at("action") == "refused") {
      out.push_back(row);
    }
  }
  return out;
}

// Whether a refused row of `actor` whose subject contains `what` is among `rows`.
bool has_refusal(const std::vector<json>& rows, const std::string& actor, const std::string& what) {
  for (const auto& r : rows) {
    if (r.at("actor") == actor && r.at("subject").get<std::string>().find(what) != std::string::npos) {
      return true;
    }
  }
  return false;
}

void exec_sql(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_busy_timeout(conn, 5000);
  const int rc = sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close_v2(conn);
  REQUIRE(rc == SQLITE_OK);
}

void verify_chain(const TempDir& dir, const Awared& awared) {
  const auto verified = awarectl(dir, awared.meldkamer_port(), {"audit", "verify"});
  INFO(verified.out << verified.err);
  CHECK(verified.exit_code == 0);
}

}  // namespace

TEST_CASE("missing, forged and expired tokens get 401 and are audited", "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const TestUser pac2{"pac-verlopen", "pac_operator", "", "", ""};
  const auto expired = token_for(port, pac2);
  REQUIRE(status_is(http_raw(port, "GET", "/api/v1/clients", "", {bearer(expired)}), 200));
  exec_sql(awared.db(), "UPDATE sessions SET expires_ms = 1 WHERE user_name = 'pac-verlopen'");
  const std::string forged(64, 'f');

  const auto missing = http_raw(port, "GET", "/api/v1/clients", "");
  CHECK(status_is(missing, 401));
  CHECK(body_of(missing).find("log in") != std::string::npos);
  CHECK(status_is(http_raw(port, "GET", "/api/v1/clients/C-001", "", {bearer(forged)}), 401));
  CHECK(status_is(http_raw(port, "GET", "/api/v1/export", "", {bearer(expired)}), 401));
  CHECK(status_is(upgrade(port, "/ws/meldkamer", ""), 401));
  CHECK(status_is(upgrade(port, "/ws/pac", forged), 401));
  // Open doors: logging in and the health check.
  CHECK(status_is(http_raw(port, "GET", "/healthz", ""), 200));

  const auto rows = refusals(awared);
  CHECK(has_refusal(rows, "anonymous", "GET /api/v1/clients"));
  CHECK(has_refusal(rows, "anonymous", "GET /api/v1/clients/C-001"));
  CHECK(has_refusal(rows, "anonymous", "GET /api/v1/export"));
  CHECK(has_refusal(rows, "anonymous", "GET /ws/meldkamer"));
  CHECK(has_refusal(rows, "anonymous", "GET /ws/pac"));
  CHECK(rows.size() == 5);
  // No token ends up in the audit log or in awared's log.
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE instr(subject || justification, '" +
                                   forged + "') > 0") == "0");
  std::ifstream log{awared.log_file()};
  const std::string text{std::istreambuf_iterator<char>{log}, {}};
  CHECK(text.find(forged) == std::string::npos);
  CHECK(text.find(expired) == std::string::npos);
  verify_chain(dir, awared);
}

TEST_CASE("a PAC operator and a case worker may not open the meldkamer feed (no GPS for them)",
          "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const auto pac = token_for(port, default_user("/ws/pac"));
  const auto hv = token_for(port, default_user("/ws/hulpverlener"));
  const auto refused_pac = upgrade(port, "/ws/meldkamer", pac);
  CHECK(status_is(refused_pac, 403));
  CHECK(body_of(refused_pac).find("PAC operator") != std::string::npos);
  CHECK(status_is(upgrade(port, "/ws/meldkamer?regions=midden-nederland", hv), 403));
  // Nor may a centralist open the PAC queue, or a PAC operator the case workers' feed.
  CHECK(status_is(upgrade(port, "/ws/pac", token_for(port, default_user("/ws/meldkamer"))), 403));
  CHECK(status_is(upgrade(port, "/ws/hulpverlener?client=C-001", pac), 403));
  // A case worker has no business with the registry either.
  CHECK(status_is(http_raw(port, "GET", "/api/v1/devices", "", {bearer(hv)}), 403));

  const auto rows = refusals(awared);
  CHECK(has_refusal(rows, "pac", "GET /ws/meldkamer"));
  CHECK(has_refusal(rows, "hulpverlener", "GET /ws/meldkamer"));
  CHECK(has_refusal(rows, "centralist", "GET /ws/pac"));
  CHECK(has_refusal(rows, "pac", "GET /ws/hulpverlener"));
  CHECK(has_refusal(rows, "hulpverlener", "GET /api/v1/devices"));
  verify_chain(dir, awared);
}

TEST_CASE("a centralist may not see or act on another region's incident", "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const TestUser anna{"anna", "centralist", "amsterdam", "", ""};
  const auto token = token_for(port, anna);
  // Asking for a region that is not hers is refused at the upgrade.
  CHECK(status_is(upgrade(port, "/ws/meldkamer?regions=midden-nederland", token), 403));
  // Without ?regions= she gets her own regions only.
  Centralist amsterdam{port, "anna", "/ws/meldkamer", token};
  REQUIRE(amsterdam.next());  // the snapshot
  Centralist utrecht{port, "centralist-m", "/ws/meldkamer?regions=midden-nederland"};
  REQUIRE(utrecht.next());
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001").exit_code == 0);  // Utrecht
  const auto update = utrecht.wait_for([](const json& f) { return f.contains("update"); });
  REQUIRE(update);
  const std::string id = (*update)["update"]["incident"]["id"];

  amsterdam.send(json{{"accept", {{"incidentId", id}, {"centralist", "anna"}}}});
  const auto error = amsterdam.wait_for([](const json& f) { return f.contains("error"); });
  REQUIRE(error);
  CHECK((*error)["error"]["request"] == "accept");
  CHECK((*error)["error"]["text"].get<std::string>().find("region") != std::string::npos);
  amsterdam.send(json{{"listenIn", {{"incidentId", id}, {"centralist", "anna"}}}});
  const auto listen = amsterdam.wait_for([](const json& f) { return f.contains("error"); });
  REQUIRE(listen);
  CHECK((*listen)["error"]["request"] == "listenIn");
  amsterdam.send(json{{"addNote", {{"incidentId", id}, {"text", "ik kijk mee"}}}});
  const auto note = amsterdam.wait_for([](const json& f) { return f.contains("error"); });
  REQUIRE(note);
  CHECK((*note)["error"]["request"] == "addNote");
  // Nothing changed: the incident is not accepted, nobody listened in, no note was stored.
  CHECK(query_one(awared.db(), "SELECT count(*) FROM incident_events WHERE who = 'anna'") == "0");
  CHECK(query_one(awared.db(), "SELECT count(*) FROM incident_notes") == "0");
  // Nor may a centralist read the registry.
  CHECK(status_is(http_raw(port, "GET", "/api/v1/clients", "", {bearer(token)}), 403));

  const auto rows = refusals(awared);
  CHECK(has_refusal(rows, "anna", "GET /ws/meldkamer"));
  CHECK(has_refusal(rows, "anna", "incident_accept incident:" + id));
  CHECK(has_refusal(rows, "anna", "incident_listen_in incident:" + id));
  CHECK(has_refusal(rows, "anna", "incident_note incident:" + id));
  CHECK(has_refusal(rows, "anna", "GET /api/v1/clients"));
  verify_chain(dir, awared);
}

TEST_CASE("a centralist needs a justification to open an AOP, and the audit log keeps it",
          "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const auto centralist = token_for(port, default_user("/ws/meldkamer"));
  const auto bare = http_raw(port, "GET", "/api/v1/aops/AOP-001", "", {bearer(centralist)});
  CHECK(status_is(bare, 403));
  CHECK(body_of(bare).find("justification") != std::string::npos);
  const std::string why = "melding 2026-0412: buurman belde over de client";
  const auto ok = http_raw(port, "GET", "/api/v1/aops/AOP-001", "",
                           {bearer(centralist), "X-Justification: " + why});
  REQUIRE(status_is(ok, 200));
  CHECK(json::parse(body_of(ok)).at("id") == "AOP-001");
  CHECK(status_is(http_raw(port, "GET", "/api/v1/aops/AOP-001", "",
                           {bearer(centralist), "X-Justification: " + std::string(501, 'x')}),
                  400));
  // awarectl sends it with --justification.
  const auto ctl = awarectl_with(dir, port,
                                 {"--justification", "controle na melding", "show", "aop", "AOP-001"},
                                 {{"AWARED_TOKEN", centralist}});
  INFO(ctl.err);
  CHECK(ctl.exit_code == 0);

  CHECK(query_one(awared.db(), "SELECT justification FROM audit WHERE actor = 'centralist' AND "
                               "action = 'registry.read' AND subject = 'aop:AOP-001' ORDER BY id "
                               "LIMIT 1") == why);
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE action = 'registry.read' AND "
                               "justification = 'controle na melding'") == "1");
  const auto rows = refusals(awared);
  CHECK(has_refusal(rows, "centralist", "GET /api/v1/aops/AOP-001"));
  verify_chain(dir, awared);
}

TEST_CASE("a case worker reads their own client's dossier but not another organisation's",
          "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const TestUser utrecht{"hv-utrecht", "hulpverlener", "", "Veilig Thuis Utrecht", "C-001,C-002"};
  const auto token = token_for(port, utrecht);
  CHECK(status_is(http_raw(port, "GET", "/api/v1/clients/C-001/dossier", "", {bearer(token)}), 200));
  const auto other = http_raw(port, "GET", "/api/v1/clients/C-003/dossier", "", {bearer(token)});
  CHECK(status_is(other, 403));
  CHECK(body_of(other).find("C-003") != std::string::npos);
  // Device health of their own clients only.
  const auto own = http_raw(port, "GET", "/api/v1/device-status?client=C-001", "", {bearer(token)});
  REQUIRE(status_is(own, 200));
  const auto devices = json::parse(body_of(own));
  REQUIRE_FALSE(devices.at("devices").empty());
  for (const auto& d : devices.at("devices")) {
    CHECK(d.at("client_id") == "C-001");
  }
  CHECK(status_is(http_raw(port, "GET", "/api/v1/device-status", "", {bearer(token)}), 403));
  // Their notice feed cannot name another organisation's client.
  CHECK(status_is(upgrade(port, "/ws/hulpverlener?client=C-003", token), 403));

  const auto rows = refusals(awared);
  CHECK(has_refusal(rows, "hv-utrecht", "GET /api/v1/clients/C-003/dossier"));
  CHECK(has_refusal(rows, "hv-utrecht", "GET /ws/hulpverlener"));
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE actor = 'hv-utrecht' AND "
                               "action = 'dossier.read' AND subject = 'client:C-001'") == "1");
  verify_chain(dir, awared);
}

TEST_CASE("a console is disconnected when its login session ends", "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const TestUser shift{"centralist-dienst", "centralist", "midden-nederland", "", ""};
  const auto token = token_for(port, shift);
  // The session ends two seconds from now (as if the shift were nearly over).
  const auto soon = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count() +
                    2000;
  exec_sql(awared.db(), "UPDATE sessions SET expires_ms = " + std::to_string(soon) +
                            " WHERE user_name = 'centralist-dienst'");
  Centralist console{port, shift.name, "/ws/meldkamer", token};
  const auto snapshot = console.next();
  REQUIRE(snapshot);
  // Reads until awared closes the connection (or kWait passes, which fails below).
  while (console.next()) {
  }
  std::ifstream log{awared.log_file()};
  const std::string text{std::istreambuf_iterator<char>{log}, {}};
  CHECK(text.find("AWR-5007") != std::string::npos);
  CHECK(text.find("centralist-dienst ended") != std::string::npos);
}
