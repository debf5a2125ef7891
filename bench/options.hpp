// options.hpp — match_bench's command line: which sizes, how many queries, which seed, output
// format. Parsed once in main and passed down by const&.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aware::bench {

struct Options {
  std::vector<std::size_t> records{100'000, 1'000'000};  // AOL counts, one run each
  std::size_t people = 1'000'000;                        // clients, devices and AOPs
  std::size_t queries = 100'000;     // activations timed for the fast implementations
  std::size_t linear_queries = 200;  // the subsample the linear scan answers (~ms each)
  std::uint64_t seed = 42;
  bool json = false;   // one JSON object per line instead of a table
  bool quick = false;  // small sizes for a smoke run
  bool index_only = false;  // no SQLite, no linear timing: verify index == linear only on the
                            // subsample, time only the index (for profiling; not for figures)
  bool help = false;   // --help was given (usage already printed)
};

// Parses argv. Returns nullopt after printing an error and the usage to stderr.
std::optional<Options> parse_options(int argc, char** argv);

}  // namespace aware::bench
