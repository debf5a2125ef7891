// audit_api.cpp — the REST endpoints of the audit log (issue 6 item 4), as RegistryApi members:
//   GET /api/v1/audit[?after=ID&before=ID&limit=N&actor=A&action=X&subject=S&order=O]
//                                          rows with after < id < before (after defaults to 0,
//                                          before to none) whose actor, action and subject are
//                                          the ones given (exact, percent-decoded), at most N
//                                          (1..1000, default 100), oldest first or, with
//                                          order=newest, newest first
//   GET /api/v1/audit/verify[?anchor=ID:HASH]
//                                          {"ok":true,"rows":N,"first_id":…,"head_id":…,
//                                           "head":"…"[,"detail":"…"]} or
//                                          {"ok":false,"rows":N,"first_bad_id":…,"problem":"…",
//                                           "detail":"…"} (200 either way)
// The anchor is a head noted earlier outside awared (`awarectl audit head`): the row it names
// must still be there with that hash, which catches a truncated or recomputed chain.
// Refusals still queued (core/refusals.hpp) are written first, so the log read is complete.
// Listing rows is audited itself (action "audit.read", subject "audit", the query in words and
// the row count), unless a plain poll (oldest first, no filter, no `before`) finds no row but
// such listings: so a client polling for new rows settles instead of reading its own last
// listing for ever. A search is always audited. The listing's row is written
// before the answer is sent. Verifying the chain discloses no row and is not audited.
// Pages and the chain are read on the index thread's read connection (a search or the chain may
// be long; the store thread, which carries the alarms, never waits for it); the JSON is built on
// the network thread.
#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "app/registry_api.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/percent.hpp"
#include "core/time_text.hpp"
#include "registry/registry_json.hpp"
#include "store/repository.hpp"

namespace aware::app {
namespace {

using netio::ApiResponse;
using Job = std::function<void(store::Repository&)>;

constexpr std::int64_t kDefaultLimit = 100;
constexpr std::string_view kAuditRead = "audit.read";  // the action of a listing's own row
constexpr std::int64_t kMaxLimit = 1000;
constexpr std::size_t kMaxFilter = 256;  // bytes of an actor, action or subject asked for

// The query parameter `name` as an integer in [low, high], `fallback` when absent; nullopt
// when present but not such a number.
std::optional<std::int64_t> int_param(const std::string& query, std::string_view name,
                                      std::int64_t low, std::int64_t high,
                                      std::int64_t fallback) {
  const auto text = query_param(query, name);
  if (!text) {
    return fallback;
  }
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || end != text->data() + text->size() || v < low || v > high) {
    return std::nullopt;
  }
  return v;
}

// The listing `query` (the target after '?') asks for, or the 400 text naming the parameter.
tl::expected<core::AuditQuery, std::string> audit_query(const std::string& query) {
  constexpr auto kMaxId = std::numeric_limits<std::int64_t>::max();
  core::AuditQuery q;
  const auto after = int_param(query, "after", 0, kMaxId, 0);
  if (!after) {
    return tl::make_unexpected("after: a row id of 0 or more");
  }
  q.after = *after;
  if (query_param(query, "before")) {
    const auto before = int_param(query, "before", 1, kMaxId, 1);
    if (!before) {
      return tl::make_unexpected("before: a row id of 1 or more");
    }
    q.before = *before;
  }
  const auto limit = int_param(query, "limit", 1, kMaxLimit, kDefaultLimit);
  if (!limit) {
    return tl::make_unexpected("limit: an integer from 1 to 1000");
  }
  q.limit = static_cast<std::size_t>(*limit);
  for (auto [name, field] : {std::pair<std::string_view, std::string*>{"actor", &q.actor},
                             {"action", &q.action},
                             {"subject", &q.subject}}) {
    const auto raw = query_param(query, name);
    if (!raw) {
      continue;
    }
    auto value = core::percent_decode(*raw, core::Plus::space);
    if (!value || value->empty() || value->size() > kMaxFilter) {
      return tl::make_unexpected(std::string(name) +
                                 ": 1 to 256 bytes, percent-encoded, no control characters");
    }
    *field = std::move(*value);
  }
  if (const auto order = query_param(query, "order")) {
    if (*order != "oldest" && *order != "newest") {
      return tl::make_unexpected("order: oldest or newest");
    }
    q.newest_first = *order == "newest";
  }
  return q;
}

nlohmann::json row_json(const core::AuditRow& r) {
  return {{"id", r.entry.id},
          {"at_ms", r.entry.at_ms},
          {"at", core::iso_utc(r.entry.at_ms)},
          {"actor", r.entry.actor},
          {"action", r.entry.action},
          {"subject", r.entry.subject},
          {"justification", r.entry.justification},
          {"prev_hash", r.prev_hash},
          {"hash", r.hash}};
}

nlohmann::json verdict_json(const core::AuditVerdict& v) {
  nlohmann::json j{{"ok", v.ok}, {"rows", v.rows}};
  if (v.ok) {
    j["head"] = v.head;
    j["head_id"] = v.head_id;
    j["first_id"] = v.first_id;
    if (!v.detail.empty()) {
      j["detail"] = v.detail;
    }
  } else {
    j["first_bad_id"] = v.first_bad_id.value_or(0);
    j["problem"] = std::string(core::to_string(v.problem));
    j["detail"] = v.detail;
  }
  return j;
}

}  // namespace

