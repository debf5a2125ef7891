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
  ~Process();  // SIGKILLs and reaps a child that is still running (SIGTERM first under a sanitizer)
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
  // `receive_buffer` > 0: SO_RCVBUF before connecting (a small window the test can fill), and
  // TCP_NODELAY.
  explicit RawConnection(std::uint16_t port, int receive_buffer = 0);
  ~RawConnection();
  void send(const std::string& bytes);
  // How send_within() ended: all bytes sent, the peer closed (or reset) the connection, or the
  // deadline passed with the socket's send buffer still full (the peer reads nothing).
  enum class Sent { all, closed, stalled };
  Sent send_within(const std::string& bytes, std::chrono::milliseconds within = kWait);
  void shutdown_write();
  // Reads one varint-delimited frame; nullopt on EOF, error or deadline.
  std::optional<std::string> read_frame(std::chrono::milliseconds within = kWait);
  // Everything until the peer closes (or the deadline passes).
  std::string read_all(std::chrono::milliseconds within = kWait);
  // True when the peer closes the connection (EOF or reset) before the deadline.
  bool closed_by_peer(std::chrono::milliseconds within = kWait);
  // The same, seen without reading anything (poll: the peer's FIN or reset), for a test whose
  // point is that nothing is read.
  bool hung_up_unread(std::chrono::milliseconds within = kWait);
  // The local (client) port of the connection, e.g. to name its flow in a firewall rule.
  [[nodiscard]] std::uint16_t local_port() const;

 private:
  bool fill(std::chrono::milliseconds within);  // reads more into buffered_; false on EOF/deadline
  int fd_ = -1;
  std::string buffered_;
};

// --- Sessions (issue 6) ---
// awared answers every request but POST /api/v1/login and GET /healthz only with a bearer token
// of a live session. The Awared fixture (fixtures.hpp) creates one user per role before it
// starts awared (`awared --add-user`, password on stdin) and registers itself here; from then
// on the helpers below sign in by themselves as the user a request needs (default_user()),
// so a test only names a user when the user is the point of the test.
struct TestUser {
  std::string name;
  std::string role;          // centralist, pac_operator, hulpverlener, admin
  std::string regions;       // centralist: "a,b"
  std::string organisation;  // hulpverlener
  std::string clients;       // hulpverlener: "C-001,C-002"
};
// The regions of the test centralists (the demo regions and the fallback desk).
inline constexpr const char* kTestRegions = "midden-nederland,amsterdam,rotterdam,landelijk";
// The password every test user gets.
inline constexpr const char* kTestPassword = "systeemtest-wachtwoord";
// The standard users: "admin", "pac" (pac_operator), "centralist" (kTestRegions) and
// "hulpverlener" (Veilig Thuis Utrecht; the demo clients C-001..C-003).
std::vector<TestUser> standard_users();
// A user named `name` with the role a target needs and the standard user's scope.
TestUser user_for_target(const std::string& name, const std::string& target);
// The standard user for a request: admin for /api/v1/audit and /api/v1/users, the centralist
// for /ws/meldkamer, the PAC operator for /ws/pac and the rest of /api/v1, the hulpverlener for
// /ws/hulpverlener.
TestUser default_user(const std::string& target);

// Makes awared on `port` known for sign-ins: its config (for --add-user) and a folder for logs.
void register_awared(std::uint16_t port, const std::filesystem::path& config,
                     const std::filesystem::path& dir);
// Whether an awared on `port` was registered (tests also aim clients at closed ports).
bool awared_known(std::uint16_t port);
// Runs `awared --config CONFIG --add-user …` with `password` on stdin; returns the exit code.
int add_user(const std::filesystem::path& config, const std::filesystem::path& log,
             const TestUser& user, const std::string& password = kTestPassword);
// A session token of `user` on awared at `port`: the user is added the first time (unless it
// is a standard one), then logged in over HTTP; cached per port and name. Throws when the login
// fails.
std::string token_for(std::uint16_t port, const TestUser& user);

// A one-shot HTTP request on loopback with exactly the given extra header lines (each
// "Name: value"; no automatic sign-in); returns the raw response or "" on failure.
std::string http_raw(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body, const std::vector<std::string>& headers = {});
// The value of one sample in a GET /metrics text: the line that starts with `sample` (a name,
// with its labels if it has any) and a space; nullopt when there is none.
std::optional<double> metric_value(const std::string& text, const std::string& sample);
// A one-shot HTTP GET on loopback, signed in as default_user(target); returns the raw response
// or "" on failure.
std::string http_get(std::uint16_t port, const std::string& target);
// A one-shot HTTP request with a JSON body, signed in as default_user(target); returns the raw
// response or "" on failure.
std::string http_send(std::uint16_t port, const std::string& method, const std::string& target,
                      const std::string& body);
// "Authorization: Bearer TOKEN" for default_user(target) (empty for login and /healthz).
std::vector<std::string> auth_header(std::uint16_t port, const std::string& target);

// Runs a SQL query read-only on the database and returns the first column of the first row as
// text ("" for none). Opens and closes the database each time.
std::string query_one(const std::filesystem::path& db, const std::string& sql);

// Paths of the binaries under test (compiled in by CMake).
std::string awared_bin();
std::string xmark_sim_bin();
std::string meldkamer_bin();
std::string awarectl_bin();

}  // namespace aware::systest
