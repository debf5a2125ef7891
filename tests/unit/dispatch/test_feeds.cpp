// test_feeds.cpp — unit tests for the PAC operator's and the case workers' feeds
// (dispatch/feeds.hpp): which feed a WebSocket URL asks for (percent-decoding, ?since=, the
// limits on names), which notices a case-worker target follows, the AlertFeed's snapshot,
// updates and request rules, and the NoticeFeed's backlog hand-over: notices published while a
// console waits for its backlog are sent after it, none lost and none doubled. Frames are
// parsed back as aware.v1.PacFeed / aware.v1.NoticeFeed JSON.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "dispatch/feeds.hpp"
#include "fake_console.hpp"
#include "feeds.pb.h"

namespace core = aware::core;
namespace v1 = aware::v1;
using aware::dispatch::AlertFeed;
using aware::dispatch::FeedKind;
using aware::dispatch::FeedTarget;
using aware::dispatch::NoticeFeed;
using aware::dispatch::parse_feed_target;
using aware::testing::FakeConsole;

namespace {

template <typename Feed>
Feed parse_as(const std::shared_ptr<const std::string>& frame) {
  REQUIRE(frame != nullptr);
  Feed feed;
  INFO(*frame);
  REQUIRE(google::protobuf::util::JsonStringToMessage(*frame, &feed).ok());
  return feed;
}

// The target parse_feed_target() must accept.
FeedTarget target_of(std::string_view url) {
  INFO(std::string(url));
  auto parsed = parse_feed_target(url);
  REQUIRE(parsed.has_value());
  REQUIRE(parsed->has_value());
  return **parsed;
}

// The error parse_feed_target() must give.
std::string error_of(std::string_view url) {
  INFO(std::string(url));
  auto parsed = parse_feed_target(url);
  REQUIRE(parsed.has_value());
  REQUIRE_FALSE(parsed->has_value());
  return parsed->error();
}

core::Alert alert(std::int64_t id, std::string kind = std::string(core::alert_kind::not_delivered),
                  core::AlertState state = core::AlertState::open) {
  core::Alert a;
  a.id = id;
  a.kind = std::move(kind);
  a.subject = "incident:" + std::to_string(id);
  a.incident_id = id;
  a.state = state;
  a.opened_ms = 100 * id;
  if (state == core::AlertState::acknowledged) {
    a.acked_by = "pac-1";
    a.acked_ms = 100 * id + 1;
  }
  return a;
}

core::Notice notice(std::int64_t id, std::string client, std::string case_worker = {}) {
  core::Notice n;
  n.id = id;
  n.client_id = std::move(client);
  n.case_worker = std::move(case_worker);
  n.event = std::string(core::notice_event::activation);
  n.state = "new";
  n.at_ms = 1000 * id;
  n.incident_id = id;
  return n;
}

// A case-worker console following client C-1.
std::shared_ptr<FakeConsole> follower_of_c1() {
  return std::make_shared<FakeConsole>(target_of("/ws/hulpverlener?client=C-1"));
}

// The notice ids a case-worker console was sent, in order (a backlog's ids in its order).
std::vector<std::string> notice_ids(const FakeConsole& console) {
  std::vector<std::string> ids;
  for (const auto& frame : console.frames) {
    const auto feed = parse_as<v1::NoticeFeed>(frame);
    if (feed.has_backlog()) {
      ids.emplace_back("backlog");
      for (const auto& n : feed.backlog().notices()) {
        ids.push_back(n.id());
      }
    } else {
      REQUIRE(feed.has_notice());
      ids.push_back(feed.notice().id());
    }
  }
  return ids;
}

using Ids = std::vector<std::string>;

// A PAC console attached to `feed` (it took its snapshot).
std::shared_ptr<FakeConsole> attached(AlertFeed& feed) {
  auto console = std::make_shared<FakeConsole>();
  REQUIRE(feed.attach(console, 1));
  return console;
}

}  // namespace

// --- parse_feed_target / FeedTarget::follows ---

