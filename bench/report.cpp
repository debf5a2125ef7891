// report.cpp — see report.hpp. Numbers are printed with fixed precision so lines diff cleanly.
#include "report.hpp"

#include <cstdio>
#include <string>

namespace aware::bench {

void Reporter::dataset(std::size_t records, std::size_t people, std::size_t regions,
                       double mean_hits, std::size_t max_hits, double rss_mb) const {
  if (json_) {
    std::printf(
        "{\"bench\":\"dataset\",\"records\":%zu,\"people\":%zu,\"regions\":%zu,"
        "\"mean_aol_hits\":%.2f,\"max_aol_hits\":%zu,\"rss_mb\":%.1f}\n",
        records, people, regions, mean_hits, max_hits, rss_mb);
  } else {
    std::printf(
        "\n== %zu AOLs, %zu clients/devices/AOPs, %zu regions (registry %.1f MB resident); "
        "AOL hits per query: mean %.2f, max %zu\n",
        records, people, regions, rss_mb, mean_hits, max_hits);
  }
  std::fflush(stdout);
}

void Reporter::verified(std::size_t records, std::size_t aol_checked, std::size_t full_checked,
                        std::size_t linear_checked) const {
  if (json_) {
    std::printf(
        "{\"bench\":\"verify\",\"records\":%zu,\"aol_queries\":%zu,\"full_queries\":%zu,"
        "\"linear_queries\":%zu,\"result\":\"identical\"}\n",
        records, aol_checked, full_checked, linear_checked);
  } else {
    std::printf(
        "verified: identical results on %zu AOL queries (index = sqlite), %zu full matches, "
        "%zu of each also against the linear scan\n",
        aol_checked, full_checked, linear_checked);
    std::printf("%-11s %-7s %9s %10s %10s %10s %10s\n", "bench", "impl", "queries", "p50_ns",
                "p99_ns", "p99.9_ns", "mean_ns");
  }
  std::fflush(stdout);
}

void Reporter::build(std::string_view impl, std::size_t records, double build_ms, double rss_mb,
                     double structure_mb) const {
  const std::string name{impl};
  if (json_) {
    std::printf(
        "{\"bench\":\"build\",\"impl\":\"%s\",\"records\":%zu,\"build_ms\":%.1f,"
        "\"rss_mb\":%.1f,\"structure_mb\":%.1f}\n",
        name.c_str(), records, build_ms, rss_mb, structure_mb);
  } else {
    std::printf("build %-7s %10.1f ms   RSS +%.1f MB (structures %.1f MB)\n", name.c_str(),
                build_ms, rss_mb, structure_mb);
  }
  std::fflush(stdout);
}

void Reporter::latency(std::string_view bench, std::string_view impl, std::size_t records,
                       const Percentiles& p) const {
  const std::string b{bench};
  const std::string i{impl};
  if (json_) {
    std::printf(
        "{\"bench\":\"%s\",\"impl\":\"%s\",\"records\":%zu,\"p50_ns\":%lld,\"p99_ns\":%lld,"
        "\"p999_ns\":%lld,\"mean_ns\":%.0f,\"queries\":%zu}\n",
        b.c_str(), i.c_str(), records, static_cast<long long>(p.p50_ns),
        static_cast<long long>(p.p99_ns), static_cast<long long>(p.p999_ns), p.mean_ns, p.count);
  } else {
    std::printf("%-11s %-7s %9zu %10lld %10lld %10lld %10.0f\n", b.c_str(), i.c_str(), p.count,
                static_cast<long long>(p.p50_ns), static_cast<long long>(p.p99_ns),
                static_cast<long long>(p.p999_ns), p.mean_ns);
  }
  std::fflush(stdout);
}

void Reporter::by_hits(std::size_t records, std::size_t hits_min, std::size_t hits_max,
                       const Percentiles& p) const {
  const long long max =
      hits_max == static_cast<std::size_t>(-1) ? -1 : static_cast<long long>(hits_max);
  if (json_) {
    std::printf(
        "{\"bench\":\"aol_query_by_hits\",\"impl\":\"index\",\"records\":%zu,\"hits_min\":%zu,"
        "\"hits_max\":%lld,\"p50_ns\":%lld,\"p99_ns\":%lld,\"p999_ns\":%lld,\"queries\":%zu}\n",
        records, hits_min, max, static_cast<long long>(p.p50_ns), static_cast<long long>(p.p99_ns),
        static_cast<long long>(p.p999_ns), p.count);
  } else {
    const std::string range = std::to_string(hits_min) + "-" + (max < 0 ? "" : std::to_string(max));
    std::printf("  %-9s %-7s %9zu %10lld %10lld %10lld   (index, queries with %s hits)\n",
                "by hits", range.c_str(), p.count, static_cast<long long>(p.p50_ns),
                static_cast<long long>(p.p99_ns), static_cast<long long>(p.p999_ns), range.c_str());
  }
  std::fflush(stdout);
}

}  // namespace aware::bench
