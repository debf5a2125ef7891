// test_dossier.cpp — system test of the client dossier (issue 4, item 9) with the real awared,
// xmark-sim and awarectl: two presses of a client's two devices, one closed with an outcome by
// a centralist (raw WebSocket), and `awarectl dossier` lists both, oldest first, with the
// outcome — as JSON and as a table; an unknown client is a 404. Label: dispatch.
#include <utility>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
using nlohmann::json;

TEST_CASE("awarectl dossier lists every activation of a client with its outcome",
          "[system][dispatch]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001").exit_code == 0);
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-002").exit_code == 0);
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-003").exit_code == 0);  // client C-002

  Centralist centralist{port, "centralist-7"};
  const auto snapshot = centralist.next();
  REQUIRE(snapshot);
  std::string first_id;
  for (const auto& incident : (*snapshot)["snapshot"]["incidents"]) {
    if (incident["deviceId"] == "XM-DEMO-001") {
      first_id = incident["id"].get<std::string>();
    }
  }
  REQUIRE_FALSE(first_id.empty());
  REQUIRE(centralist.accept_and_close(first_id, "pleger aangehouden"));
  REQUIRE(centralist.wait_for([&first_id](const json& feed) {
    return feed.contains("update") && feed["update"]["incident"]["id"] == first_id &&
           feed["update"]["incident"]["state"] == "INCIDENT_STATE_CLOSED";
  }));

  const auto as_json = awarectl(dir, port, {"dossier", "C-001", "--json"});
  REQUIRE(as_json.exit_code == 0);
  const auto doc = json::parse(as_json.out);
  CHECK(doc["client_id"] == "C-001");
  const auto& list = doc["activations"];
  REQUIRE(list.size() == 2);
  CHECK(list[0]["device_id"] == "XM-DEMO-001");
  CHECK(list[0]["trigger"] == "alarm");
  CHECK(list[0]["incident_id"] == first_id);
  CHECK(list[0]["incident_state"] == "closed");
  CHECK(list[0]["outcome"] == "pleger aangehouden");
  CHECK(list[0]["activation_count"] == 1);
  CHECK(list[1]["device_id"] == "XM-DEMO-002");
  CHECK(list[1]["incident_state"] != "closed");
  CHECK(list[1]["outcome"] == "");
  CHECK(list[0]["received_ms"].get<std::int64_t>() <= list[1]["received_ms"].get<std::int64_t>());

  const auto table = awarectl(dir, port, {"dossier", "C-001"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.rfind("dossier C-001: 2 activations\n", 0) == 0);
  CHECK(table.out.find("pleger aangehouden") != std::string::npos);
  CHECK(table.out.find("XM-DEMO-003") == std::string::npos);

  const auto unknown = awarectl(dir, port, {"dossier", "C-404"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("HTTP 404") != std::string::npos);
  CHECK(http_get(port, "/api/v1/clients/C-404/dossier").rfind("HTTP/1.1 404", 0) == 0);
}
