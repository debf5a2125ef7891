// test_check.cpp — the checks against the store, with a fake store (a set of ids per kind):
// references to unknown records, ids that already exist (create) or do not (update), and
// references satisfied by other records of the same import.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "registry/check.hpp"
#include "registry/registry_json.hpp"

using namespace aware::registry;

namespace {

// What the fake store holds.
struct FakeStore {
  std::map<Kind, std::set<std::string, std::less<>>> ids{
      {Kind::client, {"C-1"}}, {Kind::device, {"XM-1"}}, {Kind::aop, {}},
      {Kind::aol, {"A-1"}},    {Kind::region, {"mn"}}};
  Lookup lookup() const {
    return [this](Kind k, std::string_view id) { return ids.at(k).count(id) > 0; };
  }
};

Document doc_of(const std::string& body) {
  auto doc = parse_document(body);
  REQUIRE(doc);
  return *doc;
}

Document record_of(Kind kind, const std::string& body) {
  auto doc = parse_record(kind, body);
  REQUIRE(doc);
  return *doc;
}

}  // namespace

TEST_CASE("references to unknown records are refused, naming the field", "[registry]") {
  FakeStore store;
  auto check = [&](const std::string& body) {
    auto r = check_against_store(doc_of(body), Mode::create, store.lookup(), false);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::invalid);
    return r.error().text();
  };
  CHECK(check(R"({"devices":[{"id":"XM-2","client_id":"C-9"}]})") ==
        "devices[0].client_id: unknown client 'C-9'");
  CHECK(check(R"({"aops":[{"id":"P-1","client_id":"C-9","valid_from":"2024-01-01","valid_until":"2024-02-01"}]})") ==
        "aops[0].client_id: unknown client 'C-9'");
  CHECK(check(R"({"aols":[{"id":"A-2","client_id":"C-9","lat":52,"lon":5,"radius_m":5}]})") ==
        "aols[0].client_id: unknown client 'C-9'");
  CHECK(check(R"({"clients":[{"id":"C-2","name":"N","home_region":"nowhere"}]})") ==
        "clients[0].home_region: unknown region 'nowhere'");
}

TEST_CASE("references may point into the same import or into the store", "[registry]") {
  FakeStore store;
  auto doc = doc_of(R"({"regions":[{"id":"new","name":"New","area":{"type":"Polygon",
      "coordinates":[[[5,52],[5.2,52],[5.2,52.2],[5,52]]]}}],
      "clients":[{"id":"C-2","name":"N","home_region":"new"},{"id":"C-3","name":"M","home_region":"mn"}],
      "devices":[{"id":"XM-2","client_id":"C-2"},{"id":"XM-3","client_id":"C-1"}],
      "aols":[{"id":"A-2","lat":52,"lon":5,"radius_m":5}]})");
  CHECK(check_against_store(doc, Mode::create, store.lookup(), false));
}

TEST_CASE("creating an id the store holds is a conflict; updating an unknown one is 404",
          "[registry]") {
  FakeStore store;
  auto dup = check_against_store(record_of(Kind::device, R"({"id":"XM-1","client_id":"C-1"})"),
                                 Mode::create, store.lookup(), true);
  REQUIRE_FALSE(dup);
  CHECK(dup.error().kind == ErrorKind::conflict);
  CHECK(dup.error().text() == "id: device 'XM-1' already exists");

  auto in_import = check_against_store(
      doc_of(R"({"devices":[{"id":"XM-7","client_id":"C-1"},{"id":"XM-1","client_id":"C-1"}]})"),
      Mode::create, store.lookup(), false);
  REQUIRE_FALSE(in_import);
  CHECK(in_import.error().text() == "devices[1].id: device 'XM-1' already exists");

  auto missing = check_against_store(record_of(Kind::device, R"({"id":"XM-5","client_id":"C-1"})"),
                                     Mode::update, store.lookup(), true);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind == ErrorKind::not_found);

  CHECK(check_against_store(record_of(Kind::device, R"({"id":"XM-1","client_id":"C-1"})"),
                            Mode::update, store.lookup(), true));
  CHECK(check_against_store(record_of(Kind::device, R"({"id":"XM-5","client_id":"C-1"})"),
                            Mode::upsert, store.lookup(), true));
}
