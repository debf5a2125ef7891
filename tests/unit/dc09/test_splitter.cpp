// test_splitter.cpp — FrameSplitter: several frames in one chunk, a frame split across chunks
// (down to single bytes), garbage between frames, an LF restarting a frame, and the size bound
// for a stream without CR.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "dc09/splitter.hpp"

using aware::dc09::FrameSplitter;
using Status = FrameSplitter::Status;

namespace {

std::vector<std::string> drain(FrameSplitter& s) {
  std::vector<std::string> out;
  std::string body;
  for (Status st = s.next(body); st != Status::need_more; st = s.next(body)) {
    if (st == Status::frame) {
      out.push_back(body);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("FrameSplitter returns several frames from one chunk in order", "[dc09][splitter]") {
  FrameSplitter s;
  s.feed("\none\r\ntwo\r\nthree\r");
  CHECK(drain(s) == std::vector<std::string>{"one", "two", "three"});
  CHECK_FALSE(s.mid_frame());
}

TEST_CASE("FrameSplitter assembles a frame split across chunks", "[dc09][splitter]") {
  FrameSplitter s;
  s.feed("\nfirst\r\nsec");
  CHECK(drain(s) == std::vector<std::string>{"first"});
  CHECK(s.mid_frame());
  s.feed("ond");
  CHECK(drain(s).empty());
  s.feed("\r");
  CHECK(drain(s) == std::vector<std::string>{"second"});
}

TEST_CASE("FrameSplitter assembles frames fed one byte at a time", "[dc09][splitter]") {
  const std::string stream = "\nA1\r\nB22\r";
  FrameSplitter s;
  std::vector<std::string> got;
  for (const char c : stream) {
    s.feed(std::string(1, c));
    for (auto& f : drain(s)) {
      got.push_back(f);
    }
  }
  CHECK(got == std::vector<std::string>{"A1", "B22"});
}

TEST_CASE("FrameSplitter drops garbage between frames and restarts on an LF",
          "[dc09][splitter]") {
  FrameSplitter s;
  s.feed("noise\r\nkeep\r junk \ncut off\nreal\r");
  CHECK(drain(s) == std::vector<std::string>{"keep", "real"});
  CHECK(s.garbage_bytes() == std::string("noise\r").size() + std::string(" junk ").size() +
                                 std::string("\ncut off").size());
}

TEST_CASE("FrameSplitter bounds a frame that never ends", "[dc09][splitter]") {
  FrameSplitter s{16};
  s.feed("\n" + std::string(10'000, 'x'));
  std::string body;
  CHECK(s.next(body) == Status::oversize);
  CHECK(s.next(body) == Status::need_more);
  s.feed(std::string(10'000, 'y') + "\r");
  CHECK(drain(s).empty());  // the tail of the oversize frame, up to its CR, is dropped too
  s.feed("\nexactly-16-bytes\r\n17-bytes-is-over!\r\nok\r");
  std::vector<std::string> got;
  Status st = Status::frame;
  int oversize = 0;
  while ((st = s.next(body)) != Status::need_more) {
    if (st == Status::frame) {
      got.push_back(body);
    } else {
      ++oversize;
    }
  }
  CHECK(got == std::vector<std::string>{"exactly-16-bytes", "ok"});
  CHECK(oversize == 1);
}
