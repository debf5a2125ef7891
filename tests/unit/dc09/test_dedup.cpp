// test_dedup.cpp — Dedup: the window edges, what counts as the same content, and the bound on
// memory.
#include <catch2/catch.hpp>

#include "dc09/dedup.hpp"

using namespace aware::dc09;

namespace {

Content content(const std::string& data, const std::string& stamp = {}) {
  Content c;
  c.data = data;
  c.timestamp_text = stamp;
  return c;
}

constexpr aware::core::TimeMs kMinute = 60 * 1000;

}  // namespace

TEST_CASE("Dedup: the same account, sequence and content within the window", "[dc09][dedup]") {
  Dedup d{10 * kMinute};
  const auto digest = content_digest("SIA-DCS", content("#1|NPA1"));
  CHECK_FALSE(d.check_and_record("1234", 7, digest, 0));
  CHECK(d.check_and_record("1234", 7, digest, 10 * kMinute));      // at the edge: still a retry
  CHECK_FALSE(d.check_and_record("1234", 7, digest, 10 * kMinute + 1));  // just past: new
}

TEST_CASE("Dedup: a duplicate does not extend the window", "[dc09][dedup]") {
  Dedup d{10 * kMinute};
  const auto digest = content_digest("SIA-DCS", content("#1|NPA1"));
  CHECK_FALSE(d.check_and_record("1234", 7, digest, 0));
  CHECK(d.check_and_record("1234", 7, digest, 9 * kMinute));
  CHECK_FALSE(d.check_and_record("1234", 7, digest, 11 * kMinute));
}

TEST_CASE("Dedup: content is token, data and extended data, not the timestamp",
          "[dc09][dedup]") {
  CHECK(content_digest("SIA-DCS", content("#1|NPA1", "12:00:00,11-26-2026")) ==
        content_digest("SIA-DCS", content("#1|NPA1", "12:00:30,11-26-2026")));
  CHECK(content_digest("SIA-DCS", content("#1|NPA1")) !=
        content_digest("ADM-CID", content("#1|NPA1")));
  CHECK(content_digest("SIA-DCS", content("#1|NPA1")) !=
        content_digest("SIA-DCS", content("#1|NPA2")));
  Content with_x = content("#1|NPA1");
  with_x.extended.push_back({'X', "4.9"});
  Content other_x = content("#1|NPA1");
  other_x.extended.push_back({'X', "4.8"});
  CHECK(content_digest("SIA-DCS", with_x) != content_digest("SIA-DCS", other_x));
  CHECK(content_digest("SIA-DCS", with_x) != content_digest("SIA-DCS", content("#1|NPA1")));
}

TEST_CASE("Dedup: a forgotten message is new again", "[dc09][dedup]") {
  Dedup d;
  const auto digest = content_digest("SIA-DCS", content("x"));
  CHECK_FALSE(d.check_and_record("1234", 1, digest, 0));
  d.forget("1234", 1, digest);
  CHECK(d.size() == 0);
  CHECK_FALSE(d.check_and_record("1234", 1, digest, 1));
}

TEST_CASE("Dedup: other account or sequence is a new message", "[dc09][dedup]") {
  Dedup d;
  const auto digest = content_digest("SIA-DCS", content("x"));
  CHECK_FALSE(d.check_and_record("1234", 1, digest, 0));
  CHECK_FALSE(d.check_and_record("1235", 1, digest, 0));
  CHECK_FALSE(d.check_and_record("1234", 2, digest, 0));
  CHECK(d.check_and_record("1234", 1, digest, 0));
}

TEST_CASE("Dedup keeps at most max_entries, dropping the oldest", "[dc09][dedup]") {
  Dedup d{10 * kMinute, 100};
  const auto digest = content_digest("SIA-DCS", content("x"));
  for (int seq = 0; seq < 1000; ++seq) {
    d.check_and_record("1234", seq, digest, seq);
  }
  CHECK(d.size() == 100);
  CHECK(d.check_and_record("1234", 999, digest, 1000));       // recent: remembered
  CHECK_FALSE(d.check_and_record("1234", 0, digest, 1000));   // evicted: new again
}

TEST_CASE("Dedup forgets what is older than the window", "[dc09][dedup]") {
  Dedup d{kMinute};
  const auto digest = content_digest("SIA-DCS", content("x"));
  for (int seq = 0; seq < 50; ++seq) {
    d.check_and_record("1234", seq, digest, 0);
  }
  d.check_and_record("1234", 9999, digest, 2 * kMinute);
  CHECK(d.size() == 1);
}
