// text_order.hpp — ordering records by a string field without comparing strings on most
// steps, and finding a string in such an order. Used by the index build (AOL ranks, owner groups
// by client_id; aol_ids.hpp, matcher.cpp) and by MatchIndex::describe() to find AOPs and AOLs by
// id with a 4-byte-per-record table instead of a hash table.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace aware::match {

// The i in [0, n) whose text_of(i) is not nullptr, ordered by that text (bytewise, like
// std::string's operator<), then by i. Sorts on 16-byte prefixes and compares whole strings
// only when those are equal, so 1e6 short ids sort in well under 0.1 s.
template <typename TextOf>
std::vector<std::uint32_t> order_by_text(std::size_t n, TextOf text_of);

// In `order` (from order_by_text with the same text_of), the first i whose text equals `text`,
// or `none`. Binary search: O(log n) string comparisons.
template <typename TextOf>
std::uint32_t find_by_text(const std::vector<std::uint32_t>& order, TextOf text_of,
                           std::string_view text, std::uint32_t none) {
  const auto it = std::lower_bound(order.begin(), order.end(), text,
                                   [&](std::uint32_t i, std::string_view t) {
                                     return std::string_view{*text_of(i)} < t;
                                   });
  return it != order.end() && std::string_view{*text_of(*it)} == text ? *it : none;
}

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
      keys.push_back(
          {detail::prefix_key(t, 0), detail::prefix_key(t, 8), static_cast<std::uint32_t>(i)});
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
