// measure.hpp — the timing and memory tools of match_bench: per-call latencies with
// std::chrono::steady_clock (vDSO + TSC here, ~20 ns per reading, included in every figure),
// nearest-rank percentiles, and the resident set size from /proc/self/statm.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace aware::bench {

struct Percentiles {
  std::size_t count = 0;
  std::int64_t p50_ns = 0;
  std::int64_t p99_ns = 0;
  std::int64_t p999_ns = 0;
  double mean_ns = 0;
};

// Nearest-rank percentiles of `samples` (sorted in place).
Percentiles percentiles(std::vector<std::int64_t>& samples);

// Resident set size of this process in bytes.
std::size_t rss_bytes();

// Returns freed heap to the kernel (malloc_trim) so the next RSS delta counts new memory.
void release_free_memory();

// Calls `prepare(i)` untimed, then `fn(i)` timed alone, for each i in [0, n); a warm-up pass
// over the first min(n, 1000) queries runs first. `prepare` is where the caller drops the
// previous result, so freeing it is not charged to the next query. With `raw`, the unsorted
// samples are copied there too.
template <typename Prepare, typename Fn>
Percentiles time_each(std::size_t n, Prepare&& prepare, Fn&& fn,
                      std::vector<std::int64_t>* raw = nullptr) {
  for (std::size_t i = 0; i < n && i < 1000; ++i) {
    prepare(i);
    fn(i);
  }
  std::vector<std::int64_t> samples(n);
  for (std::size_t i = 0; i < n; ++i) {
    prepare(i);
    const auto t0 = std::chrono::steady_clock::now();
    fn(i);
    const auto t1 = std::chrono::steady_clock::now();
    samples[i] = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
  }
  if (raw != nullptr) {
    *raw = samples;
  }
  return percentiles(samples);
}

// Milliseconds `fn()` took.
template <typename Fn>
double time_ms(Fn&& fn) {
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace aware::bench
