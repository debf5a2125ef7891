// dedup.hpp — recognises a transmitter's retransmissions: a message with the same account,
// sequence number and content as one accepted within the window (default 10 minutes) is a
// duplicate: it is acked again but not dispatched again.
//
// Sequence numbers wrap 9999 → 0001 and so repeat legitimately; a repeat outside the window, or
// with other content, is a new message. "Content" is what the transmitter cannot change between
// retries: the ID token, the data and the extended data — not the timestamp and not the random
// pad of an encrypted message. It is kept as a SHA-256 digest, so each remembered message costs
// a fixed few dozen bytes, and at most `max_entries` are kept (the oldest go first).
// The window is measured from the first receipt; a duplicate does not extend it.
// Pure apart from the hash (OpenSSL); the time is passed in. Not thread-safe: one per receiver.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "core/types.hpp"
#include "dc09/content.hpp"

namespace aware::dc09 {

using Digest = std::array<std::uint8_t, 32>;

// The digest of a message's retry-stable content: token, data, extended fields.
Digest content_digest(std::string_view token, const Content& content);

class Dedup {
 public:
  explicit Dedup(core::TimeMs window_ms = 10 * 60 * 1000, std::size_t max_entries = 8192)
      : window_ms_{window_ms}, max_entries_{max_entries} {}

  // True when (account, sequence, digest) was recorded within the window before `now`: a
  // retransmission. Otherwise records it and returns false.
  bool check_and_record(std::string_view account, int sequence, const Digest& digest,
                        core::TimeMs now);

  // Forgets a recorded message, so that its retransmission counts as new: for a message whose
  // delivery failed (the store could not commit it) and that was therefore not acked.
  void forget(std::string_view account, int sequence, const Digest& digest);

  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string account;  // at most 16 hex digits
    int sequence = 0;
    Digest digest{};
    core::TimeMs at = 0;  // first receipt
  };
  void expire(core::TimeMs now);

  core::TimeMs window_ms_;       // how long a message is remembered
  std::size_t max_entries_;      // memory bound
  std::deque<Entry> entries_;    // oldest first
};

}  // namespace aware::dc09
