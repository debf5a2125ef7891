// feeds.cpp — see feeds.hpp.
#include "dispatch/feeds.hpp"

#include <algorithm>
#include <charconv>

#include "core/percent.hpp"
#include "wire/feed_codec.hpp"
#include "wire/meldkamer_codec.hpp"

namespace aware::dispatch {
namespace {

// Calls `f(name, value)` for each "name=value" (or "name") of a query string.
template <typename F>
void each_param(std::string_view query, F&& f) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto param = query.substr(0, amp);
    const auto eq = param.find('=');
    f(param.substr(0, eq), eq == std::string_view::npos ? std::string_view{} : param.substr(eq + 1));
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
}

tl::expected<FeedTarget, std::string> parse_hulpverlener(std::string_view query) {
  FeedTarget t;
  t.kind = FeedKind::hulpverlener;
  std::string error;
  each_param(query, [&](std::string_view name, std::string_view value) {
    if (!error.empty()) {
      return;
    }
    if (name == "since") {
      std::int64_t id = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
      if (value.empty() || ec != std::errc{} || p != value.data() + value.size() || id < 0) {
        error = "since: must be a notice id (a decimal number >= 0)";
        return;
      }
      t.since = id;
      return;
    }
    if (name == "own") {
      t.own_clients = t.own_clients || value == "1";
      return;
    }
    auto* set = name == "case_worker" ? &t.case_workers : name == "client" ? &t.clients : nullptr;
    if (set == nullptr) {
      return;  // other parameters are ignored
    }
    auto decoded = core::percent_decode(value, core::Plus::space);
    if (!decoded || decoded->empty() || decoded->size() > max_feed_name_bytes) {
      error = std::string(name) + ": must be 1 to 128 bytes, percent-encoded";
      return;
    }
    if (t.case_workers.size() + t.clients.size() >= max_feed_names) {
      error = "at most 64 case_worker and client parameters";
      return;
    }
    set->insert(std::move(*decoded));
  });
  if (!error.empty()) {
    return tl::make_unexpected(error);
  }
  if (t.case_workers.empty() && t.clients.empty() && !t.own_clients) {
    return tl::make_unexpected(std::string(
        "name the clients to follow: ?own=1, ?case_worker=NAME or ?client=ID (repeatable)"));
  }
  return t;
}

}  // namespace

bool FeedTarget::follows(const core::Notice& notice) const {
  if (scope && !scope->contains(notice.client_id)) {
    return false;
  }
  return clients.contains(notice.client_id) ||
         (!notice.case_worker.empty() && case_workers.contains(notice.case_worker));
}

std::optional<tl::expected<FeedTarget, std::string>> parse_feed_target(std::string_view target) {
  const auto q = target.find('?');
  const auto path = target.substr(0, q);
  const auto query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
  if (path == "/ws/meldkamer") {
    auto regions = parse_console_target(target);
    if (!regions) {
      return tl::make_unexpected(std::string("regions: at most 64 ids of at most 64 bytes"));
    }
    FeedTarget t;
    t.regions = std::move(*regions);
    each_param(query, [&t](std::string_view name, std::string_view value) {
      t.tests = t.tests || (name == "tests" && value == "1");
    });
    return t;
  }
  if (path == "/ws/pac") {
    FeedTarget t;
    t.kind = FeedKind::pac;
    return t;
  }
  if (path == "/ws/hulpverlener") {
    return parse_hulpverlener(query);
  }
  return std::nullopt;
}

// --- AlertFeed ---

void AlertFeed::load(const std::vector<core::Alert>& unresolved) {
  open_.clear();
  for (const auto& a : unresolved) {
    if (a.state != core::AlertState::resolved) {
      open_.emplace(a.id, a);
    }
  }
}

