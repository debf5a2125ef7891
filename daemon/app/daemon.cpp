// daemon.cpp — see daemon.hpp.
#include "app/daemon.hpp"
#include "app/store_call.hpp"

#include <csignal>
#include <limits>
#include <utility>

#include "auth/password.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "device.pb.h"
#include "net/systemd_notify.hpp"
#include "store/commit_queue.hpp"
#include "store/decider.hpp"
#include "store/repository.hpp"

namespace aware::app {
namespace {

// The meldkamer port's TLS (issue 6): HTTPS/WSS with awared's certificate, or none when [tls]
// insecure_dev turns TLS off. Throws StartupConfigError naming the file or setting when the
// context cannot be built.
netio::ConsoleTls console_tls(const core::TlsConfig& tls, std::shared_ptr<netio::AcceptPacer> pacer,
                              netio::TlsRefusals& refusals) {
  if (tls.insecure_dev) {
    return {};
  }
  auto context = netio::console_tls_context(tls);
  if (!context) {
    throw StartupConfigError("cannot set up TLS for the meldkamer port: " + context.error());
  }
  return {std::move(*context), tls.handshake_timeout, std::move(pacer), &refusals};
}

std::string endpoint_text(const netio::tcp::endpoint& ep) {
  const auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" +
         std::to_string(ep.port());
}

// The device link's TLS (issue 6): the mutual TLS 1.3 context, or none when [tls] insecure_dev
// turns TLS off, which is logged loudly. Throws StartupConfigError naming the file or setting
// when the context cannot be built.
netio::DeviceTls device_tls(const core::TlsConfig& tls, std::shared_ptr<netio::AcceptPacer> pacer,
                            netio::TlsRefusals& refusals) {
  if (tls.insecure_dev) {
    core::log("app")->warn("AWR-1011 TLS IS OFF (insecure_dev = true): devices and consoles are "
                           "not authenticated — development only");
    return {};
  }
  auto context = netio::device_tls_context(tls);
  if (!context) {
    throw StartupConfigError("cannot set up TLS for the device link: " + context.error());
  }
  return {std::move(*context), tls.handshake_timeout, std::move(pacer), &refusals};
}

}  // namespace

std::shared_ptr<netio::ssl::context> webhook_tls(const core::NotifyConfig& notify) {
  const auto url = core::parse_http_url(notify.webhook_url);  // checked when the config loaded
  if (!url || !url->tls) {
    return nullptr;
  }
  auto context = netio::client_tls_context(notify.webhook_ca_file);
  if (!context) {
    throw StartupConfigError("cannot set up TLS for the webhook: " + context.error());
  }
  return std::move(*context);
}

Daemon::Daemon(core::Config config, Options options)
    : config_{std::move(config)},
      options_{std::move(options)},
      metrics_token_{metrics_token(config_.metrics)},
      start_time_s_{static_cast<double>(core::now_ms()) / 1000.0},
      handshake_pacer_{config_.tls.insecure_dev
                           ? nullptr
                           : std::make_shared<netio::AcceptPacer>(config_.tls.handshakes_per_s)},
      devices_{io_, config_.device, *this, device_tls(config_.tls, handshake_pacer_, *this)},
      dc09_accounts_{dc09_account_table(config_.dc09)},
      dc09_receiver_{[this](std::string_view account) { return dc09_accounts_.find(account); },
                     dc09::AccountConfig{}, dc09_random_bytes()},
      dc09_{io_, config_.dc09, dc09_receiver_, *this},
      consoles_{io_, config_.meldkamer, *this, api_,
                console_tls(config_.tls, handshake_pacer_, *this)},
      signals_{io_},
      watchdog_timer_{io_},
      escalation_policy_{config_.dispatch.deliver_timeout.count() * 1000,
                         config_.dispatch.accept_timeout.count() * 1000},
      escalation_timer_{io_},
      webhook_timer_{io_},
      webhook_tls_{webhook_tls(config_.notify)},
      supervision_rules_{config_.supervision.heartbeat_interval.count() * 1000,
                         static_cast<double>(config_.supervision.grace_percent) / 100.0,
                         config_.supervision.grace.count() * 1000,
                         config_.supervision.battery_low_pct,
                         config_.supervision.battery_critical_pct,
                         config_.supervision.battery_hysteresis_pct},
      supervision_timer_{io_},
      contract_timer_{io_},
      refusal_timer_{io_} {
  hub_.set_fallback_region(config_.dispatch.fallback_region);
  hub_.set_close_outcomes(config_.dispatch.close_outcomes);
  hub_.set_test_channel(config_.dispatch.test_channel);
}

Daemon::~Daemon() = default;

int Daemon::run() {
  auto log = core::log("app");
  repo_ = std::make_unique<store::Repository>(config_.store.path);
  commits_ = std::make_unique<store::CommitQueue>(&metrics_.commit, commit_hooks());
  log->info("AWR-1002 store {} open (WAL, synchronous=FULL, schema {})", config_.store.path,
            repo_->schema_version());
  if (options_.seed_demo) {
    if (auto seeded = repo_->seed_demo_if_empty(core::now_ms()); seeded && *seeded) {
      log->info("AWR-1003 demo registrations added");
    }
  }
  repo_->set_timer_policy(escalation_policy_.deliver_timeout_ms,
                          escalation_policy_.accept_timeout_ms);
  repo_->set_supervision_rules(supervision_rules_);
  repo_->set_test_window_required(config_.supervision.test_needs_window);
  decider_ = std::make_unique<store::Decider>();
  repo_->attach_decider(*decider_, core::now_ms());
  reader_ = std::make_unique<store::Repository>(config_.store.path);
  auto open = repo_->open_incidents();
  auto timers = repo_->pending_timers();
  if (!timers) {
    throw std::runtime_error("cannot read the store: " + timers.error().message);
  }
  for (const auto& [id, t] : *timers) {
    escalation_.set(id, t);  // resumed from the stored deadlines, not restarted
  }
  if (!open) {
    throw std::runtime_error("cannot read the store: " + open.error().message);
  }
  if (auto problem = refresh_index(0)) {
    throw std::runtime_error("cannot read the registrations: " + *problem);
  }
  hub_.load(*open);
  raise_marked_storage_alert();
  auto alerts = repo_->unresolved_alerts();
  if (!alerts) {
    throw std::runtime_error("cannot read the store: " + alerts.error().message);
  }
  alerts_.load(*alerts);

  devices_.start();
  consoles_.start();
  if (config_.dc09.enabled) {
    dc09_.start();
  }
  const auto status = "devices on " + endpoint_text(devices_.local_endpoint()) +
                      ", meldkamer on " + endpoint_text(consoles_.local_endpoint()) + ", " +
                      std::to_string(open->size()) + " open incidents" + dc09_status();
  log->info("AWR-1004 ready: {}", status);
  wait_for_signal();
  if (auto interval = netio::watchdog_interval()) {
    net::co_spawn(io_, watchdog_loop(*interval), net::detached);
  }
  netio::notify_ready(status);
  net::co_spawn(io_, timer_loop(), net::detached);
  net::co_spawn(io_, supervision_loop(), net::detached);
  net::co_spawn(io_, contract_loop(), net::detached);
  net::co_spawn(io_, refusal_loop(), net::detached);
  if (!config_.notify.webhook_url.empty()) {
    net::co_spawn(io_, webhook_loop(), net::detached);
  }
  io_.run();
  store_pool_.join();
  index_pool_.join();
  auth_pool_.join();
  reader_.reset();
  repo_.reset();
  log->info("AWR-1006 stopped");
  return exit_code_;
}

void Daemon::wait_for_signal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) {
      return;
    }
    if (signo == SIGHUP) {
      net::co_spawn(io_, reload(), net::detached);
      wait_for_signal();
    } else {
      shutdown();
    }
  });
}

