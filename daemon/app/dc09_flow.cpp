// dc09_flow.cpp — the Daemon members on the DC-09 side (issue 9): a message the receiver
// delivers (net/dc09_server.hpp) goes into the same pipeline as the native device link.
//
//   activation (panic, duress, …)  → an Activation of the linked device: position from [X]/[Y],
//                                    audio channel from [V]; matched, durably stored, and only
//                                    then acked; shown on the consoles before the commit's
//                                    fsync, the rest dispatched after the ACK (Daemon::acked). An
//                                    unlinked account's alarm is an activation of the unknown
//                                    device "DC09-<account>": still a spoedmelding, flagged.
//   manual test (SIA RX, CID 601)  → a TEST activation: the proefmelding path.
//   periodic test (RP, 602), NULL,
//   unknown readable codes         → the linked device is heard (supervision).
//   battery trouble / restore      → heard with a battery level below the low threshold / full,
//                                    so the same batterij_laag alert as the native link opens
//                                    and resolves.
//   communication fail / restore   → heard, and the technical alert communicatie_storing opens /
//   (SIA YC / YK, CID 350)           resolves for the PAC operator (AWR-8040), in the same
//                                    transaction; an unlinked account's against the unknown
//                                    device "DC09-<account>" (AWR-8041).
// The account → device link is read from the store (dc09_accounts, migration 011) per message.
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <random>

#include "app/daemon.hpp"
#include "app/store_call.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "store/repository.hpp"

namespace aware::app {
namespace {

// DC-09 activations carry this boot epoch; their sequence is the receive time in ms times 10000
// plus the DC-09 sequence, so it grows across the 9999 → 0001 wrap and never repeats a stored
// key (retransmissions are caught by the receiver's window before they get here).
constexpr std::uint32_t kDc09Epoch = 0xDC09;

// [V]: a SIP or stream URI, else a phone number to call back (listen in).
core::AudioChannel audio_of(const std::string& ref) {
  core::AudioChannel out;
  out.address = ref;
  const auto lower = [&] {
    std::string l = ref.substr(0, 8);
    for (auto& c : l) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return l;
  }();
  if (lower.rfind("sip:", 0) == 0 || lower.rfind("sips:", 0) == 0) {
    out.kind = core::AudioKind::sip;
  } else if (lower.rfind("rtsp:", 0) == 0 || lower.rfind("http", 0) == 0) {
    out.kind = core::AudioKind::stream;
  } else {
    out.kind = core::AudioKind::phone;
  }
  return out;
}

bool any_event(const dc09::Interpretation& m, std::initializer_list<std::string_view> codes,
               std::optional<bool> restore = std::nullopt) {
  return std::any_of(m.events.begin(), m.events.end(), [&](const dc09::Event& e) {
    return std::find(codes.begin(), codes.end(), e.code) != codes.end() &&
           (!restore || e.restore == *restore);
  });
}

}  // namespace

dc09::RandomBytes dc09_random_bytes() {
  return [](std::span<std::uint8_t> out) {
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
      // OpenSSL's generator failed (it should not): the pad only needs to vary, so fall back
      // to the system's random device rather than stall an ACK.
      std::random_device rd;
      for (auto& b : out) {
        b = static_cast<std::uint8_t>(rd());
      }
    }
  };
}

dc09::AccountTable dc09_account_table(const core::Dc09Config& config) {
  auto table = dc09::AccountTable::build(config.accounts);
  if (!table) {
    throw StartupConfigError(table.error());
  }
  return std::move(*table);
}

std::string Daemon::dc09_status() const {
  if (!config_.dc09.enabled) {
    return "";
  }
  std::string out = ", dc09";
  if (auto ep = dc09_.tcp_endpoint()) {
    out += " tcp on " + ep->address().to_string() + ":" + std::to_string(ep->port());
  }
  if (auto ep = dc09_.udp_endpoint()) {
    out += std::string(out.size() > 6 ? "," : "") + " udp on " + ep->address().to_string() + ":" +
           std::to_string(ep->port());
  }
  return out;
}

