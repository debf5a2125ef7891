// fake_console.hpp — a dispatch::ConsoleSink for the dispatch unit tests: it records every frame
// it is given, can be told to refuse (as a console whose queue is full), counts close() calls,
// and, given a FeedTarget, answers feed()/target()/follows() from it as a real session does.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dispatch/audience.hpp"
#include "dispatch/feeds.hpp"

namespace aware::testing {

class FakeConsole : public dispatch::ConsoleSink {
 public:
  FakeConsole() = default;
  explicit FakeConsole(dispatch::FeedTarget target) : target_{std::move(target)} {}

  bool deliver(std::shared_ptr<const std::string> frame) override {
    if (refuse) {
      return false;
    }
    frames.push_back(std::move(frame));
    return true;
  }
  void close() override { ++closed; }
  [[nodiscard]] dispatch::FeedKind feed() const override {
    return target_ ? target_->kind : dispatch::FeedKind::meldkamer;
  }
  [[nodiscard]] const dispatch::FeedTarget* target() const override {
    return target_ ? &*target_ : nullptr;
  }
  [[nodiscard]] bool follows(const core::Notice& notice) const override {
    return target_ && target_->follows(notice);
  }

  bool refuse = false;                                       // next deliveries fail
  int closed = 0;                                            // close() calls
  std::vector<std::shared_ptr<const std::string>> frames;    // delivered frames, in order

 private:
  std::optional<dispatch::FeedTarget> target_;               // what its URL asked for, if any
};

}  // namespace aware::testing