void Daemon::shutdown() {
  if (stopping_) {
    return;
  }
  stopping_ = true;
  core::log("app")->info("AWR-1005 stopping: finishing in-flight work");
  netio::notify_stopping();
  devices_.stop();
  dc09_.stop();
  consoles_.stop();
  signals_.cancel();
  watchdog_timer_.cancel();
  escalation_timer_.cancel();
  webhook_timer_.cancel();
  supervision_timer_.cancel();
  contract_timer_.cancel();
  refusal_timer_.cancel();
}

netio::awaitable<void> Daemon::watchdog_loop(std::chrono::microseconds interval) {
  while (!stopping_) {
    watchdog_timer_.expires_after(interval / 2);
    boost::system::error_code ec;
    co_await watchdog_timer_.async_wait(net::redirect_error(netio::use_awaitable, ec));
    if (stopping_) {
      break;
    }
    // A round trip through the store thread proves both threads are alive.
    auto ping = [](store::Repository&) { return 0; };
    co_await on_store(std::move(ping));
    netio::notify_watchdog();
  }
}

netio::awaitable<void> Daemon::reload() {
  auto log = core::log("app");
  netio::notify_reloading();
  if (options_.config_path) {
    auto fresh = core::load_config_file(*options_.config_path);
    if (!fresh) {
      log->error("AWR-1007 reload: config not used: {}", fresh.error().to_string());
    } else {
      core::init_logging(fresh->log.level);
      if (!(fresh->device == config_.device && fresh->meldkamer == config_.meldkamer &&
            fresh->store == config_.store && fresh->match == config_.match &&
            fresh->dispatch == config_.dispatch && fresh->notify == config_.notify &&
            fresh->supervision == config_.supervision && fresh->security == config_.security &&
            fresh->retention == config_.retention && fresh->dc09 == config_.dc09 &&
            fresh->metrics == config_.metrics)) {
        log->warn("AWR-1008 reload: only [log] changes apply now; restart for the rest");
      }
    }
  }
  reload_metrics_token();
  // Always rebuild: the database may have been changed behind awared's back.
  if (auto problem = co_await index_at_least(std::numeric_limits<std::int64_t>::max())) {
    log->error("AWR-1010 reload: cannot read registrations: {}", *problem);
  } else {
    log->info("AWR-1009 reload: registrations reloaded");
  }
  netio::notify_ready("reloaded");
}

