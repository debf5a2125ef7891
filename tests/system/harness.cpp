// harness.cpp — processes, sockets and database peeks for the system tests (see harness.hpp).
#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>
#include <utility>
#include <stdexcept>

extern char** environ;

namespace aware::systest {
namespace {

using clock = std::chrono::steady_clock;

int remaining_ms(clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits until `fd` is readable or the deadline passes.
bool readable(int fd, clock::time_point deadline) {
  pollfd p{fd, POLLIN, 0};
  for (;;) {
    const int rc = ::poll(&p, 1, remaining_ms(deadline));
    if (rc > 0) {
      return true;
    }
    if (rc == 0 || errno != EINTR) {
      return false;
    }
  }
}

}  // namespace

Process::Process(const std::vector<std::string>& argv,
                 const std::map<std::string, std::string>& env,
                 const std::filesystem::path& stderr_file) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv = *e;
    const auto eq = kv.find('=');
    if (eq != std::string::npos) {
      merged[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  for (const auto& [k, v] : env) {
    merged[k] = v;
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : merged) {
    env_strings.push_back(k + "=" + v);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& a : args) {
    argp.push_back(a.data());
  }
  argp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const int rc = ::posix_spawn(&pid_, argp[0], &actions, nullptr, argp.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  out_fd_ = pipe_fds[0];
  if (rc != 0) {
    ::close(out_fd_);
    throw std::runtime_error("cannot start " + argv.at(0) + ": " + std::strerror(rc));
  }
}

Process::~Process() {
  // In a sanitizer build (./dev test --asan / --tsan) a child still running at the end of a test
  // gets SIGTERM and up to kWait to stop on its own, so its shutdown path and its exit-time
  // checks (LeakSanitizer) run too; a report fails the run through ./dev. Then, or at once
  // otherwise, SIGKILL.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGTERM);
    wait(kWait);
  }
#endif
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (out_fd_ >= 0) {
    ::close(out_fd_);
  }
}

std::optional<std::string> Process::read_line(std::chrono::milliseconds within) {
  const auto deadline = clock::now() + within;
  for (;;) {
    const auto nl = buffered_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      return line;
    }
    if (!readable(out_fd_, deadline)) {
      return std::nullopt;
    }
    char buf[4096];
    const ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n <= 0) {
      return std::nullopt;
    }
    buffered_.append(buf, static_cast<std::size_t>(n));
  }
}

std::optional<int> Process::wait(std::chrono::milliseconds within) {
  if (reaped_) {
    return std::nullopt;
  }
  // A pidfd would be neater; polling waitpid with WNOHANG at a short interval keeps this
  // portable. It only bounds how long we wait for an exit that is already under way.
  const auto deadline = clock::now() + within;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      return status;
    }
    if (clock::now() >= deadline) {
      return std::nullopt;
    }
    ::usleep(5000);
  }
}

void Process::signal(int signo) {
  if (!reaped_) {
    ::kill(pid_, signo);
  }
}

NotifySocket::NotifySocket(const std::filesystem::path& path) : path_{path.string()} {
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path_.size() >= sizeof addr.sun_path) {
    throw std::runtime_error("notify socket path too long: " + path_);
  }
  std::strcpy(addr.sun_path, path_.c_str());
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("cannot bind notify socket " + path_);
  }
}

NotifySocket::~NotifySocket() {
  ::close(fd_);
  ::unlink(path_.c_str());
}

std::optional<std::string> NotifySocket::receive(std::chrono::milliseconds within) {
  if (!readable(fd_, clock::now() + within)) {
    return std::nullopt;
  }
  char buf[4096];
  const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n < 0) {
    return std::nullopt;
  }
  return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<std::string> NotifySocket::receive_containing(const std::string& needle,
                                                            std::chrono::milliseconds within) {
  const auto deadline = clock::now() + within;
  while (auto msg = receive(std::chrono::milliseconds(remaining_ms(deadline)))) {
    if (msg->find(needle) != std::string::npos) {
      return msg;
    }
  }
  return std::nullopt;
}

RawConnection::RawConnection(std::uint16_t port, int receive_buffer) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (receive_buffer > 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    // And each send goes out at once: a full receive queue makes the kernel drop awared's
    // segments, ACKs included, and Nagle would then hold the next frame back for seconds.
    const int on = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
}

RawConnection::~RawConnection() { ::close(fd_); }

void RawConnection::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return;  // the peer closed; the test's next read will tell
    }
    sent += static_cast<std::size_t>(n);
  }
}

