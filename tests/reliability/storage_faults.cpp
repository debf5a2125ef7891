// storage_faults.cpp — awared under storage faults (issue 8, part 2; docs/reliability.md,
// "Storage faults"). A real awared on loopback, a real device connection and real consoles.
//
// - EIO on fsync: the test-only VFS shim (AWARED_TEST_FSYNC_FAULT, daemon/store/fault_vfs.hpp)
//   makes every fsync fail while a fault file exists. The device's activation is never acked;
//   awared stops with exit code 74 without retrying the fsync; the test then acts as systemd
//   (a restart, waiting for READY=1 on $NOTIFY_SOCKET: Awared::restart) without the fault; the
//   device's retransmission is acked and stored exactly once, the PAC operator finds the
//   opslag_storing alert, a meldkamer console has the incident, and integrity_check says ok.
// - Disk full: the database on a size-limited tmpfs (needs root to mount; otherwise the case
//   says why with a WARN and checks nothing), filled by a filler file. Activations get
//   Nack(BUSY), never an Ack, and a PAC console is shown the live opslag_storing alert; once
//   the filler is gone the retransmission is acked, stored once, reaches the meldkamer console,
//   and the stored opslag_storing alert replaces the live one.
// - A COMMIT that fails after its incident was shown: the consoles get an alarm before its
//   fsync, so when the COMMIT then fails (the VFS shim's disk-full fault,
//   AWARED_TEST_DISK_FULL, hits the WAL write of exactly that COMMIT) the console that was
//   shown it gets a fresh snapshot without it, the device is nacked, and the incident stored
//   for the retransmission has a new id: a console request for the withdrawn one can never
//   reach it.
// - A slow disk: the store thread waits in the fsync of one COMMIT (AWARED_TEST_SYNC_STALL)
//   while more than a batch of alarms queue behind it; the consoles are shown each at once (the
//   decider), and a centralist's accept of the last one shown — not yet inserted — must wait for
//   it and succeed, however many batches are queued before it.
#include <sys/mount.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
using json = nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kStorageFaultExit = 74;  // awared's exit code after a storage I/O error

std::string rows_of(const Awared& awared, const std::string& device, std::uint64_t seq) {
  return query_one(awared.db(), "SELECT count(*) FROM activations WHERE device_id='" + device +
                                    "' AND seq=" + std::to_string(seq));
}

// An alert update of kind opslag_storing in `state`; `stored`: with a store id (the live
// alert shown while the store cannot take it has none).
auto storage_alert(const std::string& state, bool stored) {
  return [state, stored](const json& f) {
    if (!f.contains("update") || !f["update"].contains("alert")) {
      return false;
    }
    const auto& a = f["update"]["alert"];
    return a.value("kind", "") == "opslag_storing" && a.value("state", "") == state &&
           (a.contains("id") && a["id"] != "0") == stored;
  };
}

// A meldkamer feed message that shows an incident of `device` (snapshot or update).
auto shows_device(const std::string& device) {
  return [device](const json& f) { return f.dump().find(device) != std::string::npos; };
}

// A meldkamer update of incident `id`.
auto shows_incident(std::int64_t id) {
  char label[16];
  std::snprintf(label, sizeof label, "M-%06lld", static_cast<long long>(id));
  return [wanted = std::string(label)](const json& f) {
    return f.contains("update") && f["update"]["incident"].value("id", "") == wanted;
  };
}