bool AlertFeed::attach(const std::shared_ptr<ConsoleSink>& console, core::TimeMs now) {
  std::vector<const core::Alert*> all;
  all.reserve(open_.size());
  for (const auto& [id, a] : open_) {
    all.push_back(&a);
  }
  return consoles_.add(console,
                       std::make_shared<const std::string>(wire::encode_alert_snapshot(all, now)));
}

void AlertFeed::publish(const core::Alert& alert) {
  if (alert.state == core::AlertState::resolved) {
    open_.erase(alert.id);
  } else {
    open_.insert_or_assign(alert.id, alert);
  }
  auto frame = std::make_shared<const std::string>(wire::encode_alert_update(alert));
  consoles_.broadcast(frame, [](const ConsoleSink&) { return true; });
}

void AlertFeed::send_to(const ConsoleSink* console, std::string frame) {
  consoles_.send_to(console, std::make_shared<const std::string>(std::move(frame)));
}

const core::Alert* AlertFeed::find(std::int64_t id) const {
  auto it = open_.find(id);
  return it == open_.end() ? nullptr : &it->second;
}

namespace {

// The live storage-fault alert (id 0) is not stored — the store cannot take writes while it is
// shown — so no operator action on it could be recorded or audited.
tl::expected<void, std::string> refuse_live(const core::Alert& a) {
  return tl::make_unexpected(
      "alert " + a.kind +
      " is live and not stored (the store takes no writes now): awared clears it once writes "
      "succeed again, and a stored alert that can be acknowledged and resolved takes its place");
}

}  // namespace

tl::expected<void, std::string> AlertFeed::may_acknowledge(std::int64_t id) const {
  const auto* a = find(id);
  if (a == nullptr) {
    return tl::make_unexpected("alert " + std::to_string(id) + " is not open");
  }
  if (id == 0) {
    return refuse_live(*a);
  }
  if (a->state != core::AlertState::open) {
    return tl::make_unexpected("alert " + std::to_string(id) + " is already acknowledged by " +
                               a->acked_by);
  }
  return {};
}

tl::expected<void, std::string> AlertFeed::may_resolve(std::int64_t id) const {
  const auto* a = find(id);
  if (a == nullptr) {
    return tl::make_unexpected("alert " + std::to_string(id) + " is not open");
  }
  if (id == 0) {
    return refuse_live(*a);
  }
  if (!core::operator_resolvable(a->kind)) {
    return tl::make_unexpected("alert " + std::to_string(id) + " (" + a->kind +
                               ") resolves when the device reports that the condition is gone");
  }
  return {};
}

// --- NoticeFeed ---

void NoticeFeed::begin_attach(const std::shared_ptr<ConsoleSink>& console) {
  pending_.emplace(console.get(), std::vector<core::Notice>{});
}

bool NoticeFeed::finish_attach(const std::shared_ptr<ConsoleSink>& console,
                               std::vector<core::Notice> backlog, core::TimeMs now) {
  std::vector<core::Notice> held;
  if (auto it = pending_.find(console.get()); it != pending_.end()) {
    held = std::move(it->second);
    pending_.erase(it);
  }
  const std::int64_t last = backlog.empty() ? 0 : backlog.back().id;
  auto first = std::make_shared<const std::string>(wire::encode_notice_backlog(backlog, now));
  if (!consoles_.add(console, std::move(first))) {
    return false;
  }
  for (const auto& n : held) {
    if (n.id > last) {
      consoles_.send_to(console.get(), std::make_shared<const std::string>(wire::encode_notice(n)));
    }
  }
  return true;
}

void NoticeFeed::detach(const ConsoleSink* console) {
  pending_.erase(console);
  consoles_.remove(console);
}

std::size_t NoticeFeed::publish(const core::Notice& notice) {
  for (auto& [console, held] : pending_) {
    if (console->follows(notice)) {
      held.push_back(notice);
    }
  }
  auto frame = std::make_shared<const std::string>(wire::encode_notice(notice));
  return consoles_.broadcast(frame, [&](const ConsoleSink& c) { return c.follows(notice); });
}

}  // namespace aware::dispatch
