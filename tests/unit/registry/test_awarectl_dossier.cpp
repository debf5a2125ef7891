// test_awarectl_dossier.cpp — `awarectl dossier CLIENT [--json]`: the command-line mapping
// (a table by default, the JSON with --json; --json with a document stays a body elsewhere) and
// the table rendering of the dossier JSON (client/awarectl/dossier_table.hpp).
#include <catch2/catch.hpp>

#include "awarectl_parse.hpp"
#include "command.hpp"
#include "dossier_table.hpp"

using namespace aware::awarectl;

using namespace aware::awarectl::testing;

TEST_CASE("awarectl dossier: a table by default, the JSON with --json", "[awarectl][dossier]") {
  auto table = ok({"dossier", "C-001"});
  CHECK(table.method == "GET");
  CHECK(table.target == "/api/v1/clients/C-001/dossier");
  CHECK(table.output == Output::dossier_table);
  CHECK(ok({"dossier", "C-001", "--json"}).output == Output::json);
  CHECK(ok({"--json", "dossier", "C-001"}).output == Output::json);
  CHECK(usage({"dossier"}) == "dossier needs CLIENT (and optionally --json)");
  CHECK(usage({"dossier", "C-001", "--file", "x"}) ==
        "dossier needs CLIENT (and optionally --json)");
  CHECK(usage({"export", "--json"}).rfind("--json needs a JSON document", 0) == 0);
  CHECK(usage({"add", "client", "--json"}) == "add needs --file F or --json '{...}'");
}

TEST_CASE("dossier_table aligns one row per activation", "[awarectl][dossier]") {
  const auto table = dossier_table(
      R"({"client_id":"C-001","activations":[)"
      R"({"time":"2026-11-26T05:00:00.000Z","device_id":"XM-1","trigger":"alarm",)"
      R"("incident_id":"M-000001","incident_state":"closed","outcome":"pleger aangehouden",)"
      R"("activation_count":2},)"
      R"({"time":"2026-11-26T05:01:00.000Z","device_id":"XM-1","trigger":"cancel",)"
      R"("incident_id":null,"incident_state":null,"outcome":"","activation_count":0}]})");
  REQUIRE(table);
  CHECK(table->rfind("dossier C-001: 2 activations\nTIME (UTC)  ", 0) == 0);
  CHECK(table->find("M-000001  closed  2      pleger aangehouden\n") != std::string::npos);
  CHECK(table->find("cancel   -         -       -      -\n") != std::string::npos);
  CHECK_FALSE(dossier_table("not json"));
  CHECK_FALSE(dossier_table(R"({"error":"x"})"));
}