// A tmpfs of `size` mounted on `where` for the test's life; unmounted (lazily, so an open file
// cannot keep it) on every path out. mounted() is false when mount(2) refused.
class Tmpfs {
 public:
  Tmpfs(const std::filesystem::path& where, const std::string& size) : where_{where} {
    std::filesystem::create_directories(where_);
    const std::string opts = "size=" + size + ",mode=0700";
    if (::mount("tmpfs", where_.c_str(), "tmpfs", 0, opts.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~Tmpfs() {
    if (mounted_) {
      ::umount2(where_.c_str(), MNT_DETACH);
    }
  }
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;
  [[nodiscard]] bool mounted() const { return mounted_; }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  std::filesystem::path where_;
  bool mounted_ = false;
  std::string error_;
};

// Writes `path` until the file system has no block left (ENOSPC); returns the bytes written.
std::size_t fill(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  std::setvbuf(f, nullptr, _IONBF, 0);
  std::size_t written = 0;
  for (std::size_t chunk : {std::size_t{65536}, std::size_t{4096}, std::size_t{1}}) {
    const std::vector<char> block(chunk, 'x');
    while (std::fwrite(block.data(), 1, chunk, f) == chunk) {
      written += chunk;
    }
    std::clearerr(f);
  }
  std::fclose(f);
  return written;
}

}  // namespace

TEST_CASE("EIO on fsync: no ack, awared exits 74 without retrying, the restart acks the "
          "retransmission once and the PAC operator is told",
          "[reliability]") {
  TempDir dir{"awared-fsync-fault"};
  const auto fault = dir.path() / "fsync-fault";
  const std::map<std::string, std::string> env{{"AWARED_TEST_FSYNC_FAULT", fault.string()}};
  Awared awared{dir, AwaredOptions{.env = env, .seed_demo = false}};
  const std::string device_id = "XM-STORE-EIO";
  const auto port = awared.device_port();

  std::ofstream{fault} << "EIO\n";  // every fsync fails from now on
  {
    Device device{port, device_id};
    device.press(1);
    const auto reply = device.next();  // a Nack(BUSY), or nothing when awared closed first
    INFO("reply: " << reply.ShortDebugString());
    CHECK_FALSE(reply.has_ack());
    if (reply.has_nack()) {
      CHECK(reply.nack().reason() == aware::v1::NACK_REASON_BUSY);
    }
  }
  const auto status = awared.process().wait();
  INFO("see " << awared.log_file());
  REQUIRE(status.has_value());
  REQUIRE(WIFEXITED(*status));
  REQUIRE(WEXITSTATUS(*status) == kStorageFaultExit);
  const auto fault_ended = Clock::now();
  {
    std::ifstream log{awared.log_file()};
    const std::string text{std::istreambuf_iterator<char>(log), {}};
    CHECK(text.find("AWR-3016") != std::string::npos);
    CHECK(text.find("AWR-3017") == std::string::npos);  // the marker was written
  }
  REQUIRE(std::filesystem::exists(awared.db().string() + ".opslag-storing"));
  REQUIRE(query_one(awared.db(), "PRAGMA integrity_check") == "ok");

  // The fault is gone; the test is systemd: start awared again (READY=1).
  std::filesystem::remove(fault);
  awared.restart(env);
  CHECK_FALSE(std::filesystem::exists(awared.db().string() + ".opslag-storing"));
  // Either outcome is right; which one it was is worth printing.
  std::cout << "fsync fault: after WAL recovery the unacked activation is "
            << (rows_of(awared, device_id, 1) == "1" ? "stored (the retransmission is a duplicate)"
                                                     : "not stored (the retransmission stores it)")
            << std::endl;
  {
    Device device{port, device_id};
    device.press(1);  // the device retransmits what was not acked
    const auto reply = device.next();
    INFO("reply: " << reply.ShortDebugString());
    REQUIRE(reply.has_ack());
    CHECK(reply.ack().seq() == 1);
  }
  std::cout << "fsync fault: retransmission acked "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - fault_ended)
                   .count()
            << " ms after awared exited (restart without RestartSec)" << std::endl;
  CHECK(rows_of(awared, device_id, 1) == "1");
  CHECK(query_one(awared.db(), "SELECT count(*) FROM alerts WHERE kind='opslag_storing' AND "
                               "state=1") == "1");
  Centralist pac{awared.meldkamer_port(), "pac-1", "/ws/pac"};
  const auto snapshot = pac.next();
  REQUIRE(snapshot);
  CHECK(snapshot->dump().find("opslag_storing") != std::string::npos);
  Centralist police{awared.meldkamer_port(), "centralist-1"};
  CHECK(police.wait_for(shows_device(device_id)));
  CHECK(query_one(awared.db(), "PRAGMA integrity_check") == "ok");
}

TEST_CASE("disk full: activations are nacked BUSY and never acked, the PAC operator is told, "
          "and with room again the retransmission is acked once",
          "[reliability]") {
  TempDir dir{"awared-disk-full"};
  Tmpfs tmpfs{dir.path() / "var", "4m"};
  if (!tmpfs.mounted()) {
    WARN("SKIPPED: cannot mount a size-limited tmpfs (" << tmpfs.error()
                                                        << "); run the test as root");
    return;
  }
  Awared awared{dir, AwaredOptions{.seed_demo = false}};
  const std::string device_id = "XM-STORE-FULL";
  // The consoles sign in first: a sign-in is a write, and the disk is about to be full.
  Centralist pac{awared.meldkamer_port(), "pac-1", "/ws/pac"};
  REQUIRE(pac.next());  // the snapshot
  Centralist police{awared.meldkamer_port(), "centralist-1"};
  REQUIRE(police.next());
  Device device{awared.device_port(), device_id};

  const auto filler = dir.path() / "var" / "filler";
  const auto filled = fill(filler);
  std::cout << "disk full: filler of " << filled << " bytes" << std::endl;
  for (std::uint64_t attempt = 0; attempt < 3; ++attempt) {
    device.press(1);  // and its retransmissions after each BUSY
    const auto reply = device.next();
    INFO("attempt " << attempt << ", reply: " << reply.ShortDebugString());
    REQUIRE(reply.has_nack());
    CHECK(reply.nack().reason() == aware::v1::NACK_REASON_BUSY);
    CHECK(reply.nack().text().find("full") != std::string::npos);
  }
  REQUIRE(pac.wait_for(storage_alert("ALERT_STATE_OPEN", false)));

  std::filesystem::remove(filler);
  const auto room = Clock::now();
  device.press(1);
  const auto reply = device.next();
  INFO("reply: " << reply.ShortDebugString());
  REQUIRE(reply.has_ack());
  std::cout << "disk full: retransmission acked "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - room).count()
            << " ms after the filler was removed" << std::endl;
  CHECK(rows_of(awared, device_id, 1) == "1");
  // The stored incident (the first refused press was shown and withdrawn under another id).
  const auto id = std::stoll(query_one(
      awared.db(), "SELECT id FROM incidents WHERE device_id='" + device_id + "'"));
  CHECK(police.wait_for(shows_incident(id)));
  CHECK(pac.wait_for(storage_alert("ALERT_STATE_RESOLVED", false)));
  const auto stored = pac.wait_for(storage_alert("ALERT_STATE_OPEN", true));
  REQUIRE(stored);
  CHECK((*stored)["update"]["alert"]["detail"].get<std::string>().find("3 meldingen") !=
        std::string::npos);
  CHECK(query_one(awared.db(), "SELECT count(*) FROM alerts WHERE kind='opslag_storing'") ==
        "1");
  CHECK(query_one(awared.db(), "PRAGMA integrity_check") == "ok");
  awared.process().signal(SIGTERM);
  const auto status = awared.process().wait();
  REQUIRE(status.has_value());
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
}