TEST_CASE("the path picks the feed and an unknown path is none", "[dispatch][feeds]") {
  CHECK_FALSE(parse_feed_target("/ws/other").has_value());
  CHECK_FALSE(parse_feed_target("/ws/pacx").has_value());
  CHECK_FALSE(parse_feed_target("/").has_value());
  CHECK(target_of("/ws/pac").kind == FeedKind::pac);
  CHECK(target_of("/ws/pac?anything=1").kind == FeedKind::pac);
  const auto all = target_of("/ws/meldkamer");
  CHECK(all.kind == FeedKind::meldkamer);
  CHECK(all.regions.all());
  const auto some = target_of("/ws/meldkamer?regions=noord,oost");
  CHECK(some.regions.serves("oost"));
  CHECK_FALSE(some.regions.serves("zuid"));
  CHECK_THAT(error_of("/ws/meldkamer?regions=" + std::string(65, 'r')),
             Catch::Contains("regions"));
}

TEST_CASE("a case-worker URL names case workers and clients, percent-decoded",
          "[dispatch][feeds]") {
  const auto t =
      target_of("/ws/hulpverlener?case_worker=J.%20de+Vries&client=C-1&client=C%2d2&since=42");
  CHECK(t.kind == FeedKind::hulpverlener);
  CHECK(t.case_workers == std::set<std::string, std::less<>>{"J. de Vries"});
  CHECK(t.clients == std::set<std::string, std::less<>>{"C-1", "C-2"});
  CHECK(t.since == std::optional<std::int64_t>{42});

  const auto plain = target_of("/ws/hulpverlener?client=C-9&unknown=x&flag");
  CHECK_FALSE(plain.since.has_value());
  CHECK(plain.case_workers.empty());
  CHECK(target_of("/ws/hulpverlener?since=0&client=a").since == std::optional<std::int64_t>{0});
  CHECK(target_of("/ws/hulpverlener?client=%C3%A9").clients.contains("\xC3\xA9"));
}

TEST_CASE("a case-worker URL without names or with a bad since is refused",
          "[dispatch][feeds]") {
  CHECK_THAT(error_of("/ws/hulpverlener"), Catch::Contains("name the clients"));
  CHECK_THAT(error_of("/ws/hulpverlener?since=3"), Catch::Contains("name the clients"));
  for (const char* since : {"since=", "since=abc", "since=-1", "since=4x", "since=+4",
                            "since=99999999999999999999"}) {
    CHECK_THAT(error_of(std::string("/ws/hulpverlener?client=C-1&") + since),
               Catch::Contains("since: must be a notice id"));
  }
}

TEST_CASE("malformed escapes, control characters and empty names are refused",
          "[dispatch][feeds]") {
  for (const char* bad : {"client=", "client=%", "client=a%4", "client=%zz", "client=%0A",
                          "client=%7F", "case_worker=a%1fb", "case_worker=%G1"}) {
    INFO(bad);
    CHECK_THAT(error_of(std::string("/ws/hulpverlener?") + bad),
               Catch::Contains("must be 1 to 128 bytes"));
  }
  CHECK(target_of("/ws/hulpverlener?client=a%41").clients.contains("aA"));
  CHECK(target_of("/ws/hulpverlener?client=a%2Bb+c").clients.contains("a+b c"));
}

TEST_CASE("a name may be 128 bytes after decoding and a console 64 names", "[dispatch][feeds]") {
  std::string encoded;
  for (int i = 0; i < 128; ++i) {
    encoded += "%41";
  }
  CHECK(target_of("/ws/hulpverlener?client=" + encoded).clients.contains(std::string(128, 'A')));
  CHECK_THAT(error_of("/ws/hulpverlener?client=" + encoded + "%41"),
             Catch::Contains("client: must be 1 to 128 bytes"));

  std::string many = "/ws/hulpverlener?";
  for (int i = 0; i < 32; ++i) {
    many += "client=c" + std::to_string(i) + "&case_worker=w" + std::to_string(i) + "&";
  }
  const auto sixty_four = target_of(many);
  CHECK(sixty_four.clients.size() + sixty_four.case_workers.size() == 64);
  CHECK_THAT(error_of(many + "client=one-more"), Catch::Contains("at most 64"));
}

