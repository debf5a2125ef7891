// test_registry.cpp — system tests of the registry with the real awared and awarectl (and
// xmark-sim, meldkamer): a registration made with awarectl is used by the very next activation,
// without a restart; a bulk import with one bad record changes nothing and names the field; a
// GeoJSON region import decides the region of the next activation inside it; oversized imports
// are refused with 413.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "fixtures.hpp"

using namespace aware::systest;

namespace {

std::filesystem::path write_file(const TempDir& dir, const std::string& name,
                                 const std::string& text) {
  const auto path = dir.path() / name;
  std::ofstream{path} << text;
  return path;
}

bool has_flag(const nlohmann::json& incident, const std::string& flag) {
  const auto& flags = incident["flags"];
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

// `awarectl export`, parsed; fails the test when it does not succeed.
nlohmann::json exported(const TempDir& dir, const Awared& awared) {
  const auto run = awarectl(dir, awared.meldkamer_port(), {"export"});
  REQUIRE(run.exit_code == 0);
  return nlohmann::json::parse(run.out);
}

const std::string kGoodImport = R"({
  "clients":[{"id":"C-IMP","name":"Import Test","home_region":"amsterdam"}],
  "devices":[{"id":"XM-IMP-1","client_id":"C-IMP"},{"id":"XM-IMP-2","client_id":"C-IMP"}],
  "aols":[{"id":"AOL-IMP-1","client_id":"C-IMP","lat":52.37,"lon":4.89,"radius_m":100},
          {"id":"AOL-IMP-2","client_id":"C-IMP","lat":52.38,"lon":4.90,"radius_m":RADIUS}]})";

std::string import_with_radius(const std::string& radius) {
  auto text = kGoodImport;
  text.replace(text.find("RADIUS"), 6, radius);
  return text;
}

}  // namespace

TEST_CASE("a client, device and AOL added with awarectl are matched at once, no restart",
          "[system][registry]") {
  TempDir dir;
  Awared awared{dir};
  Console console{dir, awared.meldkamer_port()};
  console.wait_synced();
  const auto port = awared.meldkamer_port();
  const std::vector<std::string> at{"--lat", "52.3701", "--lon", "4.8901", "--accuracy", "10"};

  // Not registered yet: a spoedmelding all the same, flagged.
  REQUIRE(activate(dir, awared.device_port(), "XM-NEW-1", at).exit_code == 0);
  const auto before = console.wait_incident("XM-NEW-1");
  REQUIRE(before);
  CHECK(has_flag(*before, "INCIDENT_FLAG_UNKNOWN_DEVICE"));

  auto client = awarectl(dir, port, {"add", "client", "--json",
                                     R"({"id":"C-NEW","name":"Test","home_region":"amsterdam"})"});
  REQUIRE(client.exit_code == 0);
  CHECK(nlohmann::json::parse(client.out)["id"] == "C-NEW");
  REQUIRE(awarectl(dir, port, {"add", "device", "--json",
                               R"({"id":"XM-NEW-1","client_id":"C-NEW"})"}).exit_code == 0);
  const auto aol_file = write_file(dir, "aol.json", R"({"id":"AOL-NEW","client_id":"C-NEW",
      "label":"werk","lat":52.37,"lon":4.89,"radius_m":100})");
  REQUIRE(awarectl(dir, port, {"add", "aol", "--file", aol_file.string()}).exit_code == 0);

  // The 2xx came after the swap: the very next activation matches.
  REQUIRE(activate(dir, awared.device_port(), "XM-NEW-1", at).exit_code == 0);
  const auto after = console.wait_incident(
      "XM-NEW-1", [](const auto& i) { return i.value("clientId", "") == "C-NEW"; });
  REQUIRE(after);
  CHECK_FALSE(has_flag(*after, "INCIDENT_FLAG_UNKNOWN_DEVICE"));
  REQUIRE_FALSE((*after)["aols"].empty());
  CHECK((*after)["aols"][0]["aolId"] == "AOL-NEW");
  CHECK((*after)["aols"][0]["inside"] == true);
  CHECK((*after)["region"] == "amsterdam");

  // Deactivated: the device is unknown to matching again, at once.
  REQUIRE(awarectl(dir, port, {"deactivate", "device", "XM-NEW-1"}).exit_code == 0);
  REQUIRE(activate(dir, awared.device_port(), "XM-NEW-1", at).exit_code == 0);
  const auto gone = console.wait_incident("XM-NEW-1", [](const auto& i) {
    return i.value("clientId", "").empty() && i["aols"].size() > 0;
  });
  REQUIRE(gone);
  CHECK(has_flag(*gone, "INCIDENT_FLAG_UNKNOWN_DEVICE"));
}