TEST_CASE("a commit that fails after its incident was shown: the console is resynced without "
          "it and its id is never reused",
          "[reliability]") {
  TempDir dir{"awared-withdrawn"};
  const auto full = dir.path() / "disk-full";
  const std::map<std::string, std::string> env{{"AWARED_TEST_DISK_FULL", full.string()}};
  Awared awared{dir, AwaredOptions{.env = env, .seed_demo = false}};
  const std::string device_id = "XM-STORE-WITHDRAWN";
  Centralist police{awared.meldkamer_port(), "centralist-1"};
  REQUIRE(police.next());  // the (empty) snapshot
  Device device{awared.device_port(), device_id};

  std::ofstream{full} << "ENOSPC\n";  // every write of the store fails from now on
  device.press(1);
  const auto refused = device.next();
  INFO("reply: " << refused.ShortDebugString());
  REQUIRE(refused.has_nack());
  CHECK(refused.nack().reason() == aware::v1::NACK_REASON_BUSY);
  // Shown before the COMMIT ...
  const auto shown = police.wait_for([&](const json& f) {
    return f.contains("update") && f["update"]["incident"].value("deviceId", "") == device_id;
  });
  REQUIRE(shown);
  const std::string ghost = (*shown)["update"]["incident"]["id"];
  // ... and withdrawn after it failed: a snapshot without it.
  const auto resync = police.wait_for([](const json& f) { return f.contains("snapshot"); });
  REQUIRE(resync);
  CHECK(resync->dump().find(device_id) == std::string::npos);
  CHECK(query_one(awared.db(), "SELECT count(*) FROM incidents") == "0");

  std::filesystem::remove(full);
  device.press(1);  // the retransmission
  const auto acked = device.next();
  INFO("reply: " << acked.ShortDebugString());
  REQUIRE(acked.has_ack());
  const auto stored = police.wait_for([&](const json& f) {
    return f.contains("update") && f["update"]["incident"].value("deviceId", "") == device_id;
  });
  REQUIRE(stored);
  const std::string id = (*stored)["update"]["incident"]["id"];
  INFO("withdrawn " << ghost << ", stored " << id);
  CHECK(id > ghost);  // M-nnnnnn: same width, so text order is number order
  CHECK(rows_of(awared, device_id, 1) == "1");
  CHECK(query_one(awared.db(), "SELECT count(*) FROM incidents") == "1");
  {
    std::ifstream log{awared.log_file()};
    const std::string text{std::istreambuf_iterator<char>(log), {}};
    CHECK(text.find("AWR-4031") != std::string::npos);
  }
  CHECK(query_one(awared.db(), "PRAGMA integrity_check") == "ok");
}

