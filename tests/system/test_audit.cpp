// test_audit.cpp — system tests of the audit log (issue 6 item 4) with the real awared and
// awarectl: registry changes and reads, an export and a dossier read each leave a row naming
// what they touched; `awarectl audit verify` passes on the intact chain, and after the
// database file is tampered with behind awared's back (triggers dropped, a row edited with
// the sqlite3 C API) it exits 1 naming the row; a listing of the log is itself audited, unless
// it shows nothing but earlier listings; a search by actor, action or subject, newest first,
// finds who read one client's data; each sign-in is a row of its own.
// Label: security.
#include <sqlite3.h>

#include <array>

#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace aware::systest;
using nlohmann::json;

namespace {

// Runs `sql` on the database with a connection of its own, as someone with the file would.
void tamper(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &error);
  INFO((error != nullptr ? error : ""));
  sqlite3_free(error);
  sqlite3_close_v2(conn);
  REQUIRE(rc == SQLITE_OK);
}

// `awarectl ARGS` must exit 0; returns its stdout.
std::string ctl_ok(const TempDir& dir, const Awared& awared, const std::vector<std::string>& args) {
  const auto r = awarectl(dir, awared.meldkamer_port(), args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("awarectl audit verify passes on awared's chain and names a row tampered with",
          "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  // The test users made with `awared --add-user` before the start are audited first.
  const auto base = static_cast<std::size_t>(std::stoul(query_one(awared.db(), "SELECT count(*) FROM audit")));
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE action='users.create' AND "
                               "actor='awared --add-user'") == std::to_string(base));
  ctl_ok(dir, awared, {"add", "client", "--json",
                       R"({"id":"C-AUD","name":"Audit","home_region":"amsterdam"})"});
  ctl_ok(dir, awared, {"add", "device", "--json", R"({"id":"XM-AUD","client_id":"C-AUD"})"});
  ctl_ok(dir, awared, {"update", "client", "C-AUD", "--json",
                       R"({"id":"C-AUD","name":"Audit 2","home_region":"amsterdam"})"});
  ctl_ok(dir, awared, {"deactivate", "device", "XM-AUD"});
  ctl_ok(dir, awared, {"show", "client", "C-AUD"});
  ctl_ok(dir, awared, {"list", "aop"});
  ctl_ok(dir, awared, {"export"});
  ctl_ok(dir, awared, {"dossier", "C-AUD"});

  const auto listed = json::parse(ctl_ok(dir, awared, {"audit", "list", "--json"}));
  const auto& rows = listed.at("audit");
  // awarectl signs in once as pac for the registry and once as admin for the audit log: each
  // sign-in is a row of its own, with the user as actor and subject.
  REQUIRE(rows.size() == base + 10);
  const std::vector<std::array<std::string, 3>> expected{
      {"auth.login", "user:pac", "pac"},
      {"registry.create", "client:C-AUD", "pac"},   {"registry.create", "device:XM-AUD", "pac"},
      {"registry.update", "client:C-AUD", "pac"},   {"registry.deactivate", "device:XM-AUD", "pac"},
      {"registry.read", "client:C-AUD", "pac"},     {"registry.list", "aops", "pac"},
      {"registry.export", "registry", "pac"},       {"dossier.read", "client:C-AUD", "pac"},
      {"auth.login", "user:admin", "admin"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& row = rows[base + i];
    CHECK(row.at("id") == static_cast<std::int64_t>(base + i + 1));
    CHECK(row.at("action") == expected[i][0]);
    CHECK(row.at("subject") == expected[i][1]);
    CHECK(row.at("actor") == expected[i][2]);  // the session's user
  }
  // Reading the log is audited too: each answered listing adds a row after what it returned.
  const auto page = json::parse(ctl_ok(
      dir, awared, {"audit", "list", "--after", std::to_string(base + 5), "--json"}));
  REQUIRE(page.at("audit").size() == 6);
  const auto& read = page.at("audit").back();
  CHECK(read.at("id") == static_cast<std::int64_t>(base + 11));
  CHECK(read.at("action") == "audit.read");
  CHECK(read.at("subject") == "audit");
  CHECK(read.at("justification") == "after 0, " + std::to_string(base + 10) + " rows");
  CHECK(read.at("actor") == "admin");  // the audit log is read as admin
  CHECK(ctl_ok(dir, awared, {"audit", "list", "--limit", "2"}).find("registry.update") ==
        std::string::npos);

  // A page of nothing but earlier listings is not audited: a client polling for news settles.
  const auto settled = json::parse(
      ctl_ok(dir, awared, {"audit", "list", "--after", std::to_string(base + 11), "--json"}));
  CHECK(settled.at("audit").size() == 2);  // the two listings just above

  const auto intact = ctl_ok(dir, awared, {"audit", "verify"});  // verifying is not a listing
  CHECK(intact.find("intact: " + std::to_string(base + 13) + " rows") != std::string::npos);

  // Someone with the database file drops the triggers and edits who read the dossier.
  tamper(awared.db(), "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; "
                      "UPDATE audit SET actor='someone-else' WHERE id=3;");
  const auto broken = awarectl(dir, awared.meldkamer_port(), {"audit", "verify"});
  CHECK(broken.exit_code == 1);
  CHECK(broken.out.find("BROKEN at row 3 (modified)") != std::string::npos);
  const auto as_json = awarectl(dir, awared.meldkamer_port(), {"audit", "verify", "--json"});
  CHECK(as_json.exit_code == 1);
  const auto verdict = json::parse(as_json.out);
  CHECK(verdict.at("ok") == false);
  CHECK(verdict.at("rows") == static_cast<std::int64_t>(base + 13));
  CHECK(verdict.at("first_bad_id") == 3);
  CHECK(verdict.at("problem") == "modified");
}

TEST_CASE("the audit endpoints answer GET only and check their parameters",
          "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  CHECK(http_get(port, "/api/v1/audit").find("200 OK") != std::string::npos);
  CHECK(http_get(port, "/api/v1/audit/verify").find(R"("ok":true)") != std::string::npos);
  CHECK(http_send(port, "POST", "/api/v1/audit", "{}").find("405") != std::string::npos);
  CHECK(http_get(port, "/api/v1/audit?limit=0").rfind("HTTP/1.1 400 ", 0) == 0);
  CHECK(http_get(port, "/api/v1/audit?after=x").rfind("HTTP/1.1 400 ", 0) == 0);
  CHECK(http_get(port, "/api/v1/audit/nope").find("404") != std::string::npos);
  // A refused change, and a read of a record that does not exist, write no audit row.
  CHECK(awarectl(dir, port, {"show", "aop", "AOP-404"}).exit_code == 1);
  const auto refused = awarectl(dir, port, {"add", "device", "--json",
                                            R"({"id":"XM-X","client_id":"C-404"})"});
  CHECK(refused.exit_code == 1);
  // (Before the start the test users were made with `awared --add-user`, audited as such; the
  // sign-ins of admin, for the listing, and of pac, for awarectl, are audited too.)
  const std::string since_start = "actor <> 'awared --add-user' AND action <> 'auth.login'";
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE action <> 'audit.read' AND " +
                                   since_start) == "0");
  // The one listing that was answered disclosed those users' rows: one audit.read.
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE " + since_start) == "1");
}

