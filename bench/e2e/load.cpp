// load.cpp — see load.hpp.
#include "load.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "device.pb.h"
#include "wire/frame_decoder.hpp"

namespace aware::bench::e2e {
namespace {

constexpr int kPerSourceAddress = 20000;  // connections per 127.0.0.x source address
constexpr int kConnectBatch = 1000;       // connects in flight at once (listen backlog)

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string framed(const v1::DeviceMessage& m) {
  std::string out;
  wire::append_frame(out, m.SerializeAsString());
  return out;
}

// A non-blocking socket from 127.0.0.(2 + index / kPerSourceAddress), connecting to `port`.
int start_connect(int index, std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // The port is chosen at connect(), per (source, destination), not at bind().
  ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  src.sin_addr.s_addr = htonl(0x7f000002U + static_cast<std::uint32_t>(index / kPerSourceAddress));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&src), sizeof src) != 0) {
    ::close(fd);
    throw std::runtime_error(std::string("bind: ") + std::strerror(errno));
  }
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(port);
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&dst), sizeof dst) != 0 &&
      errno != EINPROGRESS) {
    ::close(fd);
    throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
  }
  return fd;
}

}  // namespace

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct DeviceLoad::Device {
  int fd = -1;
  std::string id;
  std::uint64_t next_seq = 1;
  std::size_t in_flight = 0;          // closed loop: sent, not yet acked
  std::vector<std::int64_t> ring;     // closed loop: send times by (seq - 1) % window
  std::string out;                    // bytes the socket has not taken yet
  bool want_write = false;
  wire::FrameDecoder in{1U << 16};
};

DeviceLoad::DeviceLoad(LoadOptions options)
    : options_{std::move(options)}, devices_(static_cast<std::size_t>(options_.devices)) {
  const auto slots = static_cast<std::size_t>(options_.devices) * options_.per_device;
  sent_ = std::make_unique<std::atomic<std::int64_t>[]>(slots);
  for (std::size_t i = 0; i < slots; ++i) {
    sent_[i].store(0, std::memory_order_relaxed);
  }
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
}

DeviceLoad::~DeviceLoad() {
  for (auto& d : devices_) {
    if (d.fd >= 0) {
      ::close(d.fd);
    }
  }
  ::close(epoll_);
}

int DeviceLoad::device_index(std::string_view device_id) const {
  if (device_id.substr(0, options_.id_prefix.size()) != options_.id_prefix) {
    return -1;
  }
  int n = 0;
  for (const char c : device_id.substr(options_.id_prefix.size())) {
    if (c < '0' || c > '9') {
      return -1;
    }
    n = n * 10 + (c - '0');
  }
  return n < options_.devices ? n : -1;
}

std::int64_t DeviceLoad::sent_ns(int device, std::uint64_t seq) const {
  if (device < 0 || seq == 0 || seq > options_.per_device) {
    return 0;
  }
  return sent_[static_cast<std::size_t>(device) * options_.per_device + seq - 1].load(
      std::memory_order_acquire);
}

