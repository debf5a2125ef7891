// test_subject_export.cpp — system test of the subject-access export (issue 6, item 5) with
// the real awared, xmark-sim and awarectl: `awarectl subject-export CLIENT` gives the client's
// registrations, activations, notices and device status — and nothing of another client — and
// the disclosure is written to the audit log; an unknown client is refused. Label: security.
#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace aware::systest;
using nlohmann::json;

TEST_CASE("awarectl subject-export gives one client's data, only theirs, and is audited",
          "[system][security]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001").exit_code == 0);  // C-001
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-003").exit_code == 0);  // C-002

  const auto out = awarectl(dir, port, {"subject-export", "C-001"});
  REQUIRE(out.exit_code == 0);
  const auto doc = json::parse(out.out);
  CHECK(doc["client_id"] == "C-001");
  const auto& reg = doc["registrations"];
  REQUIRE(reg["clients"].size() == 1);
  CHECK(reg["clients"][0]["id"] == "C-001");
  CHECK(reg["devices"].size() == 2);  // XM-DEMO-001 and -002
  for (const auto& d : reg["devices"]) {
    CHECK(d["client_id"] == "C-001");
  }
  CHECK(reg["aops"].size() == 1);
  CHECK(reg["aols"].size() == 2);
  REQUIRE(doc["activations"].size() == 1);
  CHECK(doc["activations"][0]["device_id"] == "XM-DEMO-001");
  REQUIRE(doc["notices"].size() == 1);
  CHECK(doc["notices"][0]["event"] == "activatie");
  CHECK(doc["device_status"].size() == 2);
  CHECK(out.out.find("C-002") == std::string::npos);  // nothing of another client
  CHECK(out.out.find("XM-DEMO-003") == std::string::npos);

  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE action='subject.export' AND "
                               "subject='client:C-001'") == "1");
  const auto unknown = awarectl(dir, port, {"subject-export", "C-404"});
  CHECK(unknown.exit_code != 0);
  CHECK(query_one(awared.db(), "SELECT count(*) FROM audit WHERE action='subject.export'") == "1");
  CHECK(awarectl(dir, port, {"subject-export"}).exit_code == 2);
}
