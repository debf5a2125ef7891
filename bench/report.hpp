// report.hpp — prints match_bench's figures: with --json one JSON object per line (the format
// docs/performance.md and any tooling read), otherwise a readable table on stdout.
#pragma once

#include <cstddef>
#include <string_view>

#include "measure.hpp"

namespace aware::bench {

class Reporter {
 public:
  explicit Reporter(bool json) : json_{json} {}

  // Facts about the dataset of one run: sizes, AOL hits per query, its resident memory.
  void dataset(std::size_t records, std::size_t people, std::size_t regions, double mean_hits,
               std::size_t max_hits, double rss_mb) const;
  // That every implementation gave identical answers on `aol_checked` AOL queries and
  // `full_checked` full matches (the linear scan on `linear_checked` of them).
  void verified(std::size_t records, std::size_t aol_checked, std::size_t full_checked,
                std::size_t linear_checked) const;
  // {"bench":"build",...}: build time and the resident memory the build added.
  void build(std::string_view impl, std::size_t records, double build_ms, double rss_mb,
             double structure_mb) const;
  // {"bench":<bench>,...}: per-query latency percentiles.
  void latency(std::string_view bench, std::string_view impl, std::size_t records,
               const Percentiles& p) const;
  // {"bench":"aol_query_by_hits","impl":"index",...}: latency of the queries whose answer had
  // hits_min..hits_max AOLs (hits_max SIZE_MAX: no upper bound, printed as -1).
  void by_hits(std::size_t records, std::size_t hits_min, std::size_t hits_max,
               const Percentiles& p) const;

 private:
  bool json_;
};

}  // namespace aware::bench
