// main.cpp — the `meldkamer` executable: parses the command line, wires signals and the
// --timeout timer to console_client, runs the io_context on this one thread, and turns the
// outcome into an exit code (0 ok, 1 timeout, 2 usage; see `meldkamer --help`). With --ca (or
// $AWARED_CA) it builds the TLS context for wss:// once, here.
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "asio.hpp"
#include "client_tls.hpp"
#include "console_client.hpp"
#include "console_session.hpp"
#include "options.hpp"

namespace {

using namespace aware::console;

constexpr std::chrono::seconds shutdown_grace{3};  // clean close may take this long at most

std::string default_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
    return "centralist@onbekend";
  }
  return std::string{"centralist@"} + host;
}

// The session token: --token-file, else $AWARED_TOKEN, else $AWARED_TOKEN_FILE or
// ~/.config/awared/token (where `awarectl login` keeps it); "" when there is none.
std::string read_token(const client_options& options) {
  std::string file = options.token_file;
  if (file.empty()) {
    if (const char* token = std::getenv("AWARED_TOKEN"); token != nullptr && *token != '\0') {
      return token;
    }
    if (const char* f = std::getenv("AWARED_TOKEN_FILE"); f != nullptr && *f != '\0') {
      file = f;
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
      file = std::string{home} + "/.config/awared/token";
    }
  }
  std::ifstream in{file};
  std::string token;
  std::getline(in, token);
  return token;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  const auto parsed = parse_options(args, default_name());
  if (parsed.help) {
    std::cout << help_text();
    return exit_ok;
  }
  if (!parsed.options) {
    std::cerr << "meldkamer: " << parsed.error << "\n(try meldkamer --help)\n";
    return exit_usage;
  }
  client_options with_token = *parsed.options;
  with_token.token = read_token(with_token);
  if (with_token.token.empty() && !with_token.token_file.empty()) {
    std::cerr << "meldkamer: cannot read a token from " << with_token.token_file << "\n";
    return exit_usage;
  }
  const client_options& options = with_token;
  const char* env_ca = std::getenv("AWARED_CA");
  const std::string ca_file = options.ca_file.value_or(env_ca != nullptr ? env_ca : "");
  std::shared_ptr<net::ssl::context> tls;
  if (!ca_file.empty()) {
    auto made = client_tls_context(ca_file);
    if (!made) {
      std::cerr << "meldkamer: " << made.error() << '\n';
      return exit_usage;
    }
    tls = std::move(*made);
  }

  net::io_context io{1};
  console_session session{options};
  console_client client{io, options, session, tls};
  int code = exit_ok;
  bool shutting_down = false;
  net::steady_timer grace{io};
  net::steady_timer timeout{io};
  net::signal_set signals{io, SIGINT, SIGTERM};

  // Starts the one shutdown: remembers the exit code, asks the client to close cleanly and
  // gives it shutdown_grace before the io_context is stopped regardless.
  auto shut_down = [&](int with_code) {
    if (shutting_down) {
      return;
    }
    shutting_down = true;
    code = with_code;
    signals.cancel();
    timeout.cancel();
    client.stop();
    grace.expires_after(shutdown_grace);
    grace.async_wait([&](boost::system::error_code ec) {
      if (!ec) {
        io.stop();
      }
    });
  };

  client.on_finished = [&] { shut_down(exit_ok); };
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (!ec) {
      shut_down(exit_ok);
    }
  });
  if (options.timeout) {
    timeout.expires_after(*options.timeout);
    timeout.async_wait([&](boost::system::error_code ec) {
      if (!ec) {
        shut_down(exit_timeout);
      }
    });
  }
  net::co_spawn(io, client.run(), [&](std::exception_ptr error) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        std::cerr << "meldkamer: internal error: " << e.what() << '\n';
      } catch (...) {
        std::cerr << "meldkamer: internal error\n";
      }
    }
    io.stop();
  });
  io.run();
  if (!options.json) {
    std::cout << "\x1b[0m\n" << std::flush;
  }
  return code;
}