void DeviceLoad::connect_all() {
  for (int first = 0; first < options_.devices; first += kConnectBatch) {
    const int last = std::min(options_.devices, first + kConnectBatch);
    const int waiting_ep = ::epoll_create1(EPOLL_CLOEXEC);
    for (int i = first; i < last; ++i) {
      auto& d = devices_[static_cast<std::size_t>(i)];
      char id[32];
      std::snprintf(id, sizeof id, "%05d", i);
      d.id = options_.id_prefix + id;
      d.fd = start_connect(i, options_.port);
      epoll_event ev{};
      ev.events = EPOLLOUT;
      ev.data.u32 = static_cast<std::uint32_t>(i);
      ::epoll_ctl(waiting_ep, EPOLL_CTL_ADD, d.fd, &ev);
    }
    int pending = last - first;
    epoll_event events[256];
    while (pending > 0) {
      const int n = ::epoll_wait(waiting_ep, events, 256, 30000);
      if (n <= 0) {
        ::close(waiting_ep);
        throw std::runtime_error("connections to awared did not complete within 30 s");
      }
      for (int e = 0; e < n; ++e) {
        auto& d = devices_[events[e].data.u32];
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(d.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
          ::close(waiting_ep);
          throw std::runtime_error("connect of " + d.id + ": " + std::strerror(err));
        }
        ::epoll_ctl(waiting_ep, EPOLL_CTL_DEL, d.fd, nullptr);
        v1::DeviceMessage hello;
        hello.mutable_hello()->set_device_id(d.id);
        hello.mutable_hello()->set_protocol_version(1);
        hello.mutable_hello()->set_boot_epoch(1);
        d.out = framed(hello);
        flush(d);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u32 = events[e].data.u32;
        ::epoll_ctl(epoll_, EPOLL_CTL_ADD, d.fd, &ev);
        --pending;
      }
    }
    ::close(waiting_ep);
  }
}

void DeviceLoad::flush(Device& d) {
  while (!d.out.empty()) {
    const auto n = ::send(d.fd, d.out.data(), d.out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        break;
      }
      return;  // the read side reports the closed connection
    }
    d.out.erase(0, static_cast<std::size_t>(n));
  }
  const bool want = !d.out.empty();
  if (want != d.want_write) {
    d.want_write = want;
    epoll_event ev{};
    ev.events = EPOLLIN | (want ? EPOLLOUT : 0U);
    ev.data.u32 = static_cast<std::uint32_t>(&d - devices_.data());
    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, d.fd, &ev);
  }
}

void DeviceLoad::send(Device& d, std::uint64_t seq, LoadResult& r) {
  v1::DeviceMessage m;
  auto* a = m.mutable_activation();
  a->set_seq(seq);
  a->set_device_time_ms(wall_ms());  // the send time, stamped in the payload
  a->set_trigger(v1::TRIGGER_ALARM);
  a->set_battery_pct(80);
  auto* fix = a->mutable_fix();
  fix->set_lat(52.0907);
  fix->set_lon(5.1214);
  fix->set_accuracy_m(15);
  fix->set_fix_time_ms(a->device_time_ms());
  fix->set_source(v1::FIX_SOURCE_GPS);
  wire::append_frame(d.out, m.SerializeAsString());
  const auto t = now_ns();
  const auto index = static_cast<std::size_t>(&d - devices_.data());
  if (saturating_) {
    d.ring[(seq - 1) % d.ring.size()] = t;
  } else if (seq <= options_.per_device) {
    sent_[index * options_.per_device + seq - 1].store(t, std::memory_order_release);
  }
  if (r.sent++ == 0) {
    r.first_send_s = static_cast<double>(t) / 1e9;
  }
  flush(d);
}

void DeviceLoad::read_replies(Device& d, LoadResult& r, std::size_t window) {
  char buf[4096];
  for (;;) {
    const auto n = ::recv(d.fd, buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      r.errors.push_back("awared closed the connection of " + d.id);
      ::epoll_ctl(epoll_, EPOLL_CTL_DEL, d.fd, nullptr);
      return;
    }
    if (n < 0) {
      break;
    }
    d.in.feed(std::string_view{buf, static_cast<std::size_t>(n)});
  }
  std::string payload;
  while (d.in.next(payload) == wire::FrameDecoder::Status::frame) {
    v1::ServerMessage reply;
    if (!reply.ParseFromString(payload)) {
      r.errors.push_back("an unreadable reply to " + d.id);
      continue;
    }
    if (reply.has_nack()) {
      ++r.nacked;
      if (r.errors.size() < 20) {
        r.errors.push_back("Nack to " + d.id + ": " + reply.nack().text());
      }
      continue;
    }
    if (!reply.has_ack()) {
      continue;  // commands (START_TRACKING) are not part of the measurement
    }
    const auto t = now_ns();
    const auto seq = reply.ack().seq();
    const auto index = static_cast<int>(&d - devices_.data());
    const auto sent = saturating_ ? d.ring[(seq - 1) % d.ring.size()] : sent_ns(index, seq);
    if (sent > 0) {
      r.ack_ns.push_back(t - sent);
    }
    ++r.acked;
    r.last_ack_s = static_cast<double>(t) / 1e9;
    if (saturating_ && d.in_flight > 0) {
      --d.in_flight;
      if (window > 0) {
        send(d, d.next_seq++, r);
        ++d.in_flight;
      }
    }
  }
}