RawConnection::Sent RawConnection::send_within(const std::string& bytes,
                                               std::chrono::milliseconds within) {
  const auto deadline = clock::now() + within;
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) {
      return Sent::stalled;
    }
    const ssize_t n =
        ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      continue;
    }
    if (n <= 0) {
      return Sent::closed;  // EPIPE or ECONNRESET: the peer closed the connection
    }
    sent += static_cast<std::size_t>(n);
  }
  return Sent::all;
}

void RawConnection::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

bool RawConnection::fill(std::chrono::milliseconds within) {
  if (!readable(fd_, clock::now() + within)) {
    return false;
  }
  char buf[4096];
  const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    return false;
  }
  buffered_.append(buf, static_cast<std::size_t>(n));
  return true;
}

std::optional<std::string> RawConnection::read_frame(std::chrono::milliseconds within) {
  const auto deadline = clock::now() + within;
  for (;;) {
    std::uint64_t length = 0;
    std::size_t i = 0;
    bool complete = false;
    for (; i < buffered_.size() && i < 10; ++i) {
      const auto byte = static_cast<std::uint8_t>(buffered_[i]);
      length |= static_cast<std::uint64_t>(byte & 0x7fU) << (7 * i);
      if ((byte & 0x80U) == 0) {
        complete = true;
        break;
      }
    }
    if (complete && buffered_.size() >= i + 1 + length) {
      std::string frame = buffered_.substr(i + 1, length);
      buffered_.erase(0, i + 1 + length);
      return frame;
    }
    if (!fill(std::chrono::milliseconds(remaining_ms(deadline)))) {
      return std::nullopt;
    }
  }
}

std::string RawConnection::read_all(std::chrono::milliseconds within) {
  const auto deadline = clock::now() + within;
  while (fill(std::chrono::milliseconds(remaining_ms(deadline)))) {
  }
  return std::exchange(buffered_, {});
}

bool RawConnection::closed_by_peer(std::chrono::milliseconds within) {
  const auto deadline = clock::now() + within;
  for (;;) {
    if (!readable(fd_, deadline)) {
      return false;  // deadline passed with the connection still open
    }
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      return true;
    }
  }
}

bool RawConnection::hung_up_unread(std::chrono::milliseconds within) {
  const auto deadline = clock::now() + within;
  for (;;) {
    pollfd p{fd_, POLLRDHUP, 0};
    const int rc = ::poll(&p, 1, remaining_ms(deadline));
    if (rc > 0) {
      return true;  // only POLLRDHUP was asked for: any event is a FIN, a reset or an error
    }
    if (rc == 0 || (rc < 0 && errno != EINTR)) {
      return false;  // deadline passed with the connection still open
    }
  }
}

std::uint16_t RawConnection::local_port() const {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return 0;
  }
  return ntohs(addr.sin_port);
}

std::optional<double> metric_value(const std::string& text, const std::string& sample) {
  const std::string line_start = sample + " ";
  for (auto at = text.find(line_start); at != std::string::npos;
       at = text.find(line_start, at + 1)) {
    if (at == 0 || text[at - 1] == '\n') {
      return std::stod(text.substr(at + line_start.size()));
    }
  }
  return std::nullopt;
}

std::string http_raw(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body, const std::vector<std::string>& headers) {
  try {
    RawConnection c{port};
    std::string head = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
    for (const auto& h : headers) {
      head += h + "\r\n";
    }
    if (method != "GET" || !body.empty()) {
      head += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\n";
    }
    c.send(head + "\r\n" + body);
    return c.read_all();
  } catch (const std::exception&) {
    return "";
  }
}

std::string http_get(std::uint16_t port, const std::string& target) {
  return http_raw(port, "GET", target, "", auth_header(port, target));
}

std::string http_send(std::uint16_t port, const std::string& method, const std::string& target,
                      const std::string& body) {
  return http_raw(port, method, target, body, auth_header(port, target));
}

std::string query_one(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    throw std::runtime_error("cannot open " + db.string());
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    std::string msg = sqlite3_errmsg(h);
    sqlite3_close(h);
    throw std::runtime_error("bad query: " + msg);
  }
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

std::string awared_bin() { return AWARED_BIN; }
std::string xmark_sim_bin() { return XMARK_SIM_BIN; }
std::string meldkamer_bin() { return MELDKAMER_BIN; }
std::string awarectl_bin() { return AWARECTL_BIN; }

}  // namespace aware::systest
