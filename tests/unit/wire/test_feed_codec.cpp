// test_feed_codec.cpp — unit tests for the PAC and case-worker feed codec (wire/feed_codec.hpp):
// alerts and notices encoded as aware.v1.PacFeed / NoticeFeed JSON (parsed back to check every
// field, and that a notice never carries the case worker), frames without `seq` that
// wire::seq_prefix stamps per connection, the webhook body, and decode_pac_request() with each
// of its validation errors.
#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "feeds.pb.h"
#include "wire/feed_codec.hpp"
#include "wire/meldkamer_codec.hpp"

namespace core = aware::core;
namespace wire = aware::wire;
namespace v1 = aware::v1;

namespace {

// Parses `text` strictly (unknown fields refused) as `Message`.
template <typename Message>
Message parse_strict(const std::string& text) {
  Message msg;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  INFO(text);
  REQUIRE(google::protobuf::util::JsonStringToMessage(text, &msg, options).ok());
  return msg;
}

// What a console session writes: the prefix, then the shared frame without its '{'.
std::string stamped(std::uint64_t seq, const std::string& frame) {
  return wire::seq_prefix(seq, frame) + frame.substr(1);
}

core::Alert full_alert() {
  core::Alert a;
  a.id = 12;
  a.kind = std::string(core::alert_kind::not_accepted);
  a.subject = "incident:42";
  a.device_id = "XM-7";
  a.client_id = "C-3";
  a.incident_id = 42;
  a.severity = core::AlertSeverity::urgent;
  a.state = core::AlertState::resolved;
  a.detail = "M-000042 (noord): niemand nam aan";
  a.opened_ms = 1000;
  a.acked_ms = 2000;
  a.acked_by = "pac-1";
  a.resolved_ms = 3000;
  a.resolved_by = "awared";
  return a;
}

core::Notice notice(std::int64_t id) {
  core::Notice n;
  n.id = id;
  n.client_id = "C-3";
  n.case_worker = "Geheime Naam";
  n.event = std::string(core::notice_event::closed);
  n.state = "closed";
  n.at_ms = 5000 + id;
  n.incident_id = 42;
  return n;
}

std::string ack_json(const std::string& id, const std::string& who) {
  return R"({"acknowledge":{"alertId":")" + id + R"(","operatorName":")" + who + R"("}})";
}

std::string decode_error(const std::string& json) {
  const auto r = wire::decode_pac_request(json);
  INFO(json);
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

}  // namespace

TEST_CASE("an alert update carries every field of the alert", "[wire][feeds]") {
  const auto frame = wire::encode_alert_update(full_alert());
  CHECK(frame.find("\"seq\"") == std::string::npos);
  const auto feed = parse_strict<v1::PacFeed>(frame);
  REQUIRE(feed.has_update());
  const auto& a = feed.update().alert();
  CHECK(a.id() == "12");
  CHECK(a.kind() == "niet_aangenomen");
  CHECK(a.severity() == v1::ALERT_SEVERITY_URGENT);
  CHECK(a.state() == v1::ALERT_STATE_RESOLVED);
  CHECK(a.device_id() == "XM-7");
  CHECK(a.client_id() == "C-3");
  CHECK(a.incident_id() == "M-000042");
  CHECK(a.detail() == "M-000042 (noord): niemand nam aan");
  CHECK(a.opened_ms() == 1000);
  CHECK(a.acknowledged_ms() == 2000);
  CHECK(a.acknowledged_by() == "pac-1");
  CHECK(a.resolved_ms() == 3000);
  CHECK(a.resolved_by() == "awared");
}

TEST_CASE("severity and state map to their enum values", "[wire][feeds]") {
  auto a = full_alert();
  a.incident_id.reset();
  a.severity = core::AlertSeverity::info;
  a.state = core::AlertState::open;
  auto parsed = parse_strict<v1::PacFeed>(wire::encode_alert_update(a)).update().alert();
  CHECK(parsed.severity() == v1::ALERT_SEVERITY_INFO);
  CHECK(parsed.state() == v1::ALERT_STATE_OPEN);
  CHECK(parsed.incident_id().empty());
  a.severity = core::AlertSeverity::warning;
  a.state = core::AlertState::acknowledged;
  parsed = parse_strict<v1::PacFeed>(wire::encode_alert_update(a)).update().alert();
  CHECK(parsed.severity() == v1::ALERT_SEVERITY_WARNING);
  CHECK(parsed.state() == v1::ALERT_STATE_ACKNOWLEDGED);
}

TEST_CASE("an alert snapshot keeps the given order and the server time", "[wire][feeds]") {
  auto first = full_alert();
  auto second = full_alert();
  second.id = 3;
  const auto frame = wire::encode_alert_snapshot({&first, &second}, 777);
  const auto feed = parse_strict<v1::PacFeed>(frame);
  REQUIRE(feed.has_snapshot());
  CHECK(feed.snapshot().server_time_ms() == 777);
  REQUIRE(feed.snapshot().alerts_size() == 2);
  CHECK(feed.snapshot().alerts(0).id() == "12");
  CHECK(feed.snapshot().alerts(1).id() == "3");

  const auto empty = parse_strict<v1::PacFeed>(wire::encode_alert_snapshot({}, 5));
  REQUIRE(empty.has_snapshot());
  CHECK(empty.snapshot().alerts_size() == 0);
  CHECK(empty.snapshot().server_time_ms() == 5);
}

TEST_CASE("notices carry client, event, state, time and incident, never the case worker",
          "[wire][feeds]") {
  const auto frame = wire::encode_notice(notice(9));
  CHECK(frame.find("Geheime Naam") == std::string::npos);
  CHECK(frame.find("\"seq\"") == std::string::npos);
  const auto feed = parse_strict<v1::NoticeFeed>(frame);
  REQUIRE(feed.has_notice());
  CHECK(feed.notice().id() == "9");
  CHECK(feed.notice().client_id() == "C-3");
  CHECK(feed.notice().event() == "afgesloten");
  CHECK(feed.notice().state() == "closed");
  CHECK(feed.notice().at_ms() == 5009);
  CHECK(feed.notice().incident_id() == "M-000042");

  auto alone = notice(10);
  alone.incident_id.reset();
  alone.state = "none";
  const auto parsed = parse_strict<v1::NoticeFeed>(wire::encode_notice(alone));
  CHECK(parsed.notice().incident_id().empty());
  CHECK(parsed.notice().state() == "none");
}

TEST_CASE("a notice backlog lists its notices in order with the server time", "[wire][feeds]") {
  const auto frame = wire::encode_notice_backlog({notice(4), notice(2), notice(7)}, 1234);
  CHECK(frame.find("Geheime Naam") == std::string::npos);
  const auto feed = parse_strict<v1::NoticeFeed>(frame);
  REQUIRE(feed.has_backlog());
  CHECK(feed.backlog().server_time_ms() == 1234);
  REQUIRE(feed.backlog().notices_size() == 3);
  CHECK(feed.backlog().notices(0).id() == "4");
  CHECK(feed.backlog().notices(1).id() == "2");
  CHECK(feed.backlog().notices(2).id() == "7");

  const auto empty = parse_strict<v1::NoticeFeed>(wire::encode_notice_backlog({}, 0));
  REQUIRE(empty.has_backlog());
  CHECK(empty.backlog().notices_size() == 0);
}

TEST_CASE("the webhook body is the Notice message alone", "[wire][feeds]") {
  const auto body = wire::encode_notice_body(notice(3));
  CHECK(body.find("Geheime Naam") == std::string::npos);
  CHECK(body.find("\"seq\"") == std::string::npos);
  CHECK(body.find("\"notice\"") == std::string::npos);
  const auto n = parse_strict<v1::Notice>(body);
  CHECK(n.id() == "3");
  CHECK(n.client_id() == "C-3");
  CHECK(n.event() == "afgesloten");
  CHECK(n.at_ms() == 5003);
}

TEST_CASE("feed frames are stamped with each connection's seq first", "[wire][feeds]") {
  const auto update = wire::encode_alert_update(full_alert());
  const auto text = stamped(3, update);
  CHECK(text.rfind(R"({"seq":"3","update":)", 0) == 0);
  const auto pac = parse_strict<v1::PacFeed>(text);
  CHECK(pac.seq() == 3);
  CHECK(pac.update().alert().id() == "12");
  CHECK(parse_strict<v1::PacFeed>(stamped(1, wire::encode_alert_snapshot({}, 9))).seq() == 1);

  const auto backlog = stamped(1, wire::encode_notice_backlog({}, 9));
  const auto first = parse_strict<v1::NoticeFeed>(backlog);
  CHECK(first.seq() == 1);
  CHECK(first.has_backlog());
  const auto next = parse_strict<v1::NoticeFeed>(stamped(18446744073709551615ULL,
                                                         wire::encode_notice(notice(1))));
  CHECK(next.seq() == 18446744073709551615ULL);
  CHECK(next.notice().id() == "1");

  const auto error = parse_strict<v1::PacFeed>(
      stamped(4, wire::encode_console_error("resolve", "alert 9 is not open")));
  CHECK(error.seq() == 4);
  CHECK(error.error().text() == "alert 9 is not open");
}

TEST_CASE("decode_pac_request reads acknowledge and resolve", "[wire][feeds]") {
  const auto ack = wire::decode_pac_request(ack_json("12", "pac-1"));
  REQUIRE(ack.has_value());
  REQUIRE(std::holds_alternative<wire::AcknowledgeAlertRequest>(*ack));
  CHECK(std::get<wire::AcknowledgeAlertRequest>(*ack).alert_id == 12);
  CHECK(std::get<wire::AcknowledgeAlertRequest>(*ack).operator_name == "pac-1");

  const auto resolve =
      wire::decode_pac_request(R"({"resolve":{"alertId":"9223372036854775807","operatorName":"x"}})");
  REQUIRE(resolve.has_value());
  REQUIRE(std::holds_alternative<wire::ResolveAlertRequest>(*resolve));
  CHECK(std::get<wire::ResolveAlertRequest>(*resolve).alert_id == 9223372036854775807LL);
  CHECK(std::get<wire::ResolveAlertRequest>(*resolve).operator_name == "x");

  const auto longest = wire::decode_pac_request(ack_json("1", std::string(128, 'n')));
  REQUIRE(longest.has_value());
}

TEST_CASE("decode_pac_request refuses bad JSON, no body and bad ids or names",
          "[wire][feeds]") {
  CHECK_THAT(decode_error("not json"), Catch::StartsWith("not a PacRequest: "));
  CHECK_THAT(decode_error(R"({"acknowledge":{"alertId":"1","operatorName":"a","x":1}})"),
             Catch::StartsWith("not a PacRequest: "));
  CHECK_THAT(decode_error(R"({"close":{}})"), Catch::StartsWith("not a PacRequest: "));
  CHECK(decode_error("{}") == "no request set (expected acknowledge or resolve)");
  for (const char* id : {"", "0", "-1", "abc", "12x", " 1", "+1", "99999999999999999999"}) {
    CHECK(decode_error(ack_json(id, "pac-1")) ==
          "alertId: not an alert id (a positive decimal number)");
  }
  CHECK(decode_error(R"({"resolve":{"operatorName":"pac-1"}})") ==
        "alertId: not an alert id (a positive decimal number)");
  CHECK(decode_error(ack_json("1", "")) == "operatorName: required, at most 128 bytes");
  CHECK(decode_error(ack_json("1", std::string(129, 'n'))) ==
        "operatorName: required, at most 128 bytes");
  CHECK(decode_error(R"({"resolve":{"alertId":"1"}})") ==
        "operatorName: required, at most 128 bytes");
}
