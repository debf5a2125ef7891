// aol_ids.cpp — see aol_ids.hpp. The ranking sorts small keys (the first 16 bytes of each id as
// two big-endian integers, which order like the bytes) and compares whole strings only when
// those are equal, so sorting 1e6 ids stays well under the index's build budget.
#include "match/aol_ids.hpp"

#include <algorithm>
#include <cstring>

namespace aware::match {

namespace {

// Bytes [from, from + 8) of s as a big-endian integer, zero-padded past the end.
std::uint64_t prefix_key(std::string_view s, std::size_t from) {
  unsigned char bytes[8] = {};
  if (from < s.size()) {
    std::memcpy(bytes, s.data() + from, std::min<std::size_t>(8, s.size() - from));
  }
  std::uint64_t key = 0;
  for (const unsigned char b : bytes) {
    key = key << 8 | b;
  }
  return key;
}

struct SortKey {
  std::uint64_t head;   // id bytes 0..7
  std::uint64_t tail;   // id bytes 8..15
  std::uint32_t pos;    // registry position
};

}  // namespace

std::vector<std::uint32_t> AolIds::rank(const std::vector<core::AolRecord>& aols) {
  std::vector<SortKey> keys;
  keys.reserve(aols.size());
  for (std::size_t i = 0; i < aols.size(); ++i) {
    if (aols[i].active) {
      const std::string_view id = aols[i].id;
      keys.push_back({prefix_key(id, 0), prefix_key(id, 8), static_cast<std::uint32_t>(i)});
    }
  }
  // The rule's order: by id (std::string's operator<, bytewise), then by position. Equal keys
  // with different ids only happen past byte 16 or with trailing NUL bytes.
  std::sort(keys.begin(), keys.end(), [&](const SortKey& a, const SortKey& b) {
    if (a.head != b.head) {
      return a.head < b.head;
    }
    if (a.tail != b.tail) {
      return a.tail < b.tail;
    }
    const std::string& ia = aols[a.pos].id;
    const std::string& ib = aols[b.pos].id;
    return ia != ib ? ia < ib : a.pos < b.pos;
  });
  std::vector<std::uint32_t> rank_of_position(aols.size(), kNone);
  for (std::size_t r = 0; r < keys.size(); ++r) {
    rank_of_position[keys[r].pos] = static_cast<std::uint32_t>(r);
  }
  return rank_of_position;
}

AolIds::AolIds(const std::vector<core::AolRecord>& aols,
               const std::vector<std::uint32_t>& slot_of_position) {
  const auto count = static_cast<std::size_t>(
      std::count_if(slot_of_position.begin(), slot_of_position.end(),
                    [](std::uint32_t slot) { return slot != kNone; }));
  std::vector<std::uint32_t> position_of_slot(count, 0);
  std::size_t chars = 0;
  for (std::size_t i = 0; i < aols.size(); ++i) {
    if (const auto slot = slot_of_position[i]; slot != kNone) {
      position_of_slot[slot] = static_cast<std::uint32_t>(i);
      chars += aols[i].id.size();
    }
  }
  offsets_.reserve(position_of_slot.size() + 1);
  chars_.reserve(chars);
  for (const auto pos : position_of_slot) {
    const std::string& id = aols[pos].id;
    chars_.insert(chars_.end(), id.begin(), id.end());
    offsets_.push_back(static_cast<std::uint32_t>(chars_.size()));
  }
}

std::size_t AolIds::bytes() const {
  return offsets_.capacity() * sizeof(std::uint32_t) + chars_.capacity();
}

}  // namespace aware::match