netio::awaitable<netio::Dc09Commit> Daemon::commit_dc09(const dc09::Received& received,
                                                        std::string peer) {
  netio::Dc09Commit out;
  const auto& frame = *received.frame;
  const auto& m = received.meaning;
  metrics_.dc09_message(static_cast<std::size_t>(m.category));
  const std::string account = dc09::normalize_account(frame.account);
  auto lookup = [account](store::Repository& r) { return r.dc09_device(account); };
  auto linked = co_await on_store(std::move(lookup));
  if (!linked) {
    out.error = "cannot read the account link: " + linked.error().message;
    co_return out;
  }
  const std::optional<std::string> device = *linked;
  auto log = core::log("dc09");
  const bool manual_test = any_event(m, {"RX", "601"});
  if (m.category == dc09::Category::activation ||
      (m.category == dc09::Category::test && manual_test)) {
    const bool alarm = m.category == dc09::Category::activation;
    if (received.decision.reason == dc09::Reason::alarm_partly_read) {
      log->warn("AWR-8026 DC-09 alarm from account {} partly unreadable ({}); raised with its raw "
                "text", account, received.error ? dc09::to_string(*received.error) : "-");
    }
    if (!device) {
      log->warn("AWR-8021 DC-09 {} from unlinked account {} ({}): raised for unknown device "
                "DC09-{}, flagged", alarm ? "alarm" : "manual test", account, peer, account);
    }
    // Named, not a temporary inside co_await (GCC 12 mis-destroys those).
    std::string target = device.value_or("DC09-" + account);
    const auto trigger = alarm ? core::Trigger::alarm : core::Trigger::test;
    auto stored = co_await dc09_activation(received, std::move(target), trigger);
    co_return stored;
  }
  // Everything else keeps the linked device's supervision alive.
  std::optional<std::uint32_t> battery;
  const auto& sup = config_.supervision;
  if (any_event(m, {"YT", "302", "309"}, false)) {
    battery = std::max(sup.battery_critical_pct, sup.battery_low_pct > 0 ? sup.battery_low_pct - 1 : 0);
  } else if (any_event(m, {"YR"}) || any_event(m, {"302", "309"}, true)) {
    battery = 100;
  }
  if (m.category == dc09::Category::technical) {
    log->info("AWR-8023 DC-09 technical report from account {} (device {}): {}", account,
              device.value_or("none"),
              m.events.empty() ? std::string("-") : m.events.front().code);
  } else if (m.category == dc09::Category::test) {
    log->info("AWR-8022 DC-09 periodic test from account {} (device {})", account,
              device.value_or("none"));
  } else if (m.category == dc09::Category::unknown) {
    log->info("AWR-8024 DC-09 message with no known event from account {} (device {}) acked",
              account, device.value_or("none"));
  }
  // A communication fail opens communicatie_storing, its restore resolves it; for an unlinked
  // account against the unknown device DC09-<account>, as its alarms are.
  const auto comm = dc09::comm_failure(m);
  if (comm && device) {
    log->warn("AWR-8040 DC-09 communication {} from account {}: communicatie_storing of device "
              "{} {}", *comm ? "fail" : "restore", account, *device,
              *comm ? "opened" : "resolved");
  } else if (comm) {
    log->warn("AWR-8041 DC-09 communication {} from unlinked account {} ({}): "
              "communicatie_storing of unknown device DC09-{} {}", *comm ? "fail" : "restore",
              account, peer, account, *comm ? "opened" : "resolved");
  } else if (!device) {
    if (m.category != dc09::Category::heartbeat) {
      log->warn("AWR-8025 DC-09 {} from unlinked account {} ({}): acked, no device to supervise",
                dc09::to_string(m.category), account, peer);
    }
    out.ok = true;
    co_return out;
  }
  const std::string target = device.value_or("DC09-" + account);
  auto heard = [target, battery, comm](store::Repository& r) {
    return r.record_heard(target, battery, core::now_ms(), comm);
  };
  auto recorded = co_await on_store(std::move(heard));
  if (!recorded) {
    out.error = "not stored: " + recorded.error().message;
    storage_failed(recorded.error(), "storing a DC-09 message");
    co_return out;
  }
  apply_health(target, *recorded);
  out.ok = true;
  co_return out;
}

netio::awaitable<netio::Dc09Commit> Daemon::dc09_activation(const dc09::Received& received,
                                                            std::string device,
                                                            core::Trigger trigger) {
  const auto& m = received.meaning;
  const auto now = core::now_ms();
  core::Activation a;
  a.key = {std::move(device), kDc09Epoch,
           static_cast<std::uint64_t>(now) * 10000U +
               static_cast<std::uint64_t>(received.frame->sequence)};
  a.received_ms = now;
  a.device_time_ms = now;
  if (received.content && received.content->timestamp) {
    a.device_time_ms = *received.content->timestamp;
  } else if (m.event_time) {
    a.device_time_ms = *m.event_time;
  }
  a.trigger = trigger;
  if (m.location.valid()) {
    a.fix = core::GeoFix{*m.location.lat, *m.location.lon, 0.0F,
                         m.event_time.value_or(a.device_time_ms), core::FixSource::gps, now};
  } else if (!m.location.raw_x.empty() || !m.location.raw_y.empty()) {
    a.fix_invalid = true;
  }
  if (m.audio_ref && !m.audio_ref->empty()) {
    a.audio = audio_of(*m.audio_ref);
  }
  const std::string key_device = a.key.device_id;
  netio::Dc09Commit out;
  auto stored = co_await store(std::move(a));
  out.ok = stored.stored;
  out.error = stored.error;
  if (stored.stored) {
    core::log("dc09")->info("AWR-8020 DC-09 {} from account {} stored for device {}",
                            trigger == core::Trigger::test ? "manual test" : "alarm",
                            received.frame->account, key_device);
    out.activation = std::move(stored);
  }
  co_return out;
}

void Daemon::dc09_acked(const netio::Dc09Commit& commit) {
  if (commit.activation) {
    acked(*commit.activation);
  }
}

}  // namespace aware::app
