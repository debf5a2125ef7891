// daemon.hpp — wires the stages into the running awared: ingest → match → store → dispatch.
//
// Threads: one network thread runs the io_context (device sessions, consoles, the registry API,
// the dispatch hub, matching — which reads an immutable index and takes microseconds); one store
// thread owns the SQLite repository; one index thread builds new match indexes from its own
// read-only connection (so a rebuild never delays an activation's commit) and swaps them in. A
// device session hands an activation to store() below: it is matched on the network thread,
// persisted on the store thread (its group commit shows the consoles what it decided before the
// COMMIT's fsync: commit_hooks()), and only after the COMMIT acked. The device side
// (activations, positions, commands) is implemented in device_flow.cpp; the routing timers
// (deliver / accept deadlines, dispatch::Escalation woken by one Asio timer) in
// escalation_flow.cpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "app/registry_api.hpp"

#include "core/config.hpp"
#include "core/pipeline_metrics.hpp"
#include "core/refusals.hpp"
#include "dispatch/escalation.hpp"
#include "dispatch/feeds.hpp"
#include "dispatch/hub.hpp"
#include "match/matcher.hpp"
#include "net/asio.hpp"
#include "dc09/accounts.hpp"
#include "dc09/receiver.hpp"
#include "net/console_server.hpp"
#include "net/dc09_server.hpp"
#include "net/device_server.hpp"
#include "net/signal_fd.hpp"
#include "store/row_types.hpp"
#include "wire/feed_codec.hpp"
#include "wire/meldkamer_codec.hpp"

namespace aware::store {
class CommitQueue;
class Decider;
class Repository;
struct HealthOutcome;
}

