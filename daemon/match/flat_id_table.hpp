// flat_id_table.hpp — an open-addressing hash table from a record's string id to its position in
// a record vector, used by MatchIndex for devices and clients. Slots hold a 32-bit hash tag and
// a 32-bit position (8 bytes, linear probing, load <= 1/2); keys are not copied but read back from
// the records, so a lookup with a string_view allocates nothing. Measured against
// std::unordered_map<std::string_view, ...> in docs/performance.md.
//
// THREAD SAFETY: immutable after build(); find() may run on any number of threads.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

#include "match/huge_pages.hpp"

namespace aware::match {

// A fast 64-bit string hash (multiply-xorshift over 8-byte words).
inline std::uint64_t hash_id(std::string_view s) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = 0x243F6A8885A308D3ULL ^ (s.size() * kMul);
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * kMul;
  }
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ULL;
  h ^= h >> 32;
  return h;
}

template <typename Record>
class FlatIdTable {
 public:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  // Indexes records[i].id for every i with keep(records[i]); the first of equal ids wins.
  // `records` must outlive the table and not move.
  template <typename Keep>
  void build(const std::vector<Record>& records, Keep keep) {
    records_ = &records;
    std::size_t cap = 16;
    while (cap < records.size() * 2) {
      cap *= 2;
    }
    slots_.assign(cap, Slot{0, kNone});
    mask_ = cap - 1;
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (!keep(records[i])) {
        continue;
      }
      const std::uint64_t h = hash_id(records[i].id);
      const auto tag = static_cast<std::uint32_t>(h >> 32);
      for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
        if (slots_[s].pos == kNone) {
          slots_[s] = Slot{tag, static_cast<std::uint32_t>(i)};
          break;
        }
        if (slots_[s].tag == tag && records[slots_[s].pos].id == records[i].id) {
          break;  // duplicate id: keep the first
        }
      }
    }
  }

  // Position of the record with this id, or kNone.
  [[nodiscard]] std::uint32_t find(std::string_view id) const {
    if (records_ == nullptr) {
      return kNone;
    }
    const std::uint64_t h = hash_id(id);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
      const Slot slot = slots_[s];
      if (slot.pos == kNone) {
        return kNone;
      }
      if (slot.tag == tag && std::string_view{(*records_)[slot.pos].id} == id) {
        return slot.pos;
      }
    }
  }

  [[nodiscard]] std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint32_t tag;   // high half of the hash
    std::uint32_t pos;   // record position, kNone when empty
  };
  const std::vector<Record>* records_ = nullptr;
  HugeVector<Slot> slots_;
  std::size_t mask_ = 0;
};

}  // namespace aware::match
