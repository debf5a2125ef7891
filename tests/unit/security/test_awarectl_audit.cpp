// test_awarectl_audit.cpp — awarectl's audit commands (client/awarectl/audit_commands.hpp):
// `audit list` and `audit verify` become the right GET, bad options are usage errors, the
// list prints a table and verify's answer decides the exit code.
#include <catch2/catch.hpp>

#include "audit_commands.hpp"
#include "awarectl_parse.hpp"

using namespace aware::awarectl;
using aware::awarectl::testing::ok;
using aware::awarectl::testing::usage;

TEST_CASE("awarectl audit list and verify become GET requests", "[awarectl][audit]") {
  auto c = ok({"audit", "list"});
  CHECK(c.method == "GET");
  CHECK(c.target == "/api/v1/audit");
  CHECK(c.output == Output::audit_table);
  c = ok({"audit", "list", "--after", "40", "--limit", "5", "--json"});
  CHECK(c.target == "/api/v1/audit?after=40&limit=5");
  CHECK(c.output == Output::json);
  c = ok({"--server", "10.0.0.1:9000", "audit", "verify"});
  CHECK(c.target == "/api/v1/audit/verify");
  CHECK(c.output == Output::audit_verify);
  CHECK(c.port == 9000);
  CHECK(ok({"audit", "verify", "--json"}).output == Output::audit_verify_json);
  const std::string anchor = "7:" + std::string(64, 'b');
  CHECK(ok({"audit", "verify", "--anchor", anchor}).target == "/api/v1/audit/verify?anchor=" + anchor);
  c = ok({"audit", "head"});
  CHECK(c.target == "/api/v1/audit/verify");
  CHECK(c.output == Output::audit_head);
}

TEST_CASE("awarectl audit list searches by actor, action and subject, newest first",
          "[awarectl][audit]") {
  auto c = ok({"audit", "list", "--subject", "client:C-001", "--actor", "pac jan@x",
               "--action", "dossier.read", "--before", "90", "--newest"});
  // Options in name order; values percent-encoded (':' and ' ' are).
  CHECK(c.target == "/api/v1/audit?action=dossier.read&actor=pac%20jan@x&before=90&order=newest&"
                    "subject=client%3AC-001");
  CHECK(c.output == Output::audit_table);
  CHECK(usage({"audit", "list", "--before", "0"}) == "--before must be a row id (1 or more)");
  CHECK(usage({"audit", "list", "--actor", ""}) == "--actor must be 1..256 bytes");
  CHECK(usage({"audit", "list", "--subject", std::string(257, 'x')}) ==
        "--subject must be 1..256 bytes");
  CHECK(usage({"audit", "verify", "--newest"}) == "audit verify takes no --newest");
}

TEST_CASE("awarectl audit head prints the verified head as an anchor", "[awarectl][audit]") {
  const std::string hash(64, 'c');
  const auto head = audit_head_text(R"({"ok":true,"rows":3,"first_id":1,"head_id":3,"head":")" +
                                    hash + R"("})");
  CHECK(head.intact);
  CHECK(head.text == "3:" + hash + "\n");
  const auto broken = audit_head_text(
      R"({"ok":false,"rows":3,"first_bad_id":2,"problem":"modified","detail":"row 2"})");
  CHECK_FALSE(broken.intact);
  CHECK(broken.text.find("BROKEN") != std::string::npos);
  const auto purged = audit_verdict_text(R"({"ok":true,"rows":2,"first_id":9,"head_id":10,"head":")" +
                                         hash + R"(","detail":"the anchored row 3 has been purged"})",
                                         false);
  CHECK(purged.text.find("from row 9") != std::string::npos);
  CHECK(purged.text.find("purged") != std::string::npos);
}

TEST_CASE("awarectl audit usage errors", "[awarectl][audit]") {
  CHECK(usage({"audit"}) == "audit needs list, verify or head");
  CHECK(usage({"audit", "drop"}) == "audit needs list, verify or head");
  CHECK(usage({"audit", "verify", "--anchor", "7:abc"}) ==
        "--anchor must be ID:HASH (a row id and the 64 hex digits of its hash)");
  CHECK(usage({"audit", "head", "--anchor", "7:" + std::string(64, 'a')}) ==
        "audit head takes no --anchor");
  CHECK(usage({"audit", "list", "--limit", "0"}) == "--limit must be 1..1000");
  CHECK(usage({"audit", "list", "--limit", "1001"}) == "--limit must be 1..1000");
  CHECK(usage({"audit", "list", "--after", "-1"}) == "--after must be a row id (0 or more)");
  CHECK(usage({"audit", "verify", "--after", "3"}) == "audit verify takes no --after");
  CHECK(usage({"audit", "list", "--by", "x"}) == "audit list takes no --by");
  CHECK(usage({"audit", "list", "--json", "{}"}) == "audit takes no --file or --json document");
  CHECK(usage({"list", "client", "--after", "3"}) == "list takes no --after");
}

TEST_CASE("awarectl audit list prints a table of the rows", "[awarectl][audit]") {
  const auto table = audit_table(
      R"({"audit":[{"id":7,"at":"2026-11-26T07:00:00Z","actor":"api","action":"dossier.read",)"
      R"("subject":"client:C-001","justification":""}]})");
  REQUIRE(table);
  CHECK(table->find("1 audit row") != std::string::npos);
  CHECK(table->find("ACTOR") != std::string::npos);
  CHECK(table->find("dossier.read") != std::string::npos);
  CHECK(table->find("client:C-001") != std::string::npos);
  CHECK_FALSE(audit_table(R"({"rows":[]})"));
}

TEST_CASE("awarectl audit verify exits by the verdict", "[awarectl][audit]") {
  const auto good = audit_verdict_text(R"({"ok":true,"rows":3,"head":"ab12"})", false);
  CHECK(good.intact);
  CHECK(good.text == "audit log intact: 3 rows, head ab12\n");
  const auto bad = audit_verdict_text(
      R"({"ok":false,"rows":3,"first_bad_id":2,"problem":"deleted","detail":"row 2 is missing"})",
      false);
  CHECK_FALSE(bad.intact);
  CHECK(bad.text.find("BROKEN at row 2 (deleted): row 2 is missing") != std::string::npos);
  CHECK_FALSE(audit_verdict_text("not json", false).intact);
  const auto as_json = audit_verdict_text(R"({"ok":false,"rows":3})", true);
  CHECK_FALSE(as_json.intact);
  CHECK(as_json.text.find("\"ok\": false") != std::string::npos);
}