TEST_CASE("the audit log is searched by subject, action and actor, newest first",
          "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  ctl_ok(dir, awared, {"add", "client", "--json",
                       R"({"id":"C-A","name":"A","home_region":"amsterdam"})"});
  ctl_ok(dir, awared, {"add", "client", "--json",
                       R"({"id":"C-B","name":"B","home_region":"amsterdam"})"});
  ctl_ok(dir, awared, {"show", "client", "C-A"});
  ctl_ok(dir, awared, {"show", "client", "C-B"});
  ctl_ok(dir, awared, {"dossier", "C-A"});

  // Who touched C-A's data, newest first.
  const auto search = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args{"audit", "list", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return json::parse(ctl_ok(dir, awared, args)).at("audit");
  };
  const auto about_a = search({"--subject", "client:C-A", "--newest"});
  REQUIRE(about_a.size() == 3);
  CHECK(about_a[0].at("action") == "dossier.read");
  CHECK(about_a[1].at("action") == "registry.read");
  CHECK(about_a[2].at("action") == "registry.create");
  CHECK(about_a[0].at("id").get<std::int64_t>() > about_a[1].at("id").get<std::int64_t>());
  for (const auto& row : about_a) {
    CHECK(row.at("subject") == "client:C-A");
    CHECK(row.at("actor") == "pac");
  }
  // The search itself is audited, in words.
  const auto reads = search({"--action", "audit.read", "--newest", "--limit", "1"});
  REQUIRE(reads.size() == 1);
  CHECK(reads[0].at("justification") == R"(newest first, subject="client:C-A", 3 rows)");
  CHECK(reads[0].at("actor") == "admin");

  const auto dossiers = search({"--subject", "client:C-A", "--action", "dossier.read"});
  REQUIRE(dossiers.size() == 1);
  const auto older = search({"--subject", "client:C-A", "--newest", "--before",
                             std::to_string(about_a[0].at("id").get<std::int64_t>())});
  REQUIRE(older.size() == 2);
  CHECK(older[0].at("id") == about_a[1].at("id"));
  const auto by_pac = search({"--actor", "pac", "--newest", "--limit", "2"});
  REQUIRE(by_pac.size() == 2);
  CHECK(by_pac[0].at("subject") == "client:C-A");  // the dossier read
  CHECK(by_pac[1].at("subject") == "client:C-B");
  CHECK(search({"--actor", "nobody"}).empty());

  // Bad parameters are a 400 naming the parameter; nothing is read, so nothing is audited.
  const auto port = awared.meldkamer_port();
  const auto rows_before = query_one(awared.db(), "SELECT count(*) FROM audit");
  for (const auto& [target, field] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/audit?order=sideways", "order"},
           {"/api/v1/audit?actor=", "actor"},
           {"/api/v1/audit?subject=client%ZZ", "subject"},
           {"/api/v1/audit?action=a%0Ab", "action"},
           {"/api/v1/audit?before=0", "before"},
           {"/api/v1/audit?actor=" + std::string(257, 'x'), "actor"}}) {
    const auto answer = http_get(port, target);
    INFO(target << " -> " << answer);
    CHECK(answer.rfind("HTTP/1.1 400 ", 0) == 0);
    CHECK(answer.find(R"("error":")" + field + ":") != std::string::npos);
  }
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit") == rows_before);  // nothing read
  // A percent-encoded value is decoded, and the filter is exact.
  CHECK(http_get(port, "/api/v1/audit?subject=client%3AC-B").find("client:C-B") !=
        std::string::npos);
  CHECK(http_get(port, "/api/v1/audit?subject=client:C").find(R"({"audit":[]})") !=
        std::string::npos);
}
