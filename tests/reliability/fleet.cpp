// fleet.cpp — see fleet.hpp.
#include "fleet.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <stdexcept>

#include "device.pb.h"
#include "wire/frame_decoder.hpp"

namespace aware::reliability {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void append_framed(std::string& out, const v1::DeviceMessage& m) {
  wire::append_frame(out, m.SerializeAsString());
}

// Takes one complete frame off the front of `in`; false when none is complete yet.
bool take_frame(std::string& in, std::string& frame) {
  std::uint64_t length = 0;
  std::size_t i = 0;
  for (;; ++i) {
    if (i >= in.size() || i >= 10) {
      return false;
    }
    const auto byte = static_cast<std::uint8_t>(in[i]);
    length |= static_cast<std::uint64_t>(byte & 0x7fU) << (7 * i);
    if ((byte & 0x80U) == 0) {
      break;
    }
  }
  const auto total = i + 1 + length;
  if (in.size() < total) {
    return false;
  }
  frame.assign(in, i + 1, length);
  in.erase(0, total);
  return true;
}

}  // namespace

struct Fleet::Device {
  std::string id;
  int fd = -1;
  std::string out;                         // bytes not yet written
  std::string in;                          // bytes read, not yet a whole frame
  std::uint64_t next_seq = 1;
  std::set<std::uint64_t> unacked;         // pressed, not yet acked (retransmitted on reconnect)
  std::set<std::uint64_t> resend;          // BUSY-Nacked: to send again at the next tick
  Clock::time_point next_press;
  std::uint64_t tried_up = 0;              // the last up() for which it tried to connect
};

Fleet::Fleet(std::uint16_t port, FleetOptions options) : port_{port}, options_{options} {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::runtime_error("pipe2 failed");
  }
  devices_.resize(static_cast<std::size_t>(options_.devices));
  const auto interval = std::chrono::duration<double>(options_.devices / options_.rate_per_s);
  const auto start = Clock::now();
  for (std::size_t i = 0; i < devices_.size(); ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "XM-REL-%03zu", i + 1);
    devices_[i].id = id;
    // Spread the first presses over one interval, so the fleet presses at an even rate.
    devices_[i].next_press =
        start + std::chrono::duration_cast<Clock::duration>(
                    interval * (static_cast<double>(i) / static_cast<double>(devices_.size())));
    result_.acked[id];
  }
  thread_ = std::thread{[this] { run(); }};
}

Fleet::~Fleet() {
  {
    std::lock_guard lock{mutex_};
    stop_ = true;
  }
  const char b = 's';
  (void)!::write(wake_[1], &b, 1);
  thread_.join();
  for (auto& d : devices_) {
    disconnect(d);
  }
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void Fleet::up() {
  {
    std::lock_guard lock{mutex_};
    ++ups_;
  }
  const char b = 'u';
  (void)!::write(wake_[1], &b, 1);
}

void Fleet::drain() {
  std::lock_guard lock{mutex_};
  draining_ = true;
}

bool Fleet::wait_all_acked(std::chrono::milliseconds within) {
  std::unique_lock lock{mutex_};
  return changed_.wait_for(lock, within, [this] { return unacked_total_ == 0; });
}

bool Fleet::wait_acks(std::uint64_t acks, std::chrono::milliseconds within) {
  std::unique_lock lock{mutex_};
  return changed_.wait_for(lock, within, [&] { return result_.acks >= acks; });
}

FleetResult Fleet::result() {
  std::lock_guard lock{mutex_};
  return result_;
}

void Fleet::connect(Device& d) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // A loopback connect completes (or is refused) at once, so it may block.
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return;  // awared is already gone again: wait for the next up()
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  d.fd = fd;
  d.in.clear();
  d.out.clear();
  v1::DeviceMessage hello;
  hello.mutable_hello()->set_device_id(d.id);
  hello.mutable_hello()->set_firmware("crash-loop");
  hello.mutable_hello()->set_protocol_version(1);
  hello.mutable_hello()->set_boot_epoch(1);
  append_framed(d.out, hello);
  std::uint64_t again = 0;
  for (const auto seq : d.unacked) {  // oldest first, like a device's outbox
    send_activation(d, seq);
    ++again;
  }
  d.resend.clear();
  std::lock_guard lock{mutex_};
  result_.retransmitted += again;
}

void Fleet::disconnect(Device& d) {
  if (d.fd >= 0) {
    ::close(d.fd);
    d.fd = -1;
  }
  d.out.clear();
  d.in.clear();
}

