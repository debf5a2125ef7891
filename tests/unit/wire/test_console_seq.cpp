// test_console_seq.cpp — unit tests for per-connection sequence stamping of shared console
// frames (wire::seq_prefix), for decoding the ListenIn (meeluisteren) and AddNote console
// requests, and for the notes and listen-in fields of an encoded incident.
#include <catch2/catch.hpp>

#include <string>

#include <google/protobuf/util/json_util.h>

#include "meldkamer.pb.h"
#include "wire/meldkamer_codec.hpp"

namespace wire = aware::wire;
namespace v1 = aware::v1;

namespace {

// What a console session writes: the prefix, then the shared frame without its '{'.
std::string stamped(std::uint64_t seq, const std::string& frame) {
  return wire::seq_prefix(seq, frame) + frame.substr(1);
}

v1::ConsoleFeed parse(const std::string& text) {
  v1::ConsoleFeed feed;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(text, &feed, options);
  INFO(text);
  REQUIRE(status.ok());
  return feed;
}

}  // namespace

TEST_CASE("a stamped frame is the same feed with seq first", "[wire][seq]") {
  aware::core::Incident inc;
  inc.id = 42;
  const auto frame = wire::encode_update(inc);
  const auto text = stamped(7, frame);
  CHECK(text.rfind(R"({"seq":"7","update":)", 0) == 0);
  const auto feed = parse(text);
  CHECK(feed.seq() == 7);
  REQUIRE(feed.has_update());
  CHECK(feed.update().incident().id() == "M-000042");
}

TEST_CASE("one shared frame gets each console's own number", "[wire][seq]") {
  const auto frame = wire::encode_console_error("accept", "M-000001 is not open");
  CHECK(parse(stamped(1, frame)).seq() == 1);
  CHECK(parse(stamped(18446744073709551615ULL, frame)).seq() == 18446744073709551615ULL);
  CHECK(parse(stamped(3, frame)).error().text() == "M-000001 is not open");
  CHECK(frame.find("seq") == std::string::npos);  // the shared frame itself is unchanged
}

TEST_CASE("a snapshot frame is stamped like any other", "[wire][seq]") {
  const auto frame = wire::encode_snapshot({}, 5);
  const auto feed = parse(stamped(1, frame));
  CHECK(feed.seq() == 1);
  CHECK(feed.has_snapshot());
}

TEST_CASE("an empty object gets no trailing comma", "[wire][seq]") {
  CHECK(stamped(2, "{}") == R"({"seq":"2"})");
  CHECK(parse(stamped(2, "{}")).seq() == 2);
}

TEST_CASE("decode_console_request reads listenIn", "[wire][meldkamer_codec]") {
  auto r = wire::decode_console_request(
      R"({"listenIn":{"incidentId":"M-000042","centralist":"Jan"}})");
  REQUIRE(r);
  const auto* l = std::get_if<wire::ListenInRequest>(&*r);
  REQUIRE(l != nullptr);
  CHECK(l->incident_id == 42);
  CHECK(l->centralist == "Jan");
}

TEST_CASE("decode_console_request validates listenIn", "[wire][meldkamer_codec]") {
  auto bad_id =
      wire::decode_console_request(R"({"listenIn":{"incidentId":"42","centralist":"Jan"}})");
  REQUIRE_FALSE(bad_id);
  CHECK(bad_id.error().find("incidentId") != std::string::npos);
  auto no_name = wire::decode_console_request(R"({"listenIn":{"incidentId":"M-000042"}})");
  REQUIRE_FALSE(no_name);
  CHECK(no_name.error().find("centralist") != std::string::npos);
  CHECK_FALSE(wire::decode_console_request(
      R"({"listenIn":{"incidentId":"M-000042","centralist":"Jan","extra":1}})"));
}

TEST_CASE("decode_console_request reads addNote, trimmed", "[wire][meldkamer_codec]") {
  auto r = wire::decode_console_request(
      R"({"addNote":{"incidentId":"M-000042","text":"  eenheid ter plaatse\n"}})");
  REQUIRE(r);
  const auto* n = std::get_if<wire::AddNoteRequest>(&*r);
  REQUIRE(n != nullptr);
  CHECK(n->incident_id == 42);
  CHECK(n->text == "eenheid ter plaatse");
}

TEST_CASE("decode_console_request refuses a bad addNote with the reason", "[wire][meldkamer_codec]") {
  auto blank = wire::decode_console_request(R"({"addNote":{"incidentId":"M-000042","text":"  "}})");
  REQUIRE_FALSE(blank);
  CHECK(blank.error() == "text: required (not only spaces)");
  auto bad_id = wire::decode_console_request(R"({"addNote":{"incidentId":"x","text":"a"}})");
  REQUIRE_FALSE(bad_id);
  CHECK(bad_id.error().find("incidentId") != std::string::npos);
  const auto long_text = std::string(1001, 'x');
  auto too_long = wire::decode_console_request(
      R"({"addNote":{"incidentId":"M-000042","text":")" + long_text + R"("}})");
  REQUIRE_FALSE(too_long);
  CHECK(too_long.error() == "text: at most 1000 bytes");
  auto control = wire::decode_console_request(
      R"({"addNote":{"incidentId":"M-000042","text":"a\u0007b"}})");
  REQUIRE_FALSE(control);
  CHECK(control.error() == "text: no control characters but newline and tab");
  CHECK_FALSE(wire::decode_console_request(
      R"({"addNote":{"incidentId":"M-000042","text":"a","author":"mallory"}})"));
}

TEST_CASE("an update carries the notes and who listens in", "[wire][meldkamer_codec]") {
  aware::core::Incident inc;
  inc.id = 7;
  inc.notes = {{"anna", 1000, "eenheid onderweg"}, {"bert", 2000, "pleger gezien"}};
  inc.listen_in_by = "bert";
  inc.listen_in_ms = 1500;
  const auto feed = parse(wire::encode_update(inc));
  const auto& out = feed.update().incident();
  REQUIRE(out.notes_size() == 2);
  CHECK(out.notes(0).author() == "anna");
  CHECK(out.notes(0).at_ms() == 1000);
  CHECK(out.notes(1).text() == "pleger gezien");
  CHECK(out.listen_in_by() == "bert");
  CHECK(out.listen_in_ms() == 1500);
}