TEST_CASE("a target follows a notice by its client or its case worker", "[dispatch][feeds]") {
  const auto by_client = target_of("/ws/hulpverlener?client=C-1");
  CHECK(by_client.follows(notice(1, "C-1")));
  CHECK(by_client.follows(notice(1, "C-1", "someone")));
  CHECK_FALSE(by_client.follows(notice(1, "C-2")));

  const auto by_worker = target_of("/ws/hulpverlener?case_worker=J.+de+Vries");
  CHECK(by_worker.follows(notice(1, "C-7", "J. de Vries")));
  CHECK_FALSE(by_worker.follows(notice(1, "C-7", "j. de vries")));
  CHECK_FALSE(by_worker.follows(notice(1, "C-7")));
  CHECK_FALSE(FeedTarget{}.follows(notice(1, "C-1")));
}

// --- AlertFeed ---

TEST_CASE("a PAC console gets a snapshot of the unresolved alerts, oldest first",
          "[dispatch][feeds]") {
  AlertFeed feed;
  feed.load({alert(3), alert(1, "proefmelding"), alert(2, "niet_aangenomen",
                                                        core::AlertState::resolved),
             alert(4, "niet_aangenomen", core::AlertState::acknowledged)});
  CHECK(feed.open_count() == 3);
  CHECK(feed.find(2) == nullptr);
  auto console = std::make_shared<FakeConsole>();
  REQUIRE(feed.attach(console, 555));
  CHECK(feed.console_count() == 1);
  REQUIRE(console->frames.size() == 1);
  const auto pac = parse_as<v1::PacFeed>(console->frames[0]);
  REQUIRE(pac.has_snapshot());
  CHECK(pac.snapshot().server_time_ms() == 555);
  REQUIRE(pac.snapshot().alerts_size() == 3);
  CHECK(pac.snapshot().alerts(0).id() == "1");
  CHECK(pac.snapshot().alerts(0).kind() == "proefmelding");
  CHECK(pac.snapshot().alerts(1).id() == "3");
  CHECK(pac.snapshot().alerts(2).id() == "4");
  CHECK(pac.snapshot().alerts(2).state() == v1::ALERT_STATE_ACKNOWLEDGED);
  CHECK(pac.snapshot().alerts(2).acknowledged_by() == "pac-1");

  feed.load({});
  CHECK(feed.open_count() == 0);
}

TEST_CASE("a published alert goes to every PAC console and a resolved one leaves the queue",
          "[dispatch][feeds]") {
  AlertFeed feed;
  auto a = attached(feed);
  auto b = attached(feed);
  feed.publish(alert(7));
  CHECK(feed.open_count() == 1);
  feed.publish(alert(7, "niet_afgeleverd", core::AlertState::acknowledged));
  CHECK(feed.open_count() == 1);
  REQUIRE(feed.find(7) != nullptr);
  CHECK(feed.find(7)->state == core::AlertState::acknowledged);
  feed.publish(alert(7, "niet_afgeleverd", core::AlertState::resolved));
  CHECK(feed.open_count() == 0);
  CHECK(feed.find(7) == nullptr);

  for (const auto& console : {a, b}) {
    REQUIRE(console->frames.size() == 4);
    const auto last = parse_as<v1::PacFeed>(console->frames[3]);
    REQUIRE(last.has_update());
    CHECK(last.update().alert().id() == "7");
    CHECK(last.update().alert().state() == v1::ALERT_STATE_RESOLVED);
  }
  auto late = std::make_shared<FakeConsole>();
  REQUIRE(feed.attach(late, 2));
  CHECK(parse_as<v1::PacFeed>(late->frames[0]).snapshot().alerts_size() == 0);
}

TEST_CASE("a PAC console that refuses is dropped and closed, the others still get alerts",
          "[dispatch][feeds]") {
  AlertFeed feed;
  auto slow = attached(feed);
  auto fine = attached(feed);
  slow->refuse = true;
  feed.publish(alert(1));
  CHECK(slow->closed == 1);
  CHECK(feed.console_count() == 1);
  CHECK(fine->frames.size() == 2);
  feed.publish(alert(2));
  CHECK(slow->closed == 1);
  CHECK(fine->frames.size() == 3);

  auto refuses_snapshot = std::make_shared<FakeConsole>();
  refuses_snapshot->refuse = true;
  CHECK_FALSE(feed.attach(refuses_snapshot, 1));
  CHECK(refuses_snapshot->closed == 1);
  CHECK(feed.console_count() == 1);
}

