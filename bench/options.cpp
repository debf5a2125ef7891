// options.cpp — see options.hpp. Accepts --records N (repeatable, or a comma list),
// --people N, --queries M, --linear-queries K, --seed S, --quick, --index-only, --json, --help.
#include "options.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace aware::bench {
namespace {

constexpr const char* usage =
    "usage: match_bench [--records N[,N...]]... [--people N] [--queries M]\n"
    "                   [--linear-queries K] [--seed S] [--quick] [--index-only] [--json]\n"
    "  --records N      AOL count of a run (repeatable; default 100000 and 1000000)\n"
    "  --people N       clients, devices and AOPs (default 1000000)\n"
    "  --queries M      activations timed per implementation (default 100000)\n"
    "  --linear-queries K  subsample answered by the linear scan (default 200)\n"
    "  --seed S         dataset seed (default 42)\n"
    "  --quick          small sizes, for a smoke run (ctest)\n"
    "  --index-only     time only the index; check it only against the linear scan\n"
    "                   on the subsample (for profiling, not for the recorded figures)\n"
    "  --json           one JSON object per line\n";

std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty()) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

std::optional<Options> parse_options(int argc, char** argv) {
  Options o;
  std::vector<std::size_t> records;
  bool quick_people = true;
  bool quick_queries = true;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    auto value = [&]() -> std::optional<std::uint64_t> {
      return has_value ? number(argv[++i]) : std::nullopt;
    };
    std::optional<std::uint64_t> v;
    if (arg == "--json") {
      o.json = true;
      continue;
    }
    if (arg == "--index-only") {
      o.index_only = true;
      continue;
    }
    if (arg == "--quick") {
      o.quick = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      std::fputs(usage, stdout);
      o.help = true;
      return o;
    }
    if (arg == "--records" && has_value) {
      std::string_view list = argv[++i];
      while (!list.empty()) {
        const auto comma = std::min(list.find(','), list.size());
        const auto n = number(list.substr(0, comma));
        if (!n || *n == 0) {
          std::fprintf(stderr, "match_bench: bad --records value '%s'\n%s", argv[i], usage);
          return std::nullopt;
        }
        records.push_back(*n);
        list.remove_prefix(std::min(comma + 1, list.size()));
      }
      continue;
    }
    if (arg == "--people" || arg == "--queries" || arg == "--linear-queries" || arg == "--seed") {
      v = value();
    }
    if (!v || (*v == 0 && arg != "--seed")) {
      std::fprintf(stderr, "match_bench: bad option or value '%s'\n%s", argv[i], usage);
      return std::nullopt;
    }
    if (arg == "--people") {
      o.people = *v;
      quick_people = false;
    } else if (arg == "--queries") {
      o.queries = *v;
      quick_queries = false;
    } else if (arg == "--linear-queries") {
      o.linear_queries = *v;
    } else {
      o.seed = *v;
    }
  }
  if (o.quick) {
    o.records = {2'000, 20'000};
    o.people = quick_people ? 20'000 : o.people;
    o.queries = quick_queries ? 5'000 : o.queries;
    o.linear_queries = std::min<std::size_t>(o.linear_queries, 100);
  }
  if (!records.empty()) {
    o.records = records;
  }
  std::sort(o.records.begin(), o.records.end());
  o.records.erase(std::unique(o.records.begin(), o.records.end()), o.records.end());
  o.linear_queries = std::min(o.linear_queries, o.queries);
  return o;
}

}  // namespace aware::bench