netio::awaitable<void> Daemon::on_store_thread(std::function<void(store::Repository&)> job) {
  auto fn = [job = std::move(job)](store::Repository& r) {
    job(r);
    return 0;
  };
  co_await on_store(std::move(fn));
}

netio::awaitable<void> Daemon::on_read_thread(std::function<void(store::Repository&)> job) {
  auto fn = [this, job = std::move(job)] {
    job(*reader_);
    return 0;
  };
  auto task = call_plain<int>(std::move(fn));
  co_await net::co_spawn(index_pool_, std::move(task), netio::use_awaitable);
}

netio::awaitable<bool> Daemon::check_password(std::string hash, std::string password) {
  auto job = [h = std::move(hash), p = std::move(password)] { return auth::verify_password(h, p); };
  auto task = call_plain<bool>(std::move(job));
  co_return co_await net::co_spawn(auth_pool_, std::move(task), netio::use_awaitable);
}

netio::awaitable<std::optional<std::string>> Daemon::hash_password(std::string password) {
  auto job = [p = std::move(password)] { return auth::hash_password(p); };
  auto task = call_plain<std::optional<std::string>>(std::move(job));
  co_return co_await net::co_spawn(auth_pool_, std::move(task), netio::use_awaitable);
}

netio::awaitable<std::optional<std::string>> Daemon::index_at_least(std::int64_t version) {
  auto job = [this, version] { return refresh_index(version); };
  auto task = call_plain<std::optional<std::string>>(std::move(job));
  auto problem = co_await net::co_spawn(index_pool_, std::move(task), netio::use_awaitable);
  // A registry change may have added or returned devices: supervision watches the new set.
  net::co_spawn(io_, watch_devices(), net::detached);
  net::co_spawn(io_, contract_sweep(), net::detached);
  co_return problem;
}