TEST_CASE("an import with one bad record changes nothing and names the field",
          "[system][registry]") {
  TempDir dir;
  Awared awared{dir};
  const auto port = awared.meldkamer_port();
  const auto before = exported(dir, awared);
  REQUIRE(before["clients"].size() == 3);

  struct Bad {
    std::string text;
    std::string error;
  };
  const std::vector<Bad> bad{
      {import_with_radius("0"), "HTTP 400: aols[1].radius_m: must be > 0 and <= 50000"},
      {import_with_radius("50001"), "HTTP 400: aols[1].radius_m: must be > 0 and <= 50000"},
      {R"({"devices":[{"id":"XM-X","client_id":"C-404"}]})",
       "HTTP 400: devices[0].client_id: unknown client 'C-404'"},
      {R"({"clients":[{"id":"C-X","name":"X"}],"devices":[{"id":"XM-X","client_id":"C-X"},
          {"id":"XM-X","client_id":"C-X"}]})",
       "HTTP 409: devices[1].id: duplicate id 'XM-X' in this document"},
      {R"({"clients":[{"id":"C-X","name":"X"}],"devices":[{"id":"XM-DEMO-001","client_id":"C-X"}]})",
       "HTTP 409: devices[0].id: device 'XM-DEMO-001' already exists"},
      {R"({"clients":[{"id":"C-X","name":"X"}],"aols":[{"id":"A","lat":91,"lon":5,"radius_m":5}]})",
       "HTTP 400: aols[0].lat: must be a finite number in [-90, 90]"},
      {R"({"clients":[{"id":"C-X","name":"X"}])", "HTTP 400: body: is not valid JSON"},
  };
  for (std::size_t i = 0; i < bad.size(); ++i) {
    const auto file = write_file(dir, "bad" + std::to_string(i) + ".json", bad[i].text);
    const auto run = awarectl(dir, port, {"import", file.string()});
    INFO(bad[i].text);
    CHECK(run.exit_code == 1);
    CHECK(run.err.find(bad[i].error) != std::string::npos);
    CHECK(run.out.empty());
  }
  CHECK(exported(dir, awared) == before);
  CHECK(query_one(awared.db(), "SELECT count(*) FROM devices") == "4");

  // The same document with the record fixed goes in whole, and is used by matching.
  const auto good = write_file(dir, "good.json", import_with_radius("150"));
  const auto run = awarectl(dir, port, {"import", good.string()});
  REQUIRE(run.exit_code == 0);
  CHECK(nlohmann::json::parse(run.out)["imported"]["devices"] == 2);
  const auto after = exported(dir, awared);
  CHECK(after["clients"].size() == 4);
  CHECK(after["aols"].size() == 6);
  Console console{dir, awared.meldkamer_port()};
  console.wait_synced();
  REQUIRE(activate(dir, awared.device_port(), "XM-IMP-2", {"--lat", "52.3801", "--lon", "4.9"})
              .exit_code == 0);
  const auto inc = console.wait_incident("XM-IMP-2");
  REQUIRE(inc);
  CHECK((*inc)["clientId"] == "C-IMP");
  CHECK((*inc)["aols"][0]["aolId"] == "AOL-IMP-2");
}

TEST_CASE("a GeoJSON region import decides the region of the next activation inside it",
          "[system][registry]") {
  TempDir dir;
  Awared awared{dir};
  Console console{dir, awared.meldkamer_port()};
  console.wait_synced();
  const std::vector<std::string> groningen{"--lat", "53.2194", "--lon", "6.5665"};

  // No region there yet: the client's home region decides.
  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-002", groningen).exit_code == 0);
  const auto before = console.wait_incident("XM-DEMO-002");
  REQUIRE(before);
  CHECK((*before)["region"] == "midden-nederland");

  const auto bow_tie = write_file(dir, "bad.geojson", R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"id":"noord-nederland","name":"Noord-Nederland"},
       "geometry":{"type":"Polygon","coordinates":[[[6.0,53.0],[7.0,53.5],[7.0,53.0],[6.0,53.5],
       [6.0,53.0]]]}}]})");
  const auto refused = awarectl(dir, awared.meldkamer_port(), {"regions", "import", bow_tie.string()});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("HTTP 400: features[0].geometry.coordinates:") != std::string::npos);
  CHECK(exported(dir, awared)["regions"].size() == 3);

  const auto file = write_file(dir, "noord.geojson", R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"id":"noord-nederland","name":"Noord-Nederland"},
       "geometry":{"type":"Polygon","coordinates":[[[6.0,53.0],[7.0,53.0],[7.0,53.5],[6.0,53.5],
       [6.0,53.0]]]}}]})");
  const auto run = awarectl(dir, awared.meldkamer_port(), {"regions", "import", file.string()});
  REQUIRE(run.exit_code == 0);
  CHECK(nlohmann::json::parse(run.out)["imported"]["regions"] == 1);

  REQUIRE(activate(dir, awared.device_port(), "XM-DEMO-001", groningen).exit_code == 0);
  const auto inc = console.wait_incident("XM-DEMO-001");
  REQUIRE(inc);
  CHECK((*inc)["region"] == "noord-nederland");
}

TEST_CASE("registry API errors: unknown id, duplicate id, oversized import", "[system][registry]") {
  TempDir dir;
  AwaredOptions options;
  options.meldkamer_toml = "max_import_bytes = 2048";
  Awared awared{dir, options};
  const auto port = awared.meldkamer_port();

  const auto missing = awarectl(dir, port, {"show", "client", "C-404"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("HTTP 404: no client 'C-404'") != std::string::npos);
  const auto dup = awarectl(dir, port, {"add", "device", "--json",
                                        R"({"id":"XM-DEMO-001","client_id":"C-001"})"});
  CHECK(dup.exit_code == 1);
  CHECK(dup.err.find("HTTP 409: id: device 'XM-DEMO-001' already exists") != std::string::npos);

  std::string big = R"({"clients":[)";
  for (int i = 0; i < 100; ++i) {
    big += std::string(i > 0 ? "," : "") + R"({"id":"C-B)" + std::to_string(i) + R"(","name":"N"})";
  }
  big += "]}";
  REQUIRE(big.size() > 2048);
  const auto file = write_file(dir, "big.json", big);
  const auto run = awarectl(dir, port, {"import", file.string()});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("HTTP 413") != std::string::npos);
  CHECK(exported(dir, awared)["clients"].size() == 3);

  CHECK(http_get(port, "/api/v1/nothing").find("404 Not Found") != std::string::npos);
  CHECK(http_get(port, "/api/v1/import").find("405 Method Not Allowed") != std::string::npos);
}
