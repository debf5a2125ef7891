// metrics.cpp — see metrics.hpp.
#include "core/metrics.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>

namespace aware::core {

using std::chrono::nanoseconds;

Histogram::Histogram(std::span<const nanoseconds> bounds) : size_{bounds.size()} {
  assert(bounds.size() <= kMaxBounds);
  assert(std::is_sorted(bounds.begin(), bounds.end()) &&
         std::adjacent_find(bounds.begin(), bounds.end()) == bounds.end());
  std::copy(bounds.begin(), bounds.end(), bounds_.begin());
}

void Histogram::observe(nanoseconds d) noexcept {
  const auto ns = std::max<nanoseconds::rep>(d.count(), 0);
  const auto* first = bounds_.data();
  const auto* bucket = std::lower_bound(first, first + size_, nanoseconds{ns});
  buckets_[static_cast<std::size_t>(bucket - first)].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = std::span<const nanoseconds>(bounds_.data(), size_);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= size_; ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  s.count = running;
  s.sum_seconds = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
  return s;
}

std::span<const nanoseconds> latency_bounds() {
  using std::chrono::microseconds;
  using std::chrono::milliseconds;
  static const std::array<nanoseconds, 18> kBounds = {
      microseconds(10),  microseconds(25),  microseconds(50),  microseconds(100),
      microseconds(250), microseconds(500), milliseconds(1),   nanoseconds(2'500'000),
      milliseconds(5),   milliseconds(10),  milliseconds(25),  milliseconds(50),
      milliseconds(100), milliseconds(250), milliseconds(500), milliseconds(1000),
      milliseconds(2500), milliseconds(5000)};
  return kBounds;
}

std::string metric_number(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  std::array<char, 400> buf{};  // a double in fixed notation has at most ~330 characters
  const auto done = std::to_chars(buf.data(), buf.data() + buf.size(), value,
                                  std::chars_format::fixed);
  return {buf.data(), done.ptr};
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void TextWriter::family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  for (const char c : help) {
    if (c == '\\') {
      out_ += "\\\\";
    } else if (c == '\n') {
      out_ += "\\n";
    } else {
      out_.push_back(c);
    }
  }
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void TextWriter::labels(std::initializer_list<Label> labels, std::string_view extra_name,
                        std::string_view extra_value) {
  if (labels.size() == 0 && extra_name.empty()) {
    return;
  }
  out_ += '{';
  bool first = true;
  auto one = [&](std::string_view name, std::string_view value) {
    out_ += first ? "" : ",";
    first = false;
    out_ += name;
    out_ += "=\"";
    out_ += escape_label_value(value);
    out_ += '"';
  };
  for (const auto& l : labels) {
    one(l.name, l.value);
  }
  if (!extra_name.empty()) {
    one(extra_name, extra_value);
  }
  out_ += '}';
}

void TextWriter::sample(std::string_view name, std::initializer_list<Label> labels,
                        std::uint64_t value) {
  out_ += name;
  this->labels(labels);
  out_ += ' ';
  out_ += std::to_string(value);
  out_ += '\n';
}

void TextWriter::sample(std::string_view name, std::initializer_list<Label> labels,
                        double value) {
  out_ += name;
  this->labels(labels);
  out_ += ' ';
  out_ += metric_number(value);
  out_ += '\n';
}

void TextWriter::histogram(std::string_view name, std::string_view help,
                           const Histogram& histogram) {
  family(name, "histogram", help);
  const auto s = histogram.snapshot();
  const std::string bucket = std::string(name) + "_bucket";
  for (std::size_t i = 0; i <= s.bounds.size(); ++i) {
    const std::string le =
        i < s.bounds.size()
            ? metric_number(std::chrono::duration<double>(s.bounds[i]).count())
            : std::string("+Inf");
    out_ += bucket;
    labels({}, "le", le);
    out_ += ' ';
    out_ += std::to_string(s.cumulative[i]);
    out_ += '\n';
  }
  sample(std::string(name) + "_sum", {}, s.sum_seconds);
  sample(std::string(name) + "_count", {}, s.count);
}

}  // namespace aware::core