std::optional<std::string> Daemon::refresh_index(std::int64_t min_version) {
  if (installed_version_ >= min_version) {
    return std::nullopt;  // a newer build already includes that change
  }
  auto snapshot = reader_->registry_snapshot(false);
  if (!snapshot) {
    return snapshot.error().message;
  }
  try {
    index_.replace(std::make_shared<const match::MatchIndex>(std::move(snapshot->registry)));
  } catch (const std::exception& e) {
    return std::string("cannot build the match index: ") + e.what();
  }
  installed_version_ = snapshot->version;
  return std::nullopt;
}

void Daemon::publish(const core::Incident& incident) {
  if (hub_.publish(incident) && incident.state == core::IncidentState::created) {
    mark_delivered(incident.id);
  }
}

void Daemon::mark_delivered(std::int64_t id) {
  to_mark_delivered_.push_back(id);
  if (!marking_delivered_) {
    marking_delivered_ = true;
    net::co_spawn(io_, mark_delivered_queued(), net::detached);
  }
}

netio::awaitable<void> Daemon::mark_delivered_queued() {
  while (!to_mark_delivered_.empty()) {
    auto ids = std::exchange(to_mark_delivered_, {});
    auto job = [ids](store::Repository& r) { return r.mark_delivered(ids, core::now_ms()); };
    std::vector<store::Result<store::Repository::Transition>> done;
    try {
      done = co_await on_store(std::move(job));
    } catch (const std::exception& e) {
      // Not an SQLite error (e.g. an incident whose stored context does not parse): these stay
      // NEW, and the not-delivered deadline raises its alert; later ids are marked as before.
      core::log("store")->error("AWR-3002 cannot record delivery of {} incidents ({}…): {}",
                                ids.size(), core::incident_label(ids.front()), e.what());
      continue;
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (done[i] && done[i]->applied) {
        hub_.publish(done[i]->incident);
      } else if (!done[i] && !withdrawn_ids_.contains(ids[i])) {
        core::log("store")->error("AWR-3002 cannot record delivery of {}: {}",
                                  core::incident_label(ids[i]), done[i].error().message);
      }
    }
  }
  marking_delivered_ = false;
}

void Daemon::attached(const std::shared_ptr<dispatch::ConsoleSink>& console) {
  switch (console->feed()) {
    case dispatch::FeedKind::meldkamer:
      for (auto id : hub_.attach(console, core::now_ms())) {
        mark_delivered(id);
      }
      break;
    case dispatch::FeedKind::pac:
      alerts_.attach(console, core::now_ms());
      break;
    case dispatch::FeedKind::hulpverlener:
      net::co_spawn(io_, attach_notices(console), net::detached);
      break;
  }
}

void Daemon::detached(const dispatch::ConsoleSink* console) {
  hub_.detach(console);
  alerts_.detach(console);
  notices_.detach(console);
}

std::string Daemon::health() {
  return "{\"status\":\"" + std::string(stopping_ ? "stopping" : "ok") +
         "\",\"version\":\"" AWARE_VERSION "\",\"devices_connected\":" +
         std::to_string(devices_.connection_count()) +
         ",\"consoles\":" + std::to_string(hub_.console_count()) +
         ",\"pac_consoles\":" + std::to_string(alerts_.console_count()) +
         ",\"hulpverlener_consoles\":" + std::to_string(notices_.console_count()) +
         ",\"open_incidents\":" + std::to_string(hub_.open_count()) +
         ",\"open_alerts\":" + std::to_string(alerts_.open_count()) + "}";
}

}  // namespace aware::app
