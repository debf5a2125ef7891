// audience.cpp — see audience.hpp.
#include "dispatch/audience.hpp"

#include <algorithm>

namespace aware::dispatch {

bool Audience::add(const std::shared_ptr<ConsoleSink>& console, Frame first) {
  if (!console->deliver(std::move(first))) {
    console->close();
    return false;
  }
  members_.push_back(console);
  return true;
}

void Audience::remove(const ConsoleSink* console) {
  std::erase_if(members_, [console](const auto& c) { return c.get() == console; });
}

void Audience::drop(const std::shared_ptr<ConsoleSink>& console) {
  remove(console.get());
  console->close();
}

void Audience::send_to(const ConsoleSink* console, Frame frame) {
  auto it = std::find_if(members_.begin(), members_.end(),
                         [console](const auto& c) { return c.get() == console; });
  if (it != members_.end() && !(*it)->deliver(std::move(frame))) {
    auto refused = *it;  // a copy: drop() erases the element
    drop(refused);
  }
}

}  // namespace aware::dispatch