void Fleet::send_activation(Device& d, std::uint64_t seq) {
  v1::DeviceMessage m;
  auto* a = m.mutable_activation();
  a->set_seq(seq);
  a->set_device_time_ms(wall_ms());
  a->set_trigger(v1::TRIGGER_ALARM);
  a->set_battery_pct(80);
  a->mutable_fix()->set_lat(52.0908 + 0.0001 * static_cast<double>(seq % 100));
  a->mutable_fix()->set_lon(5.1215);
  a->mutable_fix()->set_accuracy_m(10);
  a->mutable_fix()->set_fix_time_ms(wall_ms());
  a->mutable_fix()->set_source(v1::FIX_SOURCE_GPS);
  append_framed(d.out, m);
  std::lock_guard lock{mutex_};
  ++result_.sent;
}

void Fleet::flush(Device& d) {
  while (d.fd >= 0 && !d.out.empty()) {
    const auto n = ::send(d.fd, d.out.data(), d.out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      d.out.erase(0, static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      disconnect(d);  // awared closed it: try again at once, as on_readable() does
      d.tried_up = 0;
    }
  }
}

void Fleet::on_readable(Device& d) {
  char buf[16384];
  const auto n = ::recv(d.fd, buf, sizeof buf, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    return;
  }
  if (n <= 0) {
    // awared died (or closed the connection): what is unacked stays for the next connection,
    // tried at once (refused while awared is down; then at the next up()).
    disconnect(d);
    d.tried_up = 0;
    return;
  }
  d.in.append(buf, static_cast<std::size_t>(n));
  std::string frame;
  while (take_frame(d.in, frame)) {
    v1::ServerMessage reply;
    std::lock_guard lock{mutex_};
    if (!reply.ParseFromString(frame)) {
      result_.errors.push_back(d.id + ": a ServerMessage that does not parse");
      continue;
    }
    if (reply.has_ack()) {
      ++result_.acks;
      if (d.unacked.erase(reply.ack().seq()) == 1) {
        result_.acked[d.id].insert(reply.ack().seq());
        --unacked_total_;
      }
    } else if (reply.has_nack()) {
      if (reply.nack().reason() == v1::NACK_REASON_BUSY && d.unacked.count(reply.nack().seq())) {
        ++result_.busy;
        d.resend.insert(reply.nack().seq());
      } else {
        result_.errors.push_back(d.id + ": Nack of seq " + std::to_string(reply.nack().seq()) +
                                 ": " + reply.nack().text());
      }
    }  // commands (START_TRACKING, …) need no answer here
  }
  changed_.notify_all();
}

void Fleet::run() {
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options_.devices / options_.rate_per_s));
  std::vector<pollfd> fds;
  std::vector<Device*> owners;
  for (;;) {
    bool draining = false;
    std::uint64_t ups = 0;
    {
      std::lock_guard lock{mutex_};
      if (stop_) {
        return;
      }
      draining = draining_;
      ups = ups_;
    }
    // Each device without a connection tries one once per up(), and once as soon as it sees
    // its connection end.
    for (auto& d : devices_) {
      if (d.fd < 0 && d.tried_up < ups) {
        d.tried_up = ups;
        connect(d);
      }
    }
    // Presses that are due (also while disconnected: they wait in the device's outbox).
    const auto now = Clock::now();
    auto next_due = now + std::chrono::seconds(1);
    for (auto& d : devices_) {
      if (!draining && d.next_press <= now && d.unacked.size() < options_.window) {
        const auto seq = d.next_seq++;
        d.unacked.insert(seq);
        {
          std::lock_guard lock{mutex_};
          ++unacked_total_;
        }
        if (d.fd >= 0) {
          send_activation(d, seq);
        }
        d.next_press = std::max(d.next_press + interval, now);
      }
      if (d.fd >= 0 && !d.resend.empty()) {
        for (const auto seq : d.resend) {
          send_activation(d, seq);
        }
        std::lock_guard lock{mutex_};
        result_.retransmitted += d.resend.size();
        d.resend.clear();
      }
      flush(d);
      if (!draining) {
        next_due = std::min(next_due, std::max(d.next_press, now));
      }
    }
    fds.clear();
    owners.clear();
    fds.push_back({wake_[0], POLLIN, 0});
    owners.push_back(nullptr);
    for (auto& d : devices_) {
      if (d.fd >= 0) {
        fds.push_back({d.fd, static_cast<short>(POLLIN | (d.out.empty() ? 0 : POLLOUT)), 0});
        owners.push_back(&d);
      }
    }
    const auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(next_due - now).count();
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(wait_ms, 0))) < 0 &&
        errno != EINTR) {
      std::lock_guard lock{mutex_};
      result_.errors.push_back("poll failed");
      return;
    }
    if ((fds[0].revents & POLLIN) != 0) {
      char drain[64];
      while (::read(wake_[0], drain, sizeof drain) > 0) {
      }
    }
    for (std::size_t i = 1; i < fds.size(); ++i) {
      auto& d = *owners[i];
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0 && d.fd >= 0) {
        on_readable(d);
      }
      if ((fds[i].revents & POLLOUT) != 0) {
        flush(d);
      }
    }
  }
}

}  // namespace aware::reliability
