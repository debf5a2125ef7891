// harness.hpp — what the system tests need to run the real binaries on loopback: child
// processes with captured output, a $NOTIFY_SOCKET to learn when awared is ready (and on which
// ports), a raw device connection for malformed input, and read-only looks into the database.
//
// Every wait has a deadline (kWait) and returns "nothing" when it passes, so a broken daemon
// fails a test instead of hanging it. Nothing here sleeps to synchronise: each wait ends on the
// event it waits for (a line, a datagram, a process exit, a closed socket).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace aware::systest {

inline constexpr std::chrono::seconds kWait{20};  // upper bound for any expected event

using aware::testing::TempDir;

// A child process with stdout captured line by line (stderr goes to a file for diagnosis).
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
          const std::filesystem::path& stderr_file);
  ~Process();  // SIGKILLs and reaps a child that is still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // The next line of stdout, or nullopt on EOF or when `within` passes.
  std::optional<std::string> read_line(std::chrono::milliseconds within = kWait);
  // Waits for exit; returns the raw wait status, or nullopt when `within` passes.
  std::optional<int> wait(std::chrono::milliseconds within = kWait);
  void signal(int signo);
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffered_;
  bool reaped_ = false;
};

// A datagram socket standing in for systemd's $NOTIFY_SOCKET.
class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path);
  ~NotifySocket();
  [[nodiscard]] const std::string& path() const { return path_; }
  // The next datagram, or nullopt when `within` passes.
  std::optional<std::string> receive(std::chrono::milliseconds within = kWait);
  // Receives until a datagram contains `needle`; returns it, or nullopt at the deadline.
  std::optional<std::string> receive_containing(const std::string& needle,
                                                std::chrono::milliseconds within = kWait);

 private:
  int fd_ = -1;
  std::string path_;
};

// A raw TCP connection to a loopback port.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  void send(const std::string& bytes);
  void shutdown_write();
  // Reads one varint-delimited frame; nullopt on EOF, error or deadline.
  std::optional<std::string> read_frame(std::chrono::milliseconds within = kWait);
  // Everything until the peer closes (or the deadline passes).
  std::string read_all(std::chrono::milliseconds within = kWait);
  // True when the peer closes the connection (EOF or reset) before the deadline.
  bool closed_by_peer(std::chrono::milliseconds within = kWait);

 private:
  bool fill(std::chrono::milliseconds within);  // reads more into buffered_; false on EOF/deadline
  int fd_ = -1;
  std::string buffered_;
};

// A one-shot HTTP GET on loopback; returns the raw response or "" on failure.
std::string http_get(std::uint16_t port, const std::string& target);
// A one-shot HTTP request with a JSON body; returns the raw response or "" on failure.
std::string http_send(std::uint16_t port, const std::string& method, const std::string& target,
                      const std::string& body);

// Runs a SQL query read-only on the database and returns the first column of the first row as
// text ("" for none). Opens and closes the database each time.
std::string query_one(const std::filesystem::path& db, const std::string& sql);

// Paths of the binaries under test (compiled in by CMake).
std::string awared_bin();
std::string xmark_sim_bin();
std::string meldkamer_bin();
std::string awarectl_bin();

}  // namespace aware::systest
