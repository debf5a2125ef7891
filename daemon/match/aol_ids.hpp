// aol_ids.hpp — the ids of the indexed (active) AOLs and their ranks in the order the matching
// rules use: by id, then by registry position (matcher.hpp). An AOL's rank is one integer that
// find_aols (aol_search.cpp) sorts and breaks ties by, instead of comparing id strings in the
// registry records. The ids themselves are kept here, one after another in grid-slot order
// (aol_grid.hpp), so the ids of the hits of one query, which come from a few grid cells, share
// cache lines when they are copied into the result.
//
// THREAD SAFETY: immutable after construction; id() may run on any number of threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/registry.hpp"
#include "match/huge_pages.hpp"

namespace aware::match {

// The i in [0, n) whose text_of(i) is not nullptr, ordered by that text (bytewise, like
// std::string's operator<), then by i. Sorts on 16-byte prefixes and compares whole strings
// only when those are equal, so 1e6 short ids sort in well under 0.1 s.
template <typename TextOf>
std::vector<std::uint32_t> order_by_text(std::size_t n, TextOf text_of);

class AolIds {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  // The rank of each AOL of `aols` by position: 0, 1, ... over the active ones, kNone for the
  // inactive ones.
  static std::vector<std::uint32_t> rank(const std::vector<core::AolRecord>& aols);

  AolIds() = default;
  // Stores the ids of the active AOLs by slot: slot_of_position[i] is AOL i's slot (kNone when
  // inactive); the active AOLs fill slots 0 .. count-1.
  AolIds(const std::vector<core::AolRecord>& aols,
         const std::vector<std::uint32_t>& slot_of_position);

  // The id of the AOL in this slot.
  [[nodiscard]] std::string_view id(std::uint32_t slot) const {
    return {chars_.data() + offsets_[slot], offsets_[slot + 1] - offsets_[slot]};
  }

  // Cache hints for id(slot): first where its offset is, then (once that is cached) its text.
  void prefetch_offset(std::uint32_t slot) const { __builtin_prefetch(&offsets_[slot]); }
  void prefetch_id(std::uint32_t slot) const { __builtin_prefetch(chars_.data() + offsets_[slot]); }

  [[nodiscard]] std::size_t size() const { return offsets_.size() - 1; }
  [[nodiscard]] std::size_t bytes() const;

 private:
  HugeVector<std::uint32_t> offsets_{0};   // per slot: start of its id in chars_; one extra
  HugeVector<char> chars_;                 // the ids, one after another, by slot
};

namespace detail {

// Bytes [from, from + 8) of s as a big-endian integer, zero-padded past the end: these order
// like the bytes.
inline std::uint64_t prefix_key(std::string_view s, std::size_t from) {
  std::uint64_t key = 0;
  for (std::size_t i = from; i < from + 8; ++i) {
    key = key << 8 | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0U);
  }
  return key;
}

}  // namespace detail

template <typename TextOf>
std::vector<std::uint32_t> order_by_text(std::size_t n, TextOf text_of) {
  struct Key {
    std::uint64_t head;  // bytes 0..7
    std::uint64_t tail;  // bytes 8..15
    std::uint32_t i;
  };
  std::vector<Key> keys;
  keys.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (const auto* text = text_of(i); text != nullptr) {
      const std::string_view t = *text;
      keys.push_back({detail::prefix_key(t, 0), detail::prefix_key(t, 8), static_cast<std::uint32_t>(i)});
    }
  }
  // Equal keys with different texts only happen past byte 16 or with trailing NUL bytes.
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (a.head != b.head) {
      return a.head < b.head;
    }
    if (a.tail != b.tail) {
      return a.tail < b.tail;
    }
    const std::string_view ta = *text_of(a.i);
    const std::string_view tb = *text_of(b.i);
    return ta != tb ? ta < tb : a.i < b.i;
  });
  std::vector<std::uint32_t> order(keys.size());
  for (std::size_t k = 0; k < keys.size(); ++k) {
    order[k] = keys[k].i;
  }
  return order;
}

}  // namespace aware::match
