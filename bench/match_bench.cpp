// match_bench.cpp — benchmarks matching (issue 3, part 5): our MatchIndex against a linear scan
// and SQLite's R*Tree on one seeded dataset, for each --records size. It first checks that all
// implementations give identical answers (exit 1 otherwise), then times the AOL query and the
// full match per call and reports p50 / p99 / p99.9, build time and resident memory.
//
// Run: build/bench/match_bench [--json] [--records N]... (see --help). Timings are wall-clock on
// whatever machine runs it; nothing here asserts on them.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iterator>
#include <memory>
#include <string_view>
#include <vector>

#include "dataset.hpp"
#include "match/matcher.hpp"
#include "match/reference.hpp"
#include "measure.hpp"
#include "options.hpp"
#include "report.hpp"
#include "sqlite_aol_index.hpp"
#include "verify.hpp"

namespace aware::bench {
namespace {

constexpr double mb = 1024.0 * 1024.0;

double rss_delta_mb(std::size_t before) {
  const std::size_t now = rss_bytes();
  return now > before ? static_cast<double>(now - before) / mb : 0.0;
}

// The index's AOL-query latencies split by how many hits the query returned: shows what the
// answer's size costs.
void report_by_hits(const Reporter& out, std::size_t records,
                    const std::vector<std::int64_t>& samples,
                    const std::vector<std::size_t>& hits) {
  constexpr std::size_t bounds[] = {0, 10, 50, 200, static_cast<std::size_t>(-1)};
  for (std::size_t b = 0; b + 1 < std::size(bounds); ++b) {
    std::vector<std::int64_t> bucket;
    for (std::size_t i = 0; i < samples.size() && i < hits.size(); ++i) {
      if (hits[i] >= bounds[b] && hits[i] < bounds[b + 1]) {
        bucket.push_back(samples[i]);
      }
    }
    const std::size_t last =
        bounds[b + 1] == bounds[std::size(bounds) - 1] ? bounds[b + 1] : bounds[b + 1] - 1;
    out.by_hits(records, bounds[b], last, percentiles(bucket));
  }
}

// One size: build, verify, time. Returns false when the implementations disagree.
bool run_size(const Dataset& ds, std::size_t records, const Options& opt, const Reporter& out) {
  const core::MatchConfig config;  // near_m 500, near_max 10, max_fix_age 300 s
  release_free_memory();
  const std::size_t rss0 = rss_bytes();
  core::Registry registry = registry_with_aols(ds, records);
  const double registry_mb = rss_delta_mb(rss0);

  release_free_memory();
  const std::size_t rss1 = rss_bytes();
  std::unique_ptr<match::MatchIndex> index;
  const double index_ms =
      time_ms([&] { index = std::make_unique<match::MatchIndex>(std::move(registry)); });
  const double index_mb = rss_delta_mb(rss1);

  release_free_memory();
  const std::size_t rss2 = rss_bytes();
  const std::vector<core::AolRecord>& aols = index->registry().aols;
  std::unique_ptr<SqliteAolIndex> sqlite;
  const double sqlite_ms = opt.index_only ? 0.0 : time_ms([&] {
    sqlite = std::make_unique<SqliteAolIndex>(aols);
  });
  const double sqlite_mb = rss_delta_mb(rss2);

  const VerifyOutcome v = verify_all(*index, sqlite.get(), ds, config, opt.linear_queries);
  if (!v.identical) {
    std::fprintf(stderr, "match_bench: implementations disagree at %zu records; not timing\n",
                 records);
    return false;
  }
  out.dataset(records, opt.people, ds.base.regions.size(), v.mean_hits, v.max_hits, registry_mb);
  out.build("index", records, index_ms, index_mb, static_cast<double>(index->index_bytes()) / mb);
  if (sqlite) {
    out.build("sqlite", records, sqlite_ms, sqlite_mb,
              static_cast<double>(SqliteAolIndex::memory_used()) / mb);
    out.build("linear", records, 0.0, 0.0, 0.0);
    out.verified(records, v.aol_checked, v.full_checked, v.linear_checked);
  }

  // AOL query: the queries that carry a fix.
  std::vector<const BenchQuery*> fixes;
  for (const BenchQuery& q : ds.queries) {
    if (q.fix) {
      fixes.push_back(&q);
    }
  }
  std::vector<core::AolHit> hits;
  auto clear_hits = [&](std::size_t) { hits.clear(); };
  auto aol_query = [&](auto&& find) {
    return [&, find](std::size_t i) {
      const BenchQuery& q = *fixes[i];
      find(core::GeoPoint{q.fix->lat, q.fix->lon}, static_cast<double>(q.fix->accuracy_m),
           q.client_id);
    };
  };
  const std::size_t linear_fixes = std::min(opt.linear_queries, fixes.size());
  using std::string_view;
  std::vector<std::int64_t> index_samples;
  out.latency(
      "aol_query", "index", records,
      time_each(fixes.size(), clear_hits, aol_query([&](core::GeoPoint p, double a, string_view c) {
                  index->find_aols(p, a, c, config, hits);
                }),
                &index_samples));
  report_by_hits(out, records, index_samples, v.hits);
  if (sqlite) {
    out.latency("aol_query", "sqlite", records,
                time_each(fixes.size(), clear_hits,
                          aol_query([&](core::GeoPoint p, double a, string_view c) {
                            sqlite->find_aols(p, a, c, config, hits);
                          })));
    out.latency("aol_query", "linear", records,
                time_each(linear_fixes, clear_hits,
                          aol_query([&](core::GeoPoint p, double a, string_view c) {
                            match::find_aols_linear(index->registry(), p, a, c, config, hits);
                          })));
  }

  // Full match: every query, with or without a fix. The previous result is dropped untimed.
  core::MatchResult result;
  auto clear_result = [&](std::size_t) { result = core::MatchResult{}; };
  auto full = [&](bool linear) {
    return [&, linear](std::size_t i) {
      const BenchQuery& q = ds.queries[i];
      const match::MatchQuery mq{q.device_id, q.fix, ds.now_ms};
      result = linear ? match::match_linear(index->registry(), mq, config)
                      : match::match(*index, mq, config);
    };
  };
  out.latency("full_match", "index", records,
              time_each(ds.queries.size(), clear_result, full(false)));
  if (sqlite) {
    out.latency("full_match", "linear", records,
                time_each(std::min(opt.linear_queries, ds.queries.size()), clear_result,
                          full(true)));
  }
  return true;
}

int run(int argc, char** argv) {
  const auto opt = parse_options(argc, argv);
  if (!opt) {
    return 2;
  }
  if (opt->help) {
    return 0;
  }
  DatasetParams params;
  params.max_aols = opt->records.back();
  params.min_aols = opt->records.front();
  params.people = opt->people;
  params.queries = opt->queries;
  params.seed = opt->seed;
  const Reporter out{opt->json};
  double gen_ms = 0;
  Dataset ds;
  gen_ms = time_ms([&] { ds = make_dataset(params); });
  if (!opt->json) {
    std::printf(
        "match_bench: seed %llu, %zu queries (linear scan: first %zu), dataset made in "
        "%.0f ms\n",
        static_cast<unsigned long long>(opt->seed), opt->queries, opt->linear_queries, gen_ms);
  }
  for (std::size_t records : opt->records) {
    if (!run_size(ds, records, *opt, out)) {
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace aware::bench

int main(int argc, char** argv) {
  try {
    return aware::bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "match_bench: %s\n", e.what());
    return 1;
  }
}