TEST_CASE("send_to reaches one attached PAC console only, detach stops it",
          "[dispatch][feeds]") {
  AlertFeed feed;
  auto a = attached(feed);
  auto b = attached(feed);
  feed.send_to(a.get(), "{\"error\":{}}");
  CHECK(a->frames.size() == 2);
  CHECK(*a->frames[1] == "{\"error\":{}}");
  CHECK(b->frames.size() == 1);
  FakeConsole stranger;
  feed.send_to(&stranger, "{}");
  CHECK(stranger.frames.empty());

  a->refuse = true;
  feed.send_to(a.get(), "{}");
  CHECK(a->closed == 1);
  CHECK(feed.console_count() == 1);
  feed.detach(b.get());
  CHECK(feed.console_count() == 0);
  feed.publish(alert(1));
  CHECK(b->frames.size() == 1);
  CHECK(b->closed == 0);
}

TEST_CASE("an open alert may be acknowledged once, an unknown or resolved one not",
          "[dispatch][feeds]") {
  AlertFeed feed;
  feed.load({alert(1), alert(2, "proefmelding", core::AlertState::acknowledged)});
  CHECK(feed.may_acknowledge(1).has_value());
  const auto again = feed.may_acknowledge(2);
  REQUIRE_FALSE(again.has_value());
  CHECK_THAT(again.error(), Catch::Contains("already acknowledged by pac-1"));
  const auto unknown = feed.may_acknowledge(9);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error() == "alert 9 is not open");
  feed.publish(alert(1, "niet_afgeleverd", core::AlertState::resolved));
  CHECK_FALSE(feed.may_acknowledge(1).has_value());
}

TEST_CASE("an operator may resolve escalation and proefmelding alerts but not device conditions",
          "[dispatch][feeds]") {
  AlertFeed feed;
  feed.load({alert(1), alert(2, "niet_aangenomen", core::AlertState::acknowledged),
             alert(3, "proefmelding"), alert(4, "batterij_laag")});
  CHECK(feed.may_resolve(1).has_value());
  CHECK(feed.may_resolve(2).has_value());
  CHECK(feed.may_resolve(3).has_value());
  const auto device = feed.may_resolve(4);
  REQUIRE_FALSE(device.has_value());
  CHECK_THAT(device.error(), Catch::Contains("batterij_laag") &&
                                 Catch::Contains("resolves when the device reports"));
  CHECK(feed.may_resolve(5).error() == "alert 5 is not open");
}

TEST_CASE("the live storage-fault alert cannot be acknowledged or resolved, with a clear reason",
          "[dispatch][feeds]") {
  AlertFeed feed;
  feed.publish(core::storage_fault_alert("opslag vol", 1000));  // id 0: not stored
  const auto ack = feed.may_acknowledge(0);
  REQUIRE_FALSE(ack.has_value());
  CHECK_THAT(ack.error(), Catch::Contains("opslag_storing") && Catch::Contains("not stored") &&
                              Catch::Contains("clears it once writes succeed again"));
  const auto resolve = feed.may_resolve(0);
  REQUIRE_FALSE(resolve.has_value());
  CHECK(resolve.error() == ack.error());
}

// --- NoticeFeed ---

TEST_CASE("a case-worker console without since gets an empty backlog, then its clients' notices",
          "[dispatch][feeds]") {
  NoticeFeed feed;
  auto c1 = follower_of_c1();
  auto worker = std::make_shared<FakeConsole>(target_of("/ws/hulpverlener?case_worker=Els"));
  REQUIRE(feed.finish_attach(c1, {}, 42));
  REQUIRE(feed.finish_attach(worker, {}, 42));
  CHECK(feed.console_count() == 2);
  const auto first = parse_as<v1::NoticeFeed>(c1->frames[0]);
  REQUIRE(first.has_backlog());
  CHECK(first.backlog().server_time_ms() == 42);
  CHECK(first.backlog().notices_size() == 0);

  CHECK(feed.publish(notice(1, "C-1")) == 1);
  CHECK(feed.publish(notice(2, "C-2", "Els")) == 1);
  CHECK(feed.publish(notice(3, "C-1", "Els")) == 2);
  CHECK(feed.publish(notice(4, "C-3", "Piet")) == 0);
  CHECK(notice_ids(*c1) == Ids{"backlog", "1", "3"});
  CHECK(notice_ids(*worker) == Ids{"backlog", "2", "3"});
}