bool RegistryApi::audit_route(const std::vector<std::string>& s, const std::string& m,
                              Route& r) {
  if (s.empty() || s[0] != "audit" || s.size() > 2 || (s.size() == 2 && s[1] != "verify")) {
    return false;
  }
  r.op = m != "GET" ? Op::not_allowed : s.size() == 1 ? Op::audit_list : Op::audit_verify;
  r.allow = "GET";
  return true;
}

netio::awaitable<ApiResponse> RegistryApi::audit(const Route& r, const Caller& caller) {
  co_await backend_.flush_refusals();  // the refusals still queued belong in what is read
  if (r.op == Op::audit_verify) {
    std::optional<core::AuditAnchor> anchor;
    if (const auto text = query_param(r.query, "anchor")) {
      anchor = core::parse_audit_anchor(*text);
      if (!anchor) {
        co_return ApiResponse{400, registry::error_json("anchor: ID:HASH (a row id and 64 hex digits)"), {}};
      }
    }
    store::Result<core::AuditVerdict> verdict;
    Job job = [&](store::Repository& repo) { verdict = repo.verify_audit(anchor); };
    co_await backend_.on_read_thread(std::move(job));
    if (!verdict) {
      co_return store_failed(verdict.error().message);
    }
    if (!verdict->ok) {
      core::log("registry")->error("AWR-6010 audit: chain broken at row {}: {}",
                                   verdict->first_bad_id.value_or(0), verdict->detail);
    }
    co_return ApiResponse{200, verdict_json(*verdict).dump(), {}};
  }
  const auto query = audit_query(r.query);
  if (!query) {
    co_return ApiResponse{400, registry::error_json(query.error()), {}};
  }
  store::Result<std::vector<core::AuditRow>> rows;
  Job read = [&](store::Repository& repo) { rows = repo.audit_rows(*query); };
  co_await backend_.on_read_thread(std::move(read));
  if (!rows) {
    co_return store_failed(rows.error().message);
  }
  // The log names who looked at whose data: reading it is itself audited (after the read, so
  // the row is not in this page). Only a plain poll (oldest first, no filter, no `before`)
  // that finds nothing but earlier listings, or nothing, writes none: a poller settles. A
  // search always does — earlier listings name the searches made, and "no row" is an answer.
  const auto& q = *query;
  const bool poll = !q.newest_first && !q.before && q.actor.empty() && q.action.empty() &&
                    q.subject.empty();
  const auto discloses = [](const core::AuditRow& row) { return row.entry.action != kAuditRead; };
  if (!poll || std::any_of(rows->begin(), rows->end(), discloses)) {
    store::Result<core::AuditRow> audited = tl::make_unexpected(store::StoreError{});
    Job write = [&](store::Repository& repo) {
      audited = repo.append_audit(caller.actor, std::string(kAuditRead), "audit",
                                  core::describe(*query) + ", " + std::to_string(rows->size()) +
                                      " rows",
                                  core::now_ms());
    };
    co_await backend_.on_store_thread(std::move(write));
    if (!audited) {
      co_return store_failed(audited.error().message);  // nothing disclosed without its row
    }
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& row : *rows) {
    list.push_back(row_json(row));
  }
  co_return ApiResponse{200, nlohmann::json{{"audit", std::move(list)}}.dump(), {}};
}

}  // namespace aware::app
