// test_access_rules.cpp — the pure parts of enforcing the access policy (issue 6 item 3): the
// refusal queue that batches audit rows (core/refusals.hpp), the binding of a console's feed to
// its user (dispatch/feed_access.hpp) and the end of a session (core/policy.hpp), all with
// explicit clocks. Label: security.
#include <catch2/catch.hpp>

#include "core/refusals.hpp"
#include "dispatch/feed_access.hpp"

using namespace aware;

namespace {

core::Refusal refusal(int n) {
  return {1000 + n, "anonymous", "GET /api/v1/clients", "no token " + std::to_string(n)};
}

core::Principal centralist() {
  core::Principal p;
  p.name = "anna";
  p.role = core::Role::centralist;
  p.regions = {"amsterdam", "landelijk"};
  p.expires_ms = 10'000;
  return p;
}

core::Principal case_worker() {
  core::Principal p;
  p.name = "hv";
  p.role = core::Role::hulpverlener;
  p.organisation = "Veilig Thuis Utrecht";
  p.clients = {"C-001"};
  p.expires_ms = 10'000;
  return p;
}

core::Notice notice_for(const std::string& client, const std::string& case_worker = "") {
  core::Notice n;
  n.client_id = client;
  n.case_worker = case_worker;
  return n;
}

}  // namespace

TEST_CASE("the refusal queue flushes the first refusal at once and then at most every interval",
          "[security]") {
  core::RefusalQueue q{1000, 100, 1000};
  CHECK(q.empty());
  q.push(refusal(1));
  CHECK(q.due(0));  // nothing was flushed yet
  auto first = q.take(0, 5000);
  REQUIRE(first.size() == 1);
  CHECK(first[0].actor == "anonymous");
  CHECK(first[0].action == "refused");
  CHECK(first[0].subject == "GET /api/v1/clients");
  CHECK(first[0].justification == "no token 1");
  CHECK(first[0].at_ms == 1001);
  q.push(refusal(2));
  q.push(refusal(3));
  CHECK_FALSE(q.due(999));
  CHECK(q.due_at() == 1000);
  CHECK(q.due(1000));
  CHECK(q.take(1000, 6000).size() == 2);
  CHECK(q.empty());
  CHECK_FALSE(q.due(5000));  // nothing waiting: nothing due
}

TEST_CASE("a full batch of refusals is due before the interval has passed", "[security]") {
  core::RefusalQueue q{1000, 100, 1000};
  (void)q.take(0, 0);
  for (int i = 0; i < 99; ++i) {
    CHECK_FALSE(q.push(refusal(i)));
  }
  CHECK_FALSE(q.due(10));
  CHECK(q.push(refusal(99)));  // the 100th asks for a flush now
  CHECK(q.due(10));
  CHECK(q.take(10, 0).size() == 100);
}

TEST_CASE("refusals beyond the queue's capacity are counted and reported in one row",
          "[security]") {
  core::RefusalQueue q{3, 100, 1000};
  for (int i = 0; i < 10; ++i) {
    q.push(refusal(i));
  }
  CHECK(q.size() == 3);
  CHECK(q.suppressed() == 7);
  const auto rows = q.take(0, 7777);
  REQUIRE(rows.size() == 4);
  CHECK(rows[2].justification == "no token 2");
  CHECK(rows[3].actor == "awared");
  CHECK(rows[3].action == "refused");
  CHECK(rows[3].at_ms == 7777);
  CHECK(rows[3].justification == "7 further refusals suppressed");
  CHECK(q.empty());
  CHECK(q.suppressed() == 0);
}

TEST_CASE("a scan of refusals is audited a few at a time and counted in one row a window",
          "[security]") {
  core::RefusalWindow w{3, 600000, "TLS connections"};
  std::vector<core::Refusal> audited;
  for (int i = 0; i < 10; ++i) {  // ten in the first window
    for (auto& r : w.admit(refusal(i), 1000 + i)) {
      audited.push_back(std::move(r));
    }
  }
  REQUIRE(audited.size() == 3);  // the first three, one by one
  CHECK(audited[2].reason == "no token 2");
  // The first refusal of the next window brings the count of the last one, then itself.
  const auto next = w.admit(refusal(99), 1000 + 600000);
  REQUIRE(next.size() == 2);
  CHECK(next[0].actor == "awared");
  CHECK(next[0].what == "TLS connections");
  CHECK(next[0].at_ms == refusal(0).at_ms);  // dated at the start of its window
  CHECK(next[0].reason ==
        "7 further refused TLS connections in the 10 min from this time, only counted");
  CHECK(next[1].reason == "no token 99");
  CHECK_FALSE(w.finish());  // nothing only counted in the new window yet
  for (int i = 0; i < 4; ++i) {
    (void)w.admit(refusal(i), 700000);
  }
  const auto at_stop = w.finish();
  REQUIRE(at_stop);
  CHECK(at_stop->at_ms == refusal(99).at_ms);
  CHECK(at_stop->reason ==
        "2 further refused TLS connections in the 10 min from this time, only counted");
  CHECK_FALSE(w.finish());
}

