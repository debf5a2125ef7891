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
    // Hashes first (one sequential pass over the records), then the inserts in record order,
    // each slot fetched kAhead inserts early so that the cache misses overlap.
    const auto keys = hashed(records.size(), [&](std::size_t i) {
      return keep(records[i]) ? &records[i].id : nullptr;
    });
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (k + kAhead < keys.size()) {
        __builtin_prefetch(&slots_[keys[k + kAhead].hash & mask_]);
      }
      const auto [h, i] = keys[k];
      const auto tag = static_cast<std::uint32_t>(h >> 32);
      for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
        if (slots_[s].pos == kNone) {
          slots_[s] = Slot{tag, i};
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
    return find_hashed(id, hash_id(id));
  }
  // The same, calling candidate(pos) for each position whose tag matches before its record's id
  // is compared: a caller that goes on to read data by that position can request it there, so
  // its cache miss overlaps with the record's.
  template <typename Candidate>
  [[nodiscard]] std::uint32_t find(std::string_view id, Candidate candidate) const {
    return find_hashed(id, hash_id(id), candidate);
  }

  // For i in [0, n): found(i, find(*id_of(i))) when id_of(i) is not nullptr. The same answers
  // as n calls of find(), several times faster for large n: slots and records are fetched
  // ahead (index build: 1e6 devices looking up their client).
  template <typename IdOf, typename Found>
  void find_each(std::size_t n, IdOf id_of, Found found) const {
    if (records_ == nullptr) {  // never built
      for (std::size_t i = 0; i < n; ++i) {
        if (id_of(i) != nullptr) {
          found(i, kNone);
        }
      }
      return;
    }
    const auto keys = hashed(n, id_of);
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (k + kAhead < keys.size()) {
        __builtin_prefetch(&slots_[keys[k + kAhead].hash & mask_]);
      }
      if (k + kAhead / 2 < keys.size()) {
        const Slot first = slots_[keys[k + kAhead / 2].hash & mask_];
        if (first.pos != kNone) {
          __builtin_prefetch(&(*records_)[first.pos]);
        }
      }
      found(keys[k].pos, find_hashed(*id_of(keys[k].pos), keys[k].hash));
    }
  }

  [[nodiscard]] std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  static constexpr std::size_t kAhead = 16;  // prefetch distance of build() and find_each()

  struct Slot {
    std::uint32_t tag;   // high half of the hash
    std::uint32_t pos;   // record position, kNone when empty
  };
  struct Hashed {
    std::uint64_t hash;
    std::uint32_t pos;   // the i it was made for
  };

  // hash_id(*id_of(i)) for each i in [0, n) whose id_of(i) is not nullptr, in order.
  template <typename IdOf>
  static std::vector<Hashed> hashed(std::size_t n, IdOf id_of) {
    std::vector<Hashed> keys;
    keys.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (const auto* id = id_of(i); id != nullptr) {
        keys.push_back({hash_id(*id), static_cast<std::uint32_t>(i)});
      }
    }
    return keys;
  }

  template <typename Candidate = void (*)(std::uint32_t)>
  [[nodiscard]] std::uint32_t find_hashed(std::string_view id, std::uint64_t h,
                                          Candidate candidate = [](std::uint32_t) {}) const {
    if (records_ == nullptr) {
      return kNone;
    }
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t s = h & mask_;; s = (s + 1) & mask_) {
      const Slot slot = slots_[s];
      if (slot.pos == kNone) {
        return kNone;
      }
      if (slot.tag == tag) {
        candidate(slot.pos);
        if (std::string_view{(*records_)[slot.pos].id} == id) {
          return slot.pos;
        }
      }
    }
  }
  const std::vector<Record>* records_ = nullptr;
  HugeVector<Slot> slots_;
  std::size_t mask_ = 0;
};

}  // namespace aware::match
