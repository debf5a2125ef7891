// test_vectors.cpp — the public SIA DC-09 test vectors (shared test data, read at test time;
// the path comes from AWARE_DC09_VECTORS or the environment variable DC09_VECTORS). Every row
// must frame-check, parse and (when encrypted) decrypt with its key; the reply rows must be what
// our own builders write for the same header; and the event rows must be acked by the receiver.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "dc09_support.hpp"
#include "dc09/content.hpp"
#include "dc09/crypto.hpp"
#include "dc09/frame.hpp"
#include "dc09/receiver.hpp"
#include "dc09/response.hpp"

using namespace aware::dc09;

namespace {

struct Vector {
  std::string message;      // body between LF and CR
  std::string key;          // hex, or "-"
  std::string description;  // free text; encrypted rows name their plaintext
  int line = 0;
};

std::string vectors_path() {
  if (const char* env = std::getenv("DC09_VECTORS"); env != nullptr && *env != '\0') {
    return env;
  }
  return AWARE_DC09_VECTORS;
}

std::vector<Vector> load_vectors() {
  std::ifstream in(vectors_path(), std::ios::binary);
  std::vector<Vector> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto t1 = line.find('\t');
    const auto t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) {
      FAIL("vectors line " << number << " does not have three tab-separated columns");
    }
    out.push_back({line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1),
                   number});
  }
  return out;
}

// "(plaintext: pad|<text>)" in a description → <text>.
std::string named_plaintext(const std::string& description) {
  const std::string marker = "plaintext: pad|";
  const auto at = description.find(marker);
  if (at == std::string::npos) {
    return {};
  }
  const auto start = at + marker.size();
  return description.substr(start, description.rfind(')') - start);
}

}  // namespace

TEST_CASE("The public vectors file is there and not empty", "[dc09][vectors]") {
  INFO("vectors: " << vectors_path());
  const auto vectors = load_vectors();
  CHECK(vectors.size() >= 10);
}

TEST_CASE("Every public vector frame-checks, parses and opens", "[dc09][vectors]") {
  for (const auto& v : load_vectors()) {
    INFO("line " << v.line << ": " << v.description);
    const auto frame = parse_frame(v.message);
    REQUIRE(frame);
    CHECK(check_integrity(*frame, {}));
    std::string clear = frame->body;
    if (frame->encrypted) {
      REQUIRE(v.key != "-");
      const auto opened = open_encrypted(dc09_test::key_of(v.key), frame->body);
      REQUIRE(opened);
      CHECK(*opened == named_plaintext(v.description));
      clear = *opened;
    }
    const auto content = parse_content(clear);
    REQUIRE(content);
    if (!content->timestamp_text.empty()) {
      CHECK(format_timestamp(*content->timestamp) == content->timestamp_text);
    }
  }
}

TEST_CASE("Our reply builders write the public reply vectors", "[dc09][vectors]") {
  int checked = 0;
  for (const auto& v : load_vectors()) {
    INFO("line " << v.line << ": " << v.description);
    const auto frame = parse_frame(v.message).value();
    if (frame.token != "ACK" && frame.token != "NAK" && frame.token != "DUH") {
      continue;
    }
    ++checked;
    if (frame.encrypted) {
      // Same header; the clear text of ours (other pad) equals theirs.
      const auto key = dc09_test::key_of(v.key);
      const auto theirs = parse_content(open_encrypted(key, frame.body).value()).value();
      dc09_test::CountingRandom random;
      const auto ours = parse_frame(dc09_test::body_of(
                                        encrypted_ack_message(frame, key, *theirs.timestamp, random)))
                            .value();
      CHECK(ours.raw.substr(8, ours.raw.find('[') - 8) ==
            v.message.substr(8, v.message.find('[') - 8));
      CHECK(open_encrypted(key, ours.body).value() == open_encrypted(key, frame.body).value());
      continue;
    }
    const auto content = parse_content(frame.body).value();
    std::string ours;
    if (frame.token == "NAK") {
      ours = nak_message(*content.timestamp);
    } else {
      ours = frame.token == "ACK" ? ack_message(frame) : duh_message(frame);
      if (content.timestamp) {
        ours += "_" + format_timestamp(*content.timestamp);
      }
    }
    CHECK(ours == v.message.substr(8));
  }
  CHECK(checked >= 5);
}

TEST_CASE("The receiver acks every public event and link-test vector", "[dc09][vectors]") {
  int checked = 0;
  for (const auto& v : load_vectors()) {
    INFO("line " << v.line << ": " << v.description);
    const auto frame = parse_frame(v.message).value();
    if (frame.token != "SIA-DCS" && frame.token != "ADM-CID" && frame.token != "NULL") {
      continue;
    }
    ++checked;
    AccountConfig account;
    std::string clear = frame.body;
    if (v.key != "-") {
      account.key = dc09_test::key_of(v.key);
      clear = open_encrypted(*account.key, frame.body).value();
    }
    // "Now" is the message's own timestamp, or any time for one without.
    const auto content = parse_content(clear).value();
    const auto now = content.timestamp.value_or(dc09_test::utc_ms("2026-11-26", 12, 0, 0));
    Receiver receiver{[&](std::string_view) { return &account; }, AccountConfig{},
                      dc09_test::CountingRandom{}};
    const auto got = receiver.on_frame(v.message, now);
    CHECK(got.decision.reply == Reply::ack);
    CHECK(got.decision.deliver);
    const auto reply = parse_frame(got.reply.substr(1, got.reply.size() - 2)).value();
    CHECK(reply.token == "ACK");
    CHECK(reply.encrypted == frame.encrypted);
    CHECK(reply.sequence == frame.sequence);
    CHECK(reply.receiver == frame.receiver);
    CHECK(reply.prefix == frame.prefix);
    CHECK(reply.account == frame.account);
  }
  CHECK(checked >= 5);
}
