// aol_ids.hpp — the ids of the indexed (active) AOLs and their ranks in the order the matching
// rules use: by id, then by registry position (matcher.hpp). An AOL's rank is one integer that
// find_aols (aol_search.cpp) sorts and breaks ties by, instead of comparing id strings in the
// registry records. The ids themselves are kept here, one after another in grid-slot order
// (aol_grid.hpp), so the ids of the hits of one query, which come from a few grid cells, share
// cache lines when they are copied into the result.
//
// THREAD SAFETY: immutable after construction; id() may run on any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/registry.hpp"
#include "match/huge_pages.hpp"
#include "match/text_order.hpp"

namespace aware::match {

class AolIds {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  // The rank of each of `count` AOLs by position, from the active ones' positions in id order
  // (order_by_text over their ids): 0, 1, ... along that order, kNone for the others.
  static std::vector<std::uint32_t> rank(const std::vector<std::uint32_t>& id_order,
                                         std::size_t count);

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

}  // namespace aware::match
