// daemon.hpp — wires the stages into the running awared: ingest → match → store → dispatch.
//
// Threads: one network thread runs the io_context (device sessions, consoles, the dispatch hub,
// matching — which reads an immutable index and takes microseconds); one store thread owns the
// SQLite repository. A device session hands an activation to store() below: it is matched on
// the network thread, persisted on the store thread, and only then acked and dispatched.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "dispatch/hub.hpp"
#include "match/matcher.hpp"
#include "net/asio.hpp"
#include "net/console_server.hpp"
#include "net/device_server.hpp"
#include "wire/meldkamer_codec.hpp"

namespace aware::store {
class Repository;
}

namespace aware::app {

struct Options {
  std::optional<std::filesystem::path> config_path;  // re-read on SIGHUP; none = embedded defaults
  bool seed_demo = false;                            // add demo registrations to an empty store
};

class Daemon final : public netio::DeviceHandler, public netio::ConsoleHandler {
 public:
  Daemon(core::Config config, Options options);
  ~Daemon() override;

  // Opens the store, starts listening, serves until SIGTERM/SIGINT, then drains. Returns the
  // process exit code. Throws std::runtime_error for start-up failures (store, bind).
  int run();

  // netio::DeviceHandler
  netio::awaitable<netio::StoredActivation> store(core::Activation activation) override;
  void acked(const netio::StoredActivation& stored) override;

  // netio::ConsoleHandler
  void attached(const std::shared_ptr<dispatch::ConsoleSink>& console) override;
  void detached(const dispatch::ConsoleSink* console) override;
  void request(const dispatch::ConsoleSink* console, std::string text) override;
  std::string health() override;

 private:
  // Runs fn(repository) on the store thread and resumes the caller with its result.
  template <typename Fn>
  auto on_store(Fn fn) -> netio::awaitable<decltype(fn(std::declval<store::Repository&>()))>;

  netio::awaitable<void> mark_delivered(std::int64_t id);
  netio::awaitable<void> apply(const dispatch::ConsoleSink* console, wire::ConsoleRequest req);
  netio::awaitable<void> reload();
  netio::awaitable<void> watchdog_loop(std::chrono::microseconds interval);
  void wait_for_signal();
  void shutdown();
  void publish(const core::Incident& incident);

  core::Config config_;
  Options options_;
  net::io_context io_{1};
  net::thread_pool store_pool_{1};                 // the store thread
  std::unique_ptr<store::Repository> repo_;        // used only on the store thread after start
  match::MatchIndexHolder index_;
  dispatch::Hub hub_;
  netio::DeviceServer devices_;
  netio::ConsoleServer consoles_;
  net::signal_set signals_;
  net::steady_timer watchdog_timer_;
  bool stopping_ = false;
};

}  // namespace aware::app
