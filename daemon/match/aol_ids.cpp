// aol_ids.cpp — see aol_ids.hpp.
#include "match/aol_ids.hpp"

#include <algorithm>

namespace aware::match {

std::vector<std::uint32_t> AolIds::rank(const std::vector<std::uint32_t>& id_order,
                                        std::size_t count) {
  std::vector<std::uint32_t> rank_of_position(count, kNone);
  for (std::size_t r = 0; r < id_order.size(); ++r) {
    rank_of_position[id_order[r]] = static_cast<std::uint32_t>(r);
  }
  return rank_of_position;
}

AolIds::AolIds(const std::vector<core::AolRecord>& aols,
               const std::vector<std::uint32_t>& slot_of_position) {
  // Two passes in registry order (the records are read sequentially; only the writes into
  // offsets_ and chars_ jump): the lengths by slot, then the texts into place.
  std::size_t count = 0;
  for (const auto slot : slot_of_position) {
    count += slot != kNone ? 1 : 0;
  }
  offsets_.assign(count + 1, 0);
  for (std::size_t i = 0; i < aols.size(); ++i) {
    if (const auto slot = slot_of_position[i]; slot != kNone) {
      offsets_[slot + 1] = static_cast<std::uint32_t>(aols[i].id.size());
    }
  }
  for (std::size_t s = 0; s < count; ++s) {
    offsets_[s + 1] += offsets_[s];
  }
  chars_.resize(offsets_[count]);
  for (std::size_t i = 0; i < aols.size(); ++i) {
    if (const auto slot = slot_of_position[i]; slot != kNone) {
      std::copy(aols[i].id.begin(), aols[i].id.end(), chars_.begin() + offsets_[slot]);
    }
  }
}

std::size_t AolIds::bytes() const {
  return offsets_.capacity() * sizeof(std::uint32_t) + chars_.capacity();
}

}  // namespace aware::match