namespace aware::app {

// A start-up failure caused by the configuration (e.g. a [tls] file that cannot be read): main
// prints it and exits with code 2, like an invalid config file.
struct StartupConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The [dc09] account table (keys made with dc09::make_key()); throws StartupConfigError naming
// the account when a key is not usable. main also calls it for --check-config.
dc09::AccountTable dc09_account_table(const core::Dc09Config& config);

// The [metrics] bearer token: token_file's content without surrounding white space ("" when no
// file is named). Throws StartupConfigError naming the file when it cannot be read or the token
// is shorter than 16 characters. main also calls it for --check-config (metrics_flow.cpp).
std::string metrics_token(const core::MetricsConfig& config);

// The client context for an https [notify] webhook_url, or none (no webhook, or a loopback
// http:// one). Throws StartupConfigError naming the file when webhook_ca_file (or the system's
// trust store) cannot be read. main also calls it for --check-config (daemon.cpp).
std::shared_ptr<netio::ssl::context> webhook_tls(const core::NotifyConfig& notify);

// The DC-09 receiver's random source (encrypted ACK pads): OpenSSL's CSPRNG (dc09_flow.cpp).
dc09::RandomBytes dc09_random_bytes();

// The exit code after a storage I/O error (EX_IOERR of sysexits.h): systemd restarts awared.
inline constexpr int kStorageFaultExit = 74;

struct Options {
  std::optional<std::filesystem::path> config_path;  // re-read on SIGHUP; none = embedded defaults
  bool seed_demo = false;                            // add demo registrations to an empty store
};

class Daemon final : public netio::DeviceHandler,
                     public netio::Dc09Handler,
                     public netio::ConsoleHandler,
                     public netio::TlsRefusals,
                     public RegistryBackend {
 public:
  Daemon(core::Config config, Options options);
  ~Daemon() override;

  // Opens the store, starts listening, serves until SIGTERM/SIGINT, then drains. Returns the
  // process exit code. Throws std::runtime_error for start-up failures (store, bind).
  int run();

  // netio::DeviceHandler
  netio::awaitable<netio::StoredActivation> store(core::Activation activation) override;
  void acked(const netio::StoredActivation& stored) override;
  netio::awaitable<netio::StoredPosition> store_position(core::MessageKey key,
                                                         core::GeoFix fix) override;
  void position_acked(const netio::StoredPosition& stored) override;
  netio::awaitable<netio::StoredHeartbeat> store_heartbeat(core::MessageKey key,
                                                           core::HealthReport report) override;
  bool registered(std::string_view device_id) override;
  void count_ack(core::AckedMessage what) override { metrics_.ack(what); }
  void count_nack(int reason) override { metrics_.nack(reason); }

  // netio::Dc09Handler (dc09_flow.cpp): a delivered DC-09 message into the same pipeline.
  netio::awaitable<netio::Dc09Commit> commit_dc09(const dc09::Received& received,
                                                  std::string peer) override;
  void dc09_acked(const netio::Dc09Commit& commit) override;
  void count_dc09_reply(dc09::Reply reply) override {
    metrics_.dc09_reply(static_cast<std::size_t>(reply));
  }

  // netio::ConsoleHandler
  // console_access.cpp: the bearer token and the feed binding (dispatch/feed_access.hpp).
  netio::awaitable<netio::Admission> admit(dispatch::FeedTarget asked,
                                           std::string authorization) override;
  void attached(const std::shared_ptr<dispatch::ConsoleSink>& console) override;
  void detached(const dispatch::ConsoleSink* console) override;
  void request(const dispatch::ConsoleSink* console, std::string text) override;
  std::string health() override;
  // metrics_flow.cpp: GET /metrics, with the [metrics] access rule.
  netio::MetricsAnswer metrics(const std::string& authorization, bool loopback) override;

  // RegistryBackend
  netio::awaitable<void> on_store_thread(std::function<void(store::Repository&)> job) override;
  netio::awaitable<void> on_read_thread(std::function<void(store::Repository&)> job) override;
  netio::awaitable<std::optional<std::string>> index_at_least(std::int64_t version) override;
  void publish_alerts(const std::vector<core::Alert>& alerts) override;
  netio::awaitable<bool> check_password(std::string hash, std::string password) override;
  netio::awaitable<std::optional<std::string>> hash_password(std::string password) override;
  [[nodiscard]] core::NameSet desks() const override {
    return {config_.match.default_region, config_.dispatch.fallback_region};
  }
  std::size_t user_changed(const std::string& name) override {
    return consoles_.close_if([&name](const core::Principal& who) { return who.name == name; });
  }
  std::size_t session_ended(const std::string& digest) override {
    return consoles_.close_if([&digest](const core::Principal& who) { return who.session == digest; });
  }
  [[nodiscard]] std::int64_t session_ttl_ms() const override {
    return config_.security.session_ttl.count() * 1000;
  }
  [[nodiscard]] std::string console_tile_url() const override {
    return config_.meldkamer.tile_url;
  }
  [[nodiscard]] const core::SupervisionRules& supervision_rules() const override {
    return supervision_rules_;
  }
  // refusal_flow.cpp: sessions and the audited refusals.
  netio::awaitable<tl::expected<core::Principal, std::string>> authenticate(
      std::string authorization) override;
  void refused(core::Refusal refusal) override;

  // netio::TlsRefusals: a refused TLS connection is audited like a refused request.
  void tls_refused(std::string_view listener, const std::string& peer, const std::string& subject,
                   const std::string& why) override;
  netio::awaitable<void> flush_refusals() override;

 private:
  // Runs fn(repository) on the store thread, after the activations queued before it and before
  // those queued after it (record_waiting_first), and resumes the caller with its result.
  template <typename Fn>
  auto on_store(Fn fn) -> netio::awaitable<decltype(fn(std::declval<store::Repository&>()))>;

  // Index thread only (or before the threads start): unless the installed index is already at
  // least `min_version`, loads the registry through reader_, builds an index and swaps it in.
  // Returns why that failed, or nullopt.
  std::optional<std::string> refresh_index(std::int64_t min_version);

  // An incident shown on a console is marked DELIVERED in the store. Ids queue here and one
  // store job marks all that have queued in one transaction (one fsync, not one each).
  void mark_delivered(std::int64_t id);
  netio::awaitable<void> mark_delivered_queued();
  // device_flow.cpp, the group commit's hooks (store::BatchHooks; store thread, they post to
  // the network thread): a batch's new and changed incidents go to the consoles before its
  // COMMIT; when that COMMIT fails, every console gets a fresh snapshot from the store.
  store::BatchHooks commit_hooks();
  // device_flow.cpp, the group commit (store::CommitQueue): queues one activation and resumes
  // when its batch is recorded. One drain job on the store thread records a batch and hands the
  // whole batch back in one post, which wakes each waiting activation.
  netio::awaitable<store::Result<store::RecordOutcome>> commit(store::ActivationToRecord job);
  void drain_commits();  // posts itself to the store thread; runs there
  // Store thread: records one batch of at most `at_most` and hands it back (drain_commits'
  // body); the number of activations it took.
  std::size_t drain_batch(std::size_t at_most);
  // Store thread, before every other store job (on_store): records the activations queued
  // before the job was (the first `ticket`, CommitQueue::queued() on the network thread), so a
  // job never overtakes an activation queued before it — a console's accept or a DELIVERED
  // mark always finds the incident the consoles were shown, even when more than one batch
  // waits — and none queued after it overtakes the job.
  void record_waiting_first(std::uint64_t ticket);
  // Network thread: the activations queued for the group commit so far (the ticket above).
  std::uint64_t activations_queued();
  void show_decided(std::vector<core::Incident> incidents);
  struct Withdrawn {
    std::int64_t id = 0;
    bool not_open = false;  // opened or reopened by the batch: not open in the store
  };
  void withdraw(std::vector<Withdrawn> shown);
  // An activation the decider decided, as the consoles were shown it before the store's turn.
  struct ShownEarly {
    std::int64_t id = 0;
    store::RecordEffect effect = store::RecordEffect::opened;
  };
  // As a batch is handed back: shows the stored version again where a held decision's
  // incident on the hub was replaced by something older since.
  void still_shown(const std::vector<const store::RecordOutcome*>& last);
  // The store recorded it otherwise or not at all (`recorded`): logged (AWR-4032), counted,
  // and withdrawn (every console gets a fresh snapshot from the store).
  void corrected(const ShownEarly& early, const core::MessageKey& key,
                 const store::Result<store::RecordOutcome>& recorded);
  netio::awaitable<void> resync_consoles();
  // console_flow.cpp: a meldkamer console's accept / close / listenIn / addNote.
  netio::awaitable<void> apply(const dispatch::ConsoleSink* console, wire::ConsoleRequest req);
  // The open incident `id` when the console's user may do `op` on it now; else sends
  // `request`'s ConsoleError ("M-… is not open", or the audited refusal) and returns nullptr.
  // The pointer is the hub's: valid until the next co_await.
  const core::Incident* open_incident_for(const dispatch::ConsoleSink* console,
                                          core::Operation op, const std::string& request,
                                          std::int64_t id);
  // Meeluisteren: records it (store thread) and sends OPEN_LISTEN_IN to the device; a
  // ConsoleError when the incident is not open or could not be recorded.
  netio::awaitable<void> listen_in(const dispatch::ConsoleSink* console, wire::ListenInRequest req);
  // A note during handling: stores it by the signed-in user (store thread) and pushes the
  // incident to its region's consoles; a ConsoleError when the incident is not open, is full
  // or the user may not act on it.
  netio::awaitable<void> add_note(const dispatch::ConsoleSink* console, wire::AddNoteRequest req);
  netio::awaitable<void> reload();
  // SIGHUP: reads [metrics] token_file again (a rotated token); keeps the old one when the
  // file is unreadable or its token invalid (metrics_flow.cpp).
  void reload_metrics_token();
  // dc09_flow.cpp: ", dc09 tcp on A, udp on B" for the ready line ("" when [dc09] is off).
  [[nodiscard]] std::string dc09_status() const;
  // dc09_flow.cpp: a DC-09 alarm or manual test as an activation of `device` (the linked
  // device, or "DC09-<account>" for an unknown account: matched as an unknown device, flagged).
  netio::awaitable<netio::Dc09Commit> dc09_activation(const dc09::Received& received,
                                                      std::string device, core::Trigger trigger);
  netio::awaitable<void> watchdog_loop(std::chrono::microseconds interval);
  // storage_fault_flow.cpp: a failed commit (disk full: live alert, Nacks until a commit
  // succeeds; I/O error: live alert, marker, stop with kStorageFaultExit), the end of a
  // disk-full episode (the stored opslag_storing alert), and at start-up the alert of a run
  // that stopped on an I/O error.
  void storage_failed(const store::StoreError& error, std::string_view what);
  netio::awaitable<void> storage_recovered();
  void raise_marked_storage_alert();
  void wait_for_signal();
  void shutdown();
  void publish(const core::Incident& incident);
  // feed_flow.cpp: the PAC operator's feed, the case workers' notices and the webhook.
  // Sends stored alerts to the PAC consoles and a stored notice to the case workers (and
  // wakes the webhook).
  void publish_effects(const std::vector<core::Alert>& alerts,
                       const std::optional<core::Notice>& notice);
  // Attaches a case-worker console: its backlog (?since=) from the store, then live notices.
  netio::awaitable<void> attach_notices(std::shared_ptr<dispatch::ConsoleSink> console);
  // A PAC operator's request (acknowledge / resolve an alert).
  void pac_request(const dispatch::ConsoleSink* console, std::string_view text);
  netio::awaitable<void> apply_pac(const dispatch::ConsoleSink* console, wire::PacRequest req);
  // console_access.cpp: whether the console's user may send `op` about `what` now (session not
  // ended, core::decide()); on refusal sends `request`'s ConsoleError to the console, audits it
  // and returns false. `send` is the feed's send_to (hub or alerts).
  bool console_may(const dispatch::ConsoleSink* console, core::Operation op,
                   const core::Resource& what, const std::string& request,
                   const std::string& target);
  // The region a centralist acts on for `incident`: its own, or the fallback region when the
  // incident was escalated there and the user serves that one.
  [[nodiscard]] std::string acting_region(const core::Principal& who,
                                          const core::Incident& incident) const;
  // refusal_flow.cpp: writes the queued refusals (one transaction) whenever a flush is due.
  netio::awaitable<void> refusal_loop();
  netio::awaitable<void> write_refusals();
  // POSTs stored notices to [notify] webhook_url, in order, retrying with back-off.
  netio::awaitable<void> webhook_loop();
  // supervision_flow.cpp: publishes what a device's message or silence did to its supervision
  // and re-arms its lost deadline.
  void apply_health(const std::string& device_id, const store::HealthOutcome& health);
  // Reads every supervised device's deadline from the store (start-up, after a registry
  // change) and wakes supervision_loop().
  netio::awaitable<void> watch_devices();
  // Sleeps until the earliest lost deadline, then runs the silence check for each due device.
  netio::awaitable<void> supervision_loop();
  // Housekeeping: the contract reminders and the retention purge, at start-up and then every
  // hour (contract_sweep() once more after
  // every registry change).
  netio::awaitable<void> contract_loop();
  netio::awaitable<void> contract_sweep();
  // Deletes what [retention] says is past its time (run with the hourly contract sweep).
  netio::awaitable<void> purge_expired();
  // device_flow.cpp: queue a Command (a v1::CommandKind) for the device's connection, if any,
  // and log it (AWR-4010) with the incident it is for; at debug when `routine` and queued (a
  // START_TRACKING repeated for a repeated press).
  void send_command(const std::string& device_id, int kind, const core::Incident& inc,
                    bool routine = false);
  // After a centralist closed `closed`: STOP_TRACKING and CLEAR_AUDIO to its device.
  void stop_device(const core::Incident& closed);
  // escalation_flow.cpp: reads the deadlines the store armed for incident `id` (just opened
  // or reopened) into escalation_ and wakes timer_loop().
  netio::awaitable<void> load_timers(std::int64_t id);
  // Sleeps until the earliest deadline (or a wake-up), then fires what is due; until stopping_.
  netio::awaitable<void> timer_loop();
  // Fires every deadline due at `now`: persists each firing (event row, ESCALATED flag,
  // next deadlines), logs it (AWR-4012/4013/4014) and publishes the incident.
  netio::awaitable<void> fire_due_timers(core::TimeMs now);

  core::Config config_;
  Options options_;
  core::PipelineMetrics metrics_;                  // GET /metrics; counted on any thread
  std::string metrics_token_;                      // [metrics] token_file's token, "" = none
  double start_time_s_ = 0;                        // process start, for process_start_time_seconds
  net::io_context io_{1};
  net::thread_pool store_pool_{1};                 // the store thread
  std::unique_ptr<store::Decider> decider_;        // decides activations ahead of the store
                                                   // (outlives repo_, which it is attached to)
  std::unique_ptr<store::Repository> repo_;        // used only on the store thread after start
  std::unique_ptr<store::CommitQueue> commits_;    // activations waiting for a group commit
  net::thread_pool index_pool_{1};                 // the index thread
  net::thread_pool auth_pool_{1};                  // password checks (argon2id, slow by design)
  std::unique_ptr<store::Repository> reader_;      // read connection, only on the index thread
  std::int64_t installed_version_ = -1;            // registry version of index_; index thread
  match::MatchIndexHolder index_;
  RegistryApi api_{*this, core::LoginLimits{
                              static_cast<int>(config_.security.login_free_failures),
                              config_.security.login_lock.count() * 1000,
                              config_.security.login_lock_max.count() * 1000}};
  dispatch::Hub hub_;
  dispatch::AlertFeed alerts_;                     // the PAC operator's queue (/ws/pac)
  dispatch::NoticeFeed notices_;                   // case workers (/ws/hulpverlener)
  std::shared_ptr<netio::AcceptPacer> handshake_pacer_;  // both TLS listeners; null without TLS
  netio::DeviceServer devices_;
  dc09::AccountTable dc09_accounts_;               // [dc09] accounts, keys checked
  dc09::Receiver dc09_receiver_;                   // the DC-09 core; network thread
  netio::Dc09Server dc09_;                         // DC-09 TCP/UDP; started when enabled
  netio::ConsoleServer consoles_;
  netio::SignalFd signals_;  // SIGINT, SIGTERM, SIGHUP (signal_fd.hpp)
  net::steady_timer watchdog_timer_;
  dispatch::Escalation escalation_;                // pending deadlines; network thread
  dispatch::EscalationPolicy escalation_policy_;   // from [dispatch]
  net::steady_timer escalation_timer_;             // wakes timer_loop(); cancel() = re-plan
  net::steady_timer webhook_timer_;                // webhook_loop() waits on it; cancel() = wake
  std::shared_ptr<netio::ssl::context> webhook_tls_;  // an https webhook_url's client context
  bool webhook_dirty_ = false;                     // a notice may be pending for the webhook
  core::SupervisionRules supervision_rules_;       // from [supervision]
  core::SilenceWatch silence_;                     // lost deadlines; network thread
  net::steady_timer supervision_timer_;            // wakes supervision_loop(); cancel() = re-plan
  net::steady_timer contract_timer_;               // contract_loop()
  core::RefusalQueue refusals_;                    // audited refusals not yet written
  // Refused TLS connections: 10 audited one by one in each 10 minutes, the rest of a scan only
  // counted (one row a window), so a scan that never ends cannot fill the audit log.
  core::RefusalWindow tls_refusals_{10, 10 * 60 * 1000, "TLS connections"};
  net::steady_timer refusal_timer_;                // wakes refusal_loop(); cancel() = re-plan
  bool stopping_ = false;
  std::vector<std::int64_t> to_mark_delivered_;    // mark_delivered(); network thread
  bool marking_delivered_ = false;                 // mark_delivered_queued() is under way
  bool resyncing_ = false;                         // resync_consoles() is under way
  std::vector<Withdrawn> withdrawn_;               // shown, then their COMMIT failed; network
                                                   // thread, emptied by resync_consoles()
  std::set<std::int64_t> withdrawn_ids_;           // their ids until the resync is done (a
                                                   // DELIVERED mark of one fails unlogged)
  // Whether a group commit shows its incidents before its COMMIT: not during a disk-full
  // episode, when every retransmission's COMMIT would fail and flash a withdrawn alarm.
  std::atomic<bool> show_before_commit_{true};     // set on the network thread, read on the store
  struct StorageFull {
    core::TimeMs since_ms = 0;                     // the first write refused for want of room
    std::uint64_t refused = 0;                     // writes refused since
  };
  std::optional<StorageFull> storage_full_;        // a disk-full episode; network thread
  bool storage_recovering_ = false;                // storage_recovered() is under way
  bool storage_exit_ = false;                      // stopping for a storage I/O error
  int exit_code_ = 0;                              // what run() returns
};

}  // namespace aware::app
