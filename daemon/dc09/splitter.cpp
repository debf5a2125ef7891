// splitter.cpp — see splitter.hpp.
#include "dc09/splitter.hpp"

namespace aware::dc09 {

FrameSplitter::Status FrameSplitter::next(std::string& body) {
  while (scanned_ < pending_.size()) {
    const char c = pending_[scanned_++];
    if (c == '\n') {
      if (in_frame_ && !current_.empty()) {
        garbage_ += current_.size() + 1;  // the earlier LF and its bytes
      }
      current_.clear();
      in_frame_ = true;
      skipping_ = false;
      continue;
    }
    if (!in_frame_) {
      ++garbage_;
      continue;
    }
    if (c == '\r') {
      in_frame_ = false;
      if (skipping_) {
        skipping_ = false;
        continue;
      }
      body.swap(current_);
      current_.clear();
      return Status::frame;
    }
    if (skipping_) {
      ++garbage_;
      continue;
    }
    if (current_.size() >= max_body_bytes_) {
      garbage_ += current_.size() + 1;
      current_.clear();
      current_.shrink_to_fit();
      skipping_ = true;
      return Status::oversize;
    }
    current_.push_back(c);
  }
  pending_.clear();
  scanned_ = 0;
  return Status::need_more;
}

}  // namespace aware::dc09