TEST_CASE("a slow disk: a console's accept waits for every alarm queued before it, however many "
          "batches they fill",
          "[reliability]") {
  TempDir dir{"awared-slow-disk"};
  const auto stall = dir.path() / "sync-stall";
  const std::map<std::string, std::string> env{{"AWARED_TEST_SYNC_STALL", stall.string()}};
  Awared awared{dir, AwaredOptions{.env = env, .seed_demo = false}};
  Centralist police{awared.meldkamer_port(), "centralist-1"};
  REQUIRE(police.next());  // the (empty) snapshot

  // The first press's COMMIT waits in its fsync; the other 599 queue behind it: more than one
  // batch (CommitQueue::kMaxBatch, 512). (The disk catches up on every way out of the test.)
  struct CatchUp {
    std::filesystem::path file;
    ~CatchUp() {
      std::error_code ec;
      std::filesystem::remove(file, ec);
    }
  } const catch_up{stall};
  std::ofstream{stall} << "slow\n";
  constexpr int kDevices = 600;
  const auto name = [](int i) {
    char id[32];
    std::snprintf(id, sizeof id, "XM-SLOW-%03d", i);
    return std::string{id};
  };
  std::vector<std::unique_ptr<Device>> devices;
  for (int i = 0; i < kDevices; ++i) {
    devices.push_back(std::make_unique<Device>(awared.device_port(), name(i)));
    devices.back()->press(1);
  }
  // Centralist::wait_for() gives up after 100 frames; here every press is a frame or two.
  const auto read_until = [&](const std::function<bool(const json&)>& wanted) {
    for (int frames = 0; frames < 20 * kDevices; ++frames) {
      auto feed = police.next();
      if (!feed || wanted(*feed)) {
        return feed;
      }
    }
    return std::optional<json>{};
  };
  // Shown before the store's turn (an alarm is queued for its COMMIT as it is shown).
  const auto shown = read_until([&](const json& f) {
    return f.contains("update") &&
           f["update"]["incident"].value("deviceId", "") == name(kDevices - 1);
  });
  REQUIRE(shown);
  const std::string id = (*shown)["update"]["incident"]["id"];
  CHECK(query_one(awared.db(), "SELECT count(*) FROM incidents") == "0");  // nothing committed
  police.send(json{{"accept", {{"incidentId", id}, {"centralist", "centralist-1"}}}});
  // The accept is in the store thread's queue (awared_store_jobs counts it and the 600) before
  // the disk catches up, so it is ahead of the drain job for the presses after the first 513.
  const auto in_queue = [&] {
    const auto text = http_raw(awared.meldkamer_port(), "GET", "/metrics", "");
    return metric_value(text, "awared_store_jobs").value_or(0) >= kDevices + 1;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!in_queue() && std::chrono::steady_clock::now() < deadline) {
  }
  REQUIRE(in_queue());
  std::filesystem::remove(stall);  // the disk catches up

  const auto answer = read_until([&](const json& f) {
    return f.contains("error") ||
           (f.contains("update") && f["update"]["incident"].value("id", "") == id &&
            f["update"]["incident"]["state"] == "INCIDENT_STATE_ACCEPTED");
  });
  REQUIRE(answer);
  INFO("answer: " << answer->dump());
  CHECK_FALSE(answer->contains("error"));
  for (auto& d : devices) {
    REQUIRE(d->next().has_ack());
  }
  CHECK(query_one(awared.db(), "SELECT count(*) FROM incidents") == std::to_string(kDevices));
  CHECK(query_one(awared.db(), "SELECT accepted_by FROM incidents WHERE device_id='" +
                                   name(kDevices - 1) + "'") == "centralist-1");
  CHECK(query_one(awared.db(), "PRAGMA integrity_check") == "ok");
}
