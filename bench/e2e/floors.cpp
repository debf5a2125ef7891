// floors.cpp — see floors.hpp.
#include "floors.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "load.hpp"

namespace aware::bench::e2e {
namespace {

void must(bool ok, const char* what) {
  if (!ok) {
    throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
  }
}

bool read_exactly(int fd, char* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const auto r = ::recv(fd, buf + got, n - got, 0);
    if (r <= 0) {
      return false;
    }
    got += static_cast<std::size_t>(r);
  }
  return true;
}

}  // namespace

std::vector<std::int64_t> tcp_round_trips(int count) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  must(listener >= 0, "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  must(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0, "bind");
  must(::listen(listener, 1) == 0, "listen");
  must(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0, "getsockname");
  std::thread echo{[listener] {
    const int fd = ::accept(listener, nullptr, nullptr);
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char buf[64];
    while (read_exactly(fd, buf, sizeof buf)) {
      ::send(fd, buf, sizeof buf, MSG_NOSIGNAL);
    }
    ::close(fd);
  }};
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  must(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0, "connect");
  std::vector<std::int64_t> samples;
  samples.reserve(static_cast<std::size_t>(count));
  char buf[64] = {};
  for (int i = 0; i < count; ++i) {
    const auto t0 = now_ns();
    ::send(fd, buf, sizeof buf, MSG_NOSIGNAL);
    if (!read_exactly(fd, buf, sizeof buf)) {
      break;
    }
    samples.push_back(now_ns() - t0);
  }
  ::close(fd);
  echo.join();
  ::close(listener);
  return samples;
}

std::vector<std::int64_t> fdatasyncs(const std::filesystem::path& dir, int count) {
  constexpr std::size_t kBlock = 4096;
  constexpr std::size_t kSpan = 8U << 20;
  const auto path = dir / "fdatasync-floor.tmp";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  must(fd >= 0, "open");
  std::string block(kBlock, 'w');
  for (std::size_t off = 0; off < kSpan; off += kBlock) {  // allocate the span first
    must(::pwrite(fd, block.data(), kBlock, static_cast<off_t>(off)) == kBlock, "pwrite");
  }
  must(::fsync(fd) == 0, "fsync");
  std::vector<std::int64_t> samples;
  samples.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const auto off = (static_cast<std::size_t>(i) * kBlock) % kSpan;
    must(::pwrite(fd, block.data(), kBlock, static_cast<off_t>(off)) == kBlock, "pwrite");
    const auto t0 = now_ns();
    must(::fdatasync(fd) == 0, "fdatasync");
    samples.push_back(now_ns() - t0);
  }
  ::close(fd);
  std::filesystem::remove(path);
  return samples;
}

}  // namespace aware::bench::e2e
