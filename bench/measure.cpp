// measure.cpp — see measure.hpp.
#include "measure.hpp"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace aware::bench {

Percentiles percentiles(std::vector<std::int64_t>& samples) {
  Percentiles p;
  p.count = samples.size();
  if (samples.empty()) {
    return p;
  }
  std::sort(samples.begin(), samples.end());
  auto rank = [&](double q) {
    const auto k = static_cast<std::size_t>(q * static_cast<double>(samples.size()) + 0.999999);
    return samples[std::clamp<std::size_t>(k, 1, samples.size()) - 1];
  };
  p.p50_ns = rank(0.50);
  p.p99_ns = rank(0.99);
  p.p999_ns = rank(0.999);
  p.mean_ns =
      static_cast<double>(std::accumulate(samples.begin(), samples.end(), std::int64_t{0})) /
      static_cast<double>(samples.size());
  return p;
}

std::size_t rss_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) {
    return 0;
  }
  unsigned long size = 0;
  unsigned long resident = 0;
  const int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

void release_free_memory() { malloc_trim(0); }

}  // namespace aware::bench
