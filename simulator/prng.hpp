// prng.hpp — the scenario engine's own pseudo-random generator: xoshiro256** seeded through
// splitmix64, with its own uniform mappings. std::uniform_*_distribution is deliberately not
// used: its output differs between standard libraries, and a scenario must expand to the same
// events everywhere. Header-only; used by scenario_expand.cpp.
#pragma once

#include <cstdint>
#include <string_view>

namespace aware::sim {

// One splitmix64 step: advances `state` and returns the next output.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  state += 0x9E3779B97F4A7C15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

// FNV-1a over `text`, to derive a per-device stream from its id.
inline std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 0xCBF29CE484222325ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001B3ULL;
  }
  return hash;
}

class prng {
 public:
  explicit prng(std::uint64_t seed) {
    for (auto& word : state_) {
      word = splitmix64(seed);
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5U, 7) * 9U;
    const std::uint64_t t = state_[1] << 17U;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1), 53 bits.
  double unit() { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }

  // Uniform in [lo, hi] (hi >= lo); the modulo bias is below 2^-40 for the ranges used here.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1U;
    return lo + static_cast<std::int64_t>(span == 0 ? next() : next() % span);
  }

  // Uniform in [lo, hi).
  double between(double lo, double hi) { return lo + (hi - lo) * unit(); }

  bool chance(double probability) { return unit() < probability; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << static_cast<unsigned>(k)) | (x >> static_cast<unsigned>(64 - k));
  }

  std::uint64_t state_[4]{};   // xoshiro256** state, never all zero (splitmix64 output)
};

}  // namespace aware::sim
