// fixtures.hpp — the real programs as the system tests drive them: an awared instance on
// ephemeral loopback ports with its own database, the xmark-sim device simulator, and the
// meldkamer console client in --json mode.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness.hpp"

namespace aware::systest {

struct AwaredOptions {
  std::map<std::string, std::string> env;   // extra environment (e.g. AWARED_CRASH_AT)
  std::uint16_t device_port = 0;            // 0 = ephemeral
  std::uint16_t meldkamer_port = 0;
  std::string device_toml;                  // extra "key = value" lines for [device]
  std::string meldkamer_toml;               // extra "key = value" lines for [meldkamer]
  std::string dispatch_toml;                // extra "key = value" lines for [dispatch]
  std::string notify_toml;                  // extra "key = value" lines for [notify]
  std::string supervision_toml;             // extra "key = value" lines for [supervision]
  std::string tls_toml = "insecure_dev = true";  // the [tls] lines: plain TCP/HTTP on loopback
                                                 // unless a test sets up certificates
  std::string metrics_toml;                 // extra "key = value" lines for [metrics]
  std::string security_toml;                // extra "key = value" lines for [security]
  bool seed_demo = true;
  bool create_users = true;                 // add standard_users() before the first start
};

// One awared process. The constructor adds the standard users (harness.hpp, "Sessions") to a
// fresh database, starts awared and returns once it has sent READY=1; from then on the
// harness's HTTP and WebSocket helpers sign in to it by themselves.
class Awared {
 public:
  Awared(const TempDir& dir, AwaredOptions options = {});

  [[nodiscard]] std::uint16_t device_port() const { return device_port_; }
  [[nodiscard]] std::uint16_t meldkamer_port() const { return meldkamer_port_; }
  [[nodiscard]] std::filesystem::path db() const { return dir_ / "var" / "awared.db"; }
  [[nodiscard]] std::filesystem::path config_file() const { return dir_ / "awared.toml"; }
  [[nodiscard]] std::filesystem::path log_file() const { return dir_ / "awared.log"; }
  Process& process() { return *process_; }
  NotifySocket& notify() { return *notify_; }

  // Starts a fresh awared on the same ports and database (the previous one must have exited).
  void restart(std::map<std::string, std::string> env = {});

 private:
  void start();

  std::filesystem::path dir_;
  AwaredOptions options_;
  std::uint16_t device_port_ = 0;
  std::uint16_t meldkamer_port_ = 0;
  std::unique_ptr<NotifySocket> notify_;
  std::unique_ptr<Process> process_;
  int generation_ = 0;
};

// Result of one `xmark-sim activate`.
struct SimResult {
  int exit_code = -1;                      // -1 when it did not exit normally
  std::optional<nlohmann::json> reply;     // its --json line (ack or nack)
};

// All of awared's log so far (its stderr; each line is written before awared acts on it).
std::string log_text(const Awared& awared);

// Runs `xmark-sim activate --json` against the device port and waits for it to finish.
SimResult activate(const TempDir& dir, std::uint16_t port, const std::string& device,
                   const std::vector<std::string>& extra_args = {});

// Starts `xmark-sim activate --json` without waiting (for crash tests).
std::unique_ptr<Process> start_activate(const TempDir& dir, std::uint16_t port,
                                        const std::string& device,
                                        const std::vector<std::string>& extra_args = {});

// Result of one `awarectl` run.
struct CtlResult {
  int exit_code = -1;                      // -1 when it did not exit normally
  std::string out;                         // its stdout
  std::string err;                         // its stderr
};

// Runs `awarectl --server 127.0.0.1:PORT ARGS...` and waits for it to finish, signed in (by
// $AWARED_TOKEN) as the admin for `audit …` and as the PAC operator otherwise.
CtlResult awarectl(const TempDir& dir, std::uint16_t port, const std::vector<std::string>& args);
// The same with the environment given (e.g. another AWARED_TOKEN, or none: {}).
CtlResult awarectl_with(const TempDir& dir, std::uint16_t port,
                        const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env);

// Opens a proefmelding window for `device` through the REST API (POST
// /api/v1/devices/{id}/test-window); true when awared answered 201.
bool open_test_window(const Awared& awared, const std::string& device, int minutes = 30);

// A `meldkamer --json` console, signed in (by $AWARED_TOKEN) as a centralist named by its
// --name argument (added on first use), else as the standard centralist — or with `token`
// when one is given (e.g. a session made over HTTPS).
class Console {
 public:
  Console(const TempDir& dir, std::uint16_t port, const std::vector<std::string>& extra_args = {},
          const std::optional<std::string>& token = std::nullopt);
  // Reads until the {"event":"synced"} line; returns the incidents of that snapshot.
  std::vector<nlohmann::json> wait_synced();
  // Reads until an incident line (snapshot or update) for `device` passes `accept(incident)`;
  // returns that incident, or nullopt at the deadline.
  std::optional<nlohmann::json> wait_incident(
      const std::string& device, const std::function<bool(const nlohmann::json&)>& accept =
                                     [](const nlohmann::json&) { return true; });
  // The next line of any kind, parsed; nullopt at the deadline.
  std::optional<nlohmann::json> next();

 private:
  std::unique_ptr<Process> process_;
};

}  // namespace aware::systest