TEST_CASE("notices published while a console waits for its backlog follow it, none doubled",
          "[dispatch][feeds]") {
  NoticeFeed feed;
  auto c1 = follower_of_c1();
  feed.begin_attach(c1);
  CHECK(feed.publish(notice(5, "C-1")) == 0);   // held, not yet sent
  CHECK(feed.publish(notice(6, "C-2")) == 0);   // not followed: not held either
  CHECK(feed.publish(notice(7, "C-1")) == 0);
  CHECK(c1->frames.empty());
  CHECK(feed.console_count() == 0);
  // The backlog was read after 5 was written but before 7.
  REQUIRE(feed.finish_attach(c1, {notice(3, "C-1"), notice(5, "C-1")}, 900));
  CHECK(notice_ids(*c1) == Ids{"backlog", "3", "5", "7"});
  CHECK(feed.publish(notice(8, "C-1")) == 1);
  CHECK(notice_ids(*c1) == Ids{"backlog", "3", "5", "7", "8"});
}

TEST_CASE("an empty backlog sends every held notice after it", "[dispatch][feeds]") {
  NoticeFeed feed;
  auto c1 = follower_of_c1();
  auto other = follower_of_c1();
  REQUIRE(feed.finish_attach(other, {}, 1));
  feed.begin_attach(c1);
  CHECK(feed.publish(notice(10, "C-1")) == 1);   // `other` is attached already
  CHECK(feed.publish(notice(11, "C-1")) == 1);
  REQUIRE(feed.finish_attach(c1, {}, 2));
  CHECK(notice_ids(*c1) == Ids{"backlog", "10", "11"});
  CHECK(notice_ids(*other) == Ids{"backlog", "10", "11"});
}

TEST_CASE("a console that refuses its backlog is closed and holds nothing more",
          "[dispatch][feeds]") {
  NoticeFeed feed;
  auto c1 = follower_of_c1();
  c1->refuse = true;
  feed.begin_attach(c1);
  feed.publish(notice(1, "C-1"));
  CHECK_FALSE(feed.finish_attach(c1, {notice(1, "C-1")}, 5));
  CHECK(c1->closed == 1);
  CHECK(feed.console_count() == 0);
  c1->refuse = false;
  CHECK(feed.publish(notice(2, "C-1")) == 0);
  CHECK(c1->frames.empty());
}

TEST_CASE("a console detached while it waits loses what was held for it", "[dispatch][feeds]") {
  NoticeFeed feed;
  auto c1 = follower_of_c1();
  feed.begin_attach(c1);
  feed.publish(notice(1, "C-1"));
  feed.detach(c1.get());
  REQUIRE(feed.finish_attach(c1, {}, 5));   // without a pending entry it simply attaches
  CHECK(notice_ids(*c1) == Ids{"backlog"});
  feed.detach(c1.get());
  CHECK(feed.console_count() == 0);
  CHECK(feed.publish(notice(2, "C-1")) == 0);
  CHECK(c1->frames.size() == 1);
}

TEST_CASE("a case-worker console that refuses a notice is dropped, the others still get it",
          "[dispatch][feeds]") {
  NoticeFeed feed;
  auto slow = follower_of_c1();
  auto fine = follower_of_c1();
  REQUIRE(feed.finish_attach(slow, {}, 1));
  REQUIRE(feed.finish_attach(fine, {}, 1));
  slow->refuse = true;
  CHECK(feed.publish(notice(1, "C-1")) == 1);
  CHECK(slow->closed == 1);
  CHECK(feed.console_count() == 1);
  CHECK(notice_ids(*fine) == Ids{"backlog", "1"});
}