TEST_CASE("a session ends at its expiry time", "[security]") {
  const auto who = centralist();
  CHECK_FALSE(core::session_ended(who, 9'999));
  CHECK(core::session_ended(who, 10'000));
  CHECK(core::session_ended(core::Principal{}, 0));  // no session at all
}

TEST_CASE("a console request is refused once its session has ended, with an explicit clock",
          "[security]") {
  const auto who = centralist();
  core::Resource own;
  own.region = "amsterdam";
  CHECK(core::decide_at(&who, core::Operation::incident_accept, own, 9'999).allowed);
  const auto late = core::decide_at(&who, core::Operation::incident_accept, own, 10'000);
  CHECK_FALSE(late.allowed);
  CHECK(late.reason.find("session has ended") != std::string::npos);
  const auto nobody = core::decide_at(nullptr, core::Operation::incident_accept, own, 0);
  CHECK_FALSE(nobody.allowed);
  CHECK(nobody.reason == "not signed in");
  core::Resource other;
  other.region = "midden-nederland";
  CHECK_FALSE(core::decide_at(&who, core::Operation::incident_listen_in, other, 0).allowed);
}

TEST_CASE("a centralist's meldkamer feed is bound to their own regions", "[security]") {
  dispatch::FeedTarget all;  // /ws/meldkamer without ?regions=
  auto bound = dispatch::bind_feed(centralist(), all);
  REQUIRE(bound);
  CHECK(bound->regions.regions() == dispatch::RegionFilter::Set{"amsterdam", "landelijk"});
  CHECK_FALSE(bound->regions.serves("midden-nederland"));

  dispatch::FeedTarget one;
  one.regions = dispatch::RegionFilter{{"amsterdam"}};
  REQUIRE(dispatch::bind_feed(centralist(), one));
  dispatch::FeedTarget other;
  other.regions = dispatch::RegionFilter{{"amsterdam", "midden-nederland"}};
  const auto refused = dispatch::bind_feed(centralist(), other);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().find("midden-nederland") != std::string::npos);
}

TEST_CASE("only centralists get the meldkamer feed and only PAC operators the PAC feed",
          "[security]") {
  dispatch::FeedTarget meldkamer;
  dispatch::FeedTarget pac;
  pac.kind = dispatch::FeedKind::pac;
  CHECK_FALSE(dispatch::bind_feed(case_worker(), meldkamer));
  auto operator_ = case_worker();
  operator_.role = core::Role::pac_operator;
  operator_.clients.clear();
  CHECK_FALSE(dispatch::bind_feed(operator_, meldkamer));
  CHECK(dispatch::bind_feed(operator_, pac));
  CHECK_FALSE(dispatch::bind_feed(centralist(), pac));
  auto admin = operator_;
  admin.role = core::Role::admin;
  CHECK_FALSE(dispatch::bind_feed(admin, pac));
  CHECK_FALSE(dispatch::bind_feed(admin, meldkamer));
}

TEST_CASE("a case worker's feed is narrowed to their own clients whatever the URL names",
          "[security]") {
  dispatch::FeedTarget by_name;
  by_name.kind = dispatch::FeedKind::hulpverlener;
  by_name.case_workers = {"J. Bakker"};
  const auto bound = dispatch::bind_feed(case_worker(), by_name);
  REQUIRE(bound);
  CHECK(bound->follows(notice_for("C-001", "J. Bakker")));
  CHECK_FALSE(bound->follows(notice_for("C-009", "J. Bakker")));  // not their client
  CHECK_FALSE(bound->follows(notice_for("C-001", "M. Visser")));  // not what they asked

  dispatch::FeedTarget foreign;
  foreign.kind = dispatch::FeedKind::hulpverlener;
  foreign.clients = {"C-001", "C-009"};
  const auto refused = dispatch::bind_feed(case_worker(), foreign);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().find("C-009") != std::string::npos);
  CHECK_FALSE(dispatch::bind_feed(centralist(), by_name));
}

TEST_CASE("own=1 follows every client of the signed-in case worker, more than a URL may name",
          "[security]") {
  auto worker = case_worker();
  for (int i = 0; i < 100; ++i) {
    worker.clients.insert("C-" + std::to_string(1000 + i));
  }
  auto asked = dispatch::parse_feed_target("/ws/hulpverlener?own=1&since=0");
  REQUIRE(asked);
  REQUIRE(*asked);
  CHECK((*asked)->own_clients);
  const auto bound = dispatch::bind_feed(worker, **asked);
  REQUIRE(bound);
  CHECK(bound->clients.size() == 101);
  CHECK(bound->follows(notice_for("C-001", "")));
  CHECK(bound->follows(notice_for("C-1099", "")));
  CHECK_FALSE(bound->follows(notice_for("C-009", "")));  // not their client

  auto nobody = case_worker();
  nobody.clients.clear();
  const auto refused = dispatch::bind_feed(nobody, **asked);  // no clients: refused, not "all"
  CHECK_FALSE(refused);
  CHECK_FALSE(dispatch::bind_feed(centralist(), **asked));
}
