// metrics.hpp — the building blocks of GET /metrics: counters and fixed-bucket duration
// histograms cheap enough for the hot path, and a writer of the Prometheus text exposition
// format 0.0.4. The awared metric set itself is in pipeline_metrics.hpp.
//
// Counting is one relaxed atomic add (no lock, no allocation): a scrape needs no ordering with
// the pipeline, only eventually exact numbers. A Histogram keeps one atomic count per bucket
// (not cumulative; the writer adds them up) and the sum in whole nanoseconds, so a snapshot's
// +Inf bucket always equals its _count, even while observations come in.
// THREAD SAFETY: Counter::add and Histogram::observe may be called from any thread at once;
// TextWriter is a plain value used by one thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace aware::core {

// A count that only goes up.
class Counter {
 public:
  void add(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A distribution of durations over fixed upper bounds (inclusive, as Prometheus' `le`).
class Histogram {
 public:
  static constexpr std::size_t kMaxBounds = 24;

  // `bounds`: strictly ascending upper bounds, at most kMaxBounds (checked by assert).
  explicit Histogram(std::span<const std::chrono::nanoseconds> bounds);

  // Counts one duration (a negative one as 0).
  void observe(std::chrono::nanoseconds d) noexcept;

  struct Snapshot {
    std::span<const std::chrono::nanoseconds> bounds;            // the upper bounds
    std::array<std::uint64_t, kMaxBounds + 1> cumulative{};      // [i] = observations <= bounds[i];
                                                                 // [bounds.size()] = all (+Inf)
    std::uint64_t count = 0;                                     // = cumulative[bounds.size()]
    double sum_seconds = 0;                                      // of every observation
  };
  // The counts as they are now (each bucket read once; relaxed).
  [[nodiscard]] Snapshot snapshot() const;

 private:
  std::array<std::chrono::nanoseconds, kMaxBounds> bounds_{};
  std::size_t size_ = 0;                                           // bounds in use
  std::array<std::atomic<std::uint64_t>, kMaxBounds + 1> buckets_{};  // per bucket, last = above all
  std::atomic<std::uint64_t> sum_ns_{0};
};

// Latency bounds shared by awared's histograms: 10 µs to 2.5 s, roughly 1-2.5-5 per decade.
// Matching takes microseconds, a durable commit (fsync) milliseconds.
std::span<const std::chrono::nanoseconds> latency_bounds();

// One label of a sample. The value is escaped by the writer.
struct Label {
  std::string_view name;
  std::string_view value;
};

// Writes the Prometheus text exposition format 0.0.4 ("text/plain; version=0.0.4"):
// per family a `# HELP` and a `# TYPE` line, then its samples, each line ending in '\n'.
class TextWriter {
 public:
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // Starts a family: `type` is counter, gauge or histogram. `help` is escaped (\\ and \n).
  void family(std::string_view name, std::string_view type, std::string_view help);
  // One sample line `name{labels} value`; label values are escaped (\\, \" and \n).
  void sample(std::string_view name, std::initializer_list<Label> labels, std::uint64_t value);
  void sample(std::string_view name, std::initializer_list<Label> labels, double value);
  // A whole histogram family: cumulative `_bucket{le=...}` lines ending with le="+Inf", then
  // `_sum` (seconds) and `_count`.
  void histogram(std::string_view name, std::string_view help, const Histogram& histogram);

  [[nodiscard]] const std::string& text() const { return out_; }

 private:
  void labels(std::initializer_list<Label> labels, std::string_view extra_name = {},
              std::string_view extra_value = {});

  std::string out_;
};

// A float as Prometheus reads it: the shortest text that reads back the same, without an
// exponent ("0.00001", "2.5", "1700000000.123"); "+Inf", "-Inf", "NaN" for those.
std::string metric_number(double value);
// A label value with \, " and newline escaped.
std::string escape_label_value(std::string_view value);

}  // namespace aware::core
