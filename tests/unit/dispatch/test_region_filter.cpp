// test_region_filter.cpp — unit tests for dispatch::RegionFilter and parse_console_target(): the
// console URL's ?regions= list (none = all regions, unknown ids accepted, other parameters
// ignored, other paths and oversized lists refused), and the hub sending a console only the
// incidents of its regions, in the snapshot and in updates.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "dispatch/hub.hpp"
#include "dispatch/region_filter.hpp"
#include "meldkamer.pb.h"

namespace core = aware::core;
namespace v1 = aware::v1;
using aware::dispatch::ConsoleSink;
using aware::dispatch::Hub;
using aware::dispatch::parse_console_target;
using aware::dispatch::RegionFilter;

namespace {

// A console serving `filter`'s regions that records the ids it was sent.
class RegionConsole : public ConsoleSink {
 public:
  explicit RegionConsole(RegionFilter filter) : filter_{std::move(filter)} {}
  bool deliver(std::shared_ptr<const std::string> frame) override {
    v1::ConsoleFeed feed;
    REQUIRE(google::protobuf::util::JsonStringToMessage(*frame, &feed).ok());
    if (feed.has_snapshot()) {
      for (const auto& inc : feed.snapshot().incidents()) {
        ids.push_back(inc.id());
      }
    } else if (feed.has_update()) {
      ids.push_back(feed.update().incident().id());
    }
    return true;
  }
  void close() override {}
  [[nodiscard]] bool serves(std::string_view region) const override {
    return filter_.serves(region);
  }

  std::vector<std::string> ids;   // incident ids seen, snapshot first

 private:
  RegionFilter filter_;
};

core::Incident in_region(std::int64_t id, std::string region) {
  core::Incident inc;
  inc.id = id;
  inc.received_ms = 1000 * id;
  inc.key = {"XM-" + std::to_string(id), 1, static_cast<std::uint64_t>(id)};
  inc.match.region = std::move(region);
  return inc;
}

}  // namespace

TEST_CASE("the console path without regions serves every region", "[dispatch]") {
  const auto f = parse_console_target("/ws/meldkamer");
  REQUIRE(f);
  CHECK(f->all());
  CHECK(f->serves("amsterdam"));
  CHECK(f->serves(""));
  const auto empty = parse_console_target("/ws/meldkamer?regions=");
  REQUIRE(empty);
  CHECK(empty->all());
}

TEST_CASE("?regions= names the served regions; unknown ids are accepted", "[dispatch]") {
  const auto f = parse_console_target("/ws/meldkamer?x=1&regions=midden-nederland,,onbekend&y");
  REQUIRE(f);
  CHECK_FALSE(f->all());
  CHECK(f->regions() == RegionFilter::Set{"midden-nederland", "onbekend"});
  CHECK(f->serves("midden-nederland"));
  CHECK(f->serves("onbekend"));
  CHECK_FALSE(f->serves("amsterdam"));
  CHECK_FALSE(f->serves("midden"));
}

TEST_CASE("other paths and oversized region lists are refused", "[dispatch]") {
  CHECK_FALSE(parse_console_target("/ws/other"));
  CHECK_FALSE(parse_console_target("/ws/meldkamer/x?regions=a"));
  CHECK_FALSE(parse_console_target("/"));
  CHECK_FALSE(parse_console_target("/ws/meldkamer?regions=" + std::string(65, 'a')));
  std::string many = "/ws/meldkamer?regions=r0";
  for (int i = 1; i <= 64; ++i) {
    many += ",r" + std::to_string(i);
  }
  CHECK_FALSE(parse_console_target(many));
}

TEST_CASE("the hub sends a console only the incidents of its regions", "[dispatch]") {
  Hub hub;
  hub.load({in_region(1, "amsterdam"), in_region(2, "midden-nederland")});
  auto amsterdam = std::make_shared<RegionConsole>(RegionFilter{{"amsterdam"}});
  auto midden = std::make_shared<RegionConsole>(RegionFilter{{"midden-nederland", "landelijk"}});
  auto all = std::make_shared<RegionConsole>(RegionFilter{});
  CHECK(hub.attach(amsterdam, 1) == std::vector<std::int64_t>{1});
  CHECK(hub.attach(midden, 1) == std::vector<std::int64_t>{2});
  CHECK(hub.attach(all, 1) == std::vector<std::int64_t>{1, 2});

  CHECK(hub.publish(in_region(3, "landelijk")));
  CHECK(hub.publish(in_region(4, "rotterdam")));  // `all` still gets it
  CHECK(amsterdam->ids == std::vector<std::string>{"M-000001"});
  CHECK(midden->ids == std::vector<std::string>{"M-000002", "M-000003"});
  CHECK(all->ids == std::vector<std::string>{"M-000001", "M-000002", "M-000003", "M-000004"});
}

TEST_CASE("an incident no console serves is not delivered", "[dispatch]") {
  Hub hub;
  auto amsterdam = std::make_shared<RegionConsole>(RegionFilter{{"amsterdam"}});
  hub.attach(amsterdam, 1);
  CHECK_FALSE(hub.publish(in_region(1, "rotterdam")));
  CHECK(hub.open_count() == 1);
  CHECK(amsterdam->ids.empty());
}
