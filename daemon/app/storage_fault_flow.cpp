// storage_fault_flow.cpp — the Daemon members that handle a failed commit (docs/reliability.md,
// "Storage faults"). Called on the network thread by the flows whose write failed (device
// activations and positions, heartbeats, DC-09 messages), after the device got its Nack(BUSY).
//
// - Disk full (SQLITE_FULL): SQLite rolled the transaction back and the store stays usable.
//   awared keeps running, refuses (Nacks) every write that does not fit, and shows the PAC
//   operators a live opslag_storing alert (not stored: there is no room). The first commit
//   that succeeds again ends the episode: the live alert goes, a stored opslag_storing alert
//   (dated at the start of the episode, with the number of refused writes) takes its place.
// - I/O error (SQLITE_IOERR_*, e.g. a failed fsync): never retried — after a failed fsync the
//   kernel may have dropped the written pages, so a later fsync that succeeds proves nothing.
//   The connection already refuses every further write (Db::io_failed); awared shows the live
//   alert, writes a marker next to the database (best effort) and stops with exit code
//   kStorageFaultExit, for systemd to restart it. At the next start the marker becomes a stored
//   opslag_storing alert (raise_marked_storage_alert), after SQLite's WAL recovery has decided
//   what of the last transactions is durable.
//
// THREAD SAFETY: storage_failed and storage_recovered run on the network thread;
// raise_marked_storage_alert runs in run() before the threads start.
#include "app/daemon.hpp"
#include "app/store_call.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "core/clock.hpp"
#include "core/log.hpp"

namespace aware::app {
namespace {

// The marker file of a run that ended on a storage I/O error: "<opened_ms> <detail>".
std::filesystem::path marker_path(const std::filesystem::path& db) {
  auto p = db;
  p += ".opslag-storing";
  return p;
}

// Writes the marker; false (and errno) when any step failed.
bool write_marker(const std::filesystem::path& path, core::TimeMs at, const std::string& detail) {
  const std::string line = std::to_string(at) + " " + detail + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return false;
  }
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

// The live (not stored) alert, id 0: shown while the store cannot take it.
core::Alert live_alert(std::string detail, core::TimeMs since) {
  return core::storage_fault_alert(std::move(detail), since);
}

}  // namespace

void Daemon::storage_failed(const store::StoreError& error, std::string_view what) {
  auto log = core::log("store");
  const auto now = core::now_ms();
  if (error.io_error()) {
    if (storage_exit_) {
      return;  // already stopping for it
    }
    storage_exit_ = true;
    log->critical("AWR-3016 storage I/O error while {}: {}; not retried (after a failed fsync "
                  "the written pages may be lost) — awared stops with exit code {} to be "
                  "restarted, and SQLite's recovery decides what is durable",
                  what, error.message, kStorageFaultExit);
    const std::string detail = "I/O-fout van de opslag (" + error.message +
                               "); awared is herstart, apparaten herhalen hun meldingen";
    alerts_.publish(live_alert(detail, now));
    const auto marker = marker_path(config_.store.path);
    if (!write_marker(marker, now, detail)) {
      log->error("AWR-3017 cannot write the storage-fault marker {}: {}; the opslag_storing "
                 "alert is not raised after the restart (see AWR-3016 in the log)",
                 marker.string(), std::strerror(errno));
    }
    exit_code_ = kStorageFaultExit;
    shutdown();
    return;
  }
  if (!error.disk_full()) {
    return;  // a constraint or another local refusal: the flow reported it
  }
  if (!storage_full_) {
    storage_full_ = StorageFull{now, 0};
    show_before_commit_ = false;  // the consoles see an alarm once it is stored
    log->critical("AWR-3014 disk full while {}: writes are refused (devices get Nack BUSY and "
                  "retransmit) until there is room again", what);
    alerts_.publish(live_alert("opslag vol: meldingen worden geweigerd en door de apparaten "
                               "herhaald tot er weer ruimte is", now));
  }
  ++storage_full_->refused;
}

netio::awaitable<void> Daemon::storage_recovered() {
  if (!storage_full_ || storage_recovering_) {
    co_return;
  }
  storage_recovering_ = true;
  const auto episode = *storage_full_;
  const auto now = core::now_ms();
  core::log("store")->warn("AWR-3015 disk has room again: writes succeed after {} refused in "
                           "{} s", episode.refused, (now - episode.since_ms) / 1000);
  const std::string detail = "opslag was vol gedurende " +
                             std::to_string((now - episode.since_ms + 999) / 1000) + " s; " +
                             std::to_string(episode.refused) +
                             " meldingen geweigerd en door de apparaten herhaald";
  auto job = [detail, since = episode.since_ms](store::Repository& r) {
    return r.raise_storage_alert(detail, since);
  };
  auto raised = co_await on_store(std::move(job));
  storage_recovering_ = false;
  if (!raised) {
    storage_failed(raised.error(), "storing the opslag_storing alert");
    co_return;
  }
  storage_full_.reset();
  show_before_commit_ = true;
  auto gone = live_alert("", episode.since_ms);
  gone.state = core::AlertState::resolved;
  gone.resolved_ms = now;
  gone.resolved_by = "awared";
  alerts_.publish(gone);
  if (*raised) {
    publish_effects({**raised}, std::nullopt);
  }
}

void Daemon::raise_marked_storage_alert() {
  const auto marker = marker_path(config_.store.path);
  std::ifstream in{marker};
  if (!in) {
    return;
  }
  core::TimeMs at = core::now_ms();
  std::string detail;
  in >> at;
  std::getline(in >> std::ws, detail);
  if (detail.empty()) {
    detail = "I/O-fout van de opslag; awared is herstart";
  }
  auto raised = repo_->raise_storage_alert(detail, at);
  if (!raised) {
    throw std::runtime_error("cannot store the opslag_storing alert of the previous run: " +
                             raised.error().message);
  }
  std::error_code ec;
  std::filesystem::remove(marker, ec);
  core::log("store")->warn("AWR-3018 the previous run stopped on a storage I/O error ({}); "
                           "opslag_storing alert {} for the PAC operator", detail,
                           *raised ? "raised" : "already open");
}

}  // namespace aware::app