void DeviceLoad::poll_once(std::chrono::nanoseconds timeout, LoadResult& r, std::size_t window) {
  epoll_event events[512];
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(timeout.count() / 1000000000);
  ts.tv_nsec = static_cast<long>(timeout.count() % 1000000000);
  const int n = ::epoll_pwait2(epoll_, events, 512, &ts, nullptr);
  for (int e = 0; e < n; ++e) {
    auto& d = devices_[events[e].data.u32];
    if ((events[e].events & EPOLLOUT) != 0U) {
      flush(d);
    }
    if ((events[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0U) {
      read_replies(d, r, window);
    }
  }
}

LoadResult DeviceLoad::run_open(double rate_per_s, std::chrono::milliseconds duration,
                                std::chrono::milliseconds drain) {
  saturating_ = false;
  LoadResult r;
  const auto total = static_cast<std::uint64_t>(rate_per_s * static_cast<double>(duration.count()) / 1000.0);
  const auto n = static_cast<std::uint64_t>(options_.devices);
  const auto t0 = now_ns();
  std::uint64_t k = 0;
  while (k < total) {
    const auto now = now_ns();
    const auto due = std::min<std::uint64_t>(
        total, static_cast<std::uint64_t>(static_cast<double>(now - t0) * rate_per_s / 1e9) + 1);
    for (; k < due; ++k) {
      const auto scheduled = t0 + static_cast<std::int64_t>(static_cast<double>(k) * 1e9 / rate_per_s);
      r.max_send_lag_ns = std::max(r.max_send_lag_ns, now_ns() - scheduled);
      send(devices_[k % n], k / n + 1, r);
    }
    const auto next_due = t0 + static_cast<std::int64_t>(static_cast<double>(k) * 1e9 / rate_per_s);
    poll_once(std::chrono::nanoseconds{std::max<std::int64_t>(0, next_due - now_ns())}, r, 0);
  }
  const auto drain_end = now_ns() + std::chrono::nanoseconds{drain}.count();
  while (r.acked + r.nacked < r.sent && now_ns() < drain_end) {
    poll_once(std::chrono::milliseconds{50}, r, 0);
  }
  return r;
}

LoadResult DeviceLoad::run_saturate(std::size_t window, std::chrono::milliseconds duration) {
  saturating_ = true;
  LoadResult r;
  for (auto& d : devices_) {
    d.ring.assign(window, 0);
    for (std::size_t i = 0; i < window; ++i) {
      send(d, d.next_seq++, r);
      ++d.in_flight;
    }
  }
  const auto start = now_ns();
  const auto end = start + std::chrono::nanoseconds{duration}.count();
  while (now_ns() < end) {
    poll_once(std::chrono::milliseconds{5}, r, window);
  }
  r.acked_in_window = r.acked;
  r.window_s = static_cast<double>(now_ns() - start) / 1e9;
  // Stop sending; take the Acks still coming so the connections end quiet.
  const auto drain_end = now_ns() + std::chrono::nanoseconds{std::chrono::seconds{30}}.count();
  auto in_flight = [&] {
    std::size_t sum = 0;
    for (const auto& d : devices_) {
      sum += d.in_flight;
    }
    return sum;
  };
  while (in_flight() > 0 && now_ns() < drain_end) {
    poll_once(std::chrono::milliseconds{50}, r, 0);
  }
  return r;
}

}  // namespace aware::bench::e2e
