// verify.cpp — see verify.hpp. Results are compared with operator== on the whole vector<AolHit>
// and the whole MatchResult; the messages only help find the difference.
#include "verify.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "match/reference.hpp"

namespace aware::bench {
namespace {

std::string describe(const core::AolHit& h) {
  char buf[96];
  std::snprintf(buf, sizeof buf, " d=%.17g %s", h.distance_m, h.inside ? "inside" : "near");
  return h.aol_id + buf + " label='" + h.label + "' address='" + h.address + "' instructions='" +
         h.instructions + "'";
}

std::string describe(const std::vector<core::AolHit>& hits) {
  std::string s = std::to_string(hits.size()) + " hits:";
  for (std::size_t i = 0; i < hits.size() && i < 12; ++i) {
    s += "\n      " + describe(hits[i]);
  }
  return s + (hits.size() > 12 ? "\n      ..." : "");
}

std::string describe(const core::MatchResult& r) {
  std::string s = "client=" + r.client_id +
                  " aop_state=" + std::to_string(static_cast<int>(r.aop_state)) +
                  " aop=" + (r.aop ? r.aop->aop_id : "-") + " region=" + r.region +
                  " region_source=" + std::to_string(static_cast<int>(r.region_source)) + " flags=";
  for (core::Flag f : r.flags) {
    s += std::to_string(static_cast<int>(f)) + ",";
  }
  return s + " aols " + describe(r.aols);
}

void report_query(std::size_t i, const BenchQuery& q) {
  std::fprintf(stderr, "  query %zu: device=%s client=%s", i, q.device_id.c_str(),
               q.client_id.c_str());
  if (q.fix) {
    std::fprintf(stderr, " fix=(%.7f, %.7f) accuracy=%.3f m fix_time=%lld", q.fix->lat, q.fix->lon,
                 static_cast<double>(q.fix->accuracy_m),
                 static_cast<long long>(q.fix->fix_time_ms));
  }
  std::fputc('\n', stderr);
}

bool same_hits(std::size_t i, const BenchQuery& q, const char* a_name,
               const std::vector<core::AolHit>& a, const char* b_name,
               const std::vector<core::AolHit>& b) {
  if (a == b) {
    return true;
  }
  std::fprintf(stderr, "match_bench: AOL results differ between %s and %s\n", a_name, b_name);
  report_query(i, q);
  std::fprintf(stderr, "  %s: %s\n  %s: %s\n", a_name, describe(a).c_str(), b_name,
               describe(b).c_str());
  return false;
}

}  // namespace

VerifyOutcome verify_all(const match::MatchIndex& index, SqliteAolIndex* sqlite,
                         const Dataset& dataset, const core::MatchConfig& config,
                         std::size_t linear_n) {
  VerifyOutcome out;
  std::vector<core::AolHit> by_index;
  std::vector<core::AolHit> by_other;
  std::size_t total_hits = 0;
  for (std::size_t i = 0; i < dataset.queries.size(); ++i) {
    const BenchQuery& q = dataset.queries[i];
    if (!q.fix) {
      continue;
    }
    const core::GeoPoint p{q.fix->lat, q.fix->lon};
    const double acc = q.fix->accuracy_m;
    by_index.clear();
    index.find_aols(p, acc, q.client_id, config, by_index);
    by_other.clear();
    if (sqlite != nullptr) {
      sqlite->find_aols(p, acc, q.client_id, config, by_other);
    }
    if (sqlite != nullptr && !same_hits(i, q, "index", by_index, "sqlite", by_other)) {
      out.identical = false;
      return out;
    }
    if (i < linear_n) {
      by_other.clear();
      match::find_aols_linear(index.registry(), p, acc, q.client_id, config, by_other);
      if (!same_hits(i, q, "index", by_index, "linear", by_other)) {
        out.identical = false;
        return out;
      }
    }
    ++out.aol_checked;
    total_hits += by_index.size();
    out.hits.push_back(by_index.size());
    out.max_hits = std::max(out.max_hits, by_index.size());
  }
  out.mean_hits = out.aol_checked == 0
                      ? 0.0
                      : static_cast<double>(total_hits) / static_cast<double>(out.aol_checked);
  for (std::size_t i = 0; i < dataset.queries.size() && i < linear_n; ++i) {
    const BenchQuery& q = dataset.queries[i];
    const match::MatchQuery mq{q.device_id, q.fix, dataset.now_ms};
    const core::MatchResult a = match::match(index, mq, config);
    const core::MatchResult b = match::match_linear(index.registry(), mq, config);
    if (a != b) {
      std::fprintf(stderr, "match_bench: full match differs between index and linear\n");
      report_query(i, q);
      std::fprintf(stderr, "  index:  %s\n  linear: %s\n", describe(a).c_str(),
                   describe(b).c_str());
      out.identical = false;
      return out;
    }
    ++out.full_checked;
  }
  out.linear_checked = std::min(linear_n, dataset.queries.size());
  return out;
}

}  // namespace aware::bench
