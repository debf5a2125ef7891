// main.cpp — the awared executable: command line, config, logging, then app::Daemon.
//
// Exit codes: 0 clean stop (or a valid --check-config), 1 start-up failure, 2 usage or
// configuration error, 74 (app::kStorageFaultExit) stopped after a storage I/O error.
#include <sys/resource.h>

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include "app/daemon.hpp"
#include "app/user_admin.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "net/signal_fd.hpp"

#ifdef AWARE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

namespace {

constexpr const char* kUsage =
    "usage: awared [--config FILE] [--seed-demo]\n"
    "       awared --check-config FILE\n"
    "       awared [--config FILE] --add-user NAME --role ROLE [--regions A,B]\n"
    "              [--organisation ORG] [--clients C1,C2]   (password on stdin)\n"
    "       awared --version | --help\n"
    "\n"
    "Receives X-Mark panic-button activations on the device port, stores each durably in\n"
    "SQLite before acknowledging it, matches it to AOP/AOL registrations and pushes it as a\n"
    "spoedmelding to the meldkamer consoles (WebSocket /ws/meldkamer; GET /healthz). The\n"
    "registrations are maintained through the REST API /api/v1 on the same port (awarectl).\n"
    "Every REST call but POST /api/v1/login and GET /healthz, and every WebSocket upgrade,\n"
    "needs the bearer token of a user's session; the user's role decides what is allowed, and\n"
    "every refusal is audited. GET /metrics (Prometheus text) is served to loopback peers, and\n"
    "to others with the [metrics] token.\n"
    "\n"
    "  --config FILE        read FILE (TOML) instead of the embedded defaults; SIGHUP re-reads it\n"
    "  --check-config FILE  validate FILE and exit: 0 valid, 2 invalid\n"
    "  --seed-demo          add demo regions, clients, devices, AOPs and AOLs to an empty database\n"
    "  --add-user NAME      add (or replace) a user in the configured database and exit (ends\n"
    "                       the user's sessions; audited). Meant for the first admin: manage\n"
    "                       the others with `awarectl users` or the web console, which also\n"
    "                       close their open consoles. ROLE is\n"
    "                       centralist (--regions), pac_operator, hulpverlener (--organisation,\n"
    "                       --clients) or admin; the password (12+ characters) is read from the\n"
    "                       first line of stdin and stored only as an argon2id hash\n"
    "  --version            print the version and exit\n"
    "\n"
    "Exit codes: 0 stopped cleanly, 1 start-up failure, 2 usage or configuration error,\n"
    "74 stopped after a storage I/O error (e.g. a failed fsync; never retried: restart it).\n";

// The allocator that serves malloc in this process, for --version: jemalloc when the build
// links it (cmake/allocator.cmake) and it has served this thread's allocations (the static
// initialisers of protobuf and spdlog allocate before main()).
std::string allocator_text() {
#ifdef AWARE_JEMALLOC
  std::uint64_t allocated = 0;
  std::size_t size = sizeof allocated;
  const char* version = nullptr;
  std::size_t version_size = sizeof version;
  if (::mallctl("thread.allocated", &allocated, &size, nullptr, 0) == 0 && allocated > 0 &&
      ::mallctl("version", static_cast<void*>(&version), &version_size, nullptr, 0) == 0) {
    return std::string{"jemalloc "} + version;
  }
#endif
  return "the build's default malloc";  // glibc's, or a sanitizer runtime's
}

// Raises the soft open-file limit to the hard one: every device connection is a file
// descriptor, and the soft default (often 1024) is far below [device] max_connections.
void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) {
    return;
  }
  const auto before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) {
    aware::core::log("ingest")->info("AWR-2021 open-file limit raised from {} to {}", before,
                                     limit.rlim_cur);
  }
}

int usage_error(const std::string& what) {
  std::fprintf(stderr, "awared: %s\n%s", what.c_str(), kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // A reader of stdout or stderr that went away must not end awared on its next log line (the
  // sockets write with MSG_NOSIGNAL already); the write fails with EPIPE instead.
  std::signal(SIGPIPE, SIG_IGN);
  aware::app::Options options;
  std::optional<std::string> check;
  aware::app::UserOptions user;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--version") {
      std::printf("awared %s (%s)\n", AWARE_VERSION, allocator_text().c_str());
      return 0;
    }
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--seed-demo") {
      options.seed_demo = true;
    } else if (arg == "--config" && has_value) {
      options.config_path = argv[++i];
    } else if (arg == "--check-config" && has_value) {
      check = argv[++i];
    } else if (arg == "--add-user" && has_value) {
      user.name = argv[++i];
    } else if (arg == "--role" && has_value) {
      user.role = argv[++i];
    } else if (arg == "--regions" && has_value) {
      user.regions = argv[++i];
    } else if (arg == "--organisation" && has_value) {
      user.organisation = argv[++i];
    } else if (arg == "--clients" && has_value) {
      user.clients = argv[++i];
    } else {
      return usage_error("unknown or incomplete argument '" + std::string(arg) + "'");
    }
  }
  if (check) {
    auto config = aware::core::load_config_file(*check);
    if (!config) {
      std::fprintf(stderr, "awared: %s\n", config.error().to_string().c_str());
      return 2;
    }
    try {
      (void)aware::app::dc09_account_table(config->dc09);  // the keys, with dc09::make_key()
      (void)aware::app::metrics_token(config->metrics);    // the [metrics] token file
      (void)aware::app::webhook_tls(config->notify);       // an https webhook's CA file
    } catch (const aware::app::StartupConfigError& e) {
      std::fprintf(stderr, "awared: %s: %s\n", check->c_str(), e.what());
      return 2;
    }
    std::printf("%s: ok\n", check->c_str());
    return 0;
  }
  aware::core::Config config;
  if (options.config_path) {
    auto loaded = aware::core::load_config_file(*options.config_path);
    if (!loaded) {
      std::fprintf(stderr, "awared: %s\n", loaded.error().to_string().c_str());
      return 2;
    }
    config = std::move(*loaded);
  }
  aware::core::init_logging(config.log.level);
  if (!user.name.empty() || !user.role.empty()) {
    return aware::app::add_user(config, user);
  }
  raise_open_file_limit();
  try {
    // SIGINT, SIGTERM and SIGHUP stay pending until the Daemon reads them from its signalfd;
    // blocked here, before any thread starts, so every thread inherits the mask.
    aware::netio::block_daemon_signals();
    aware::app::Daemon daemon{std::move(config), std::move(options)};
    return daemon.run();
  } catch (const aware::app::StartupConfigError& e) {
    std::fprintf(stderr, "awared: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    aware::core::log("app")->critical("AWR-1001 cannot start: {}", e.what());
    return 1;
  }
}
