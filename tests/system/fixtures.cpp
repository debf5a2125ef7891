// fixtures.cpp — starting awared, xmark-sim and meldkamer for the system tests.
#include "fixtures.hpp"

#include <sys/wait.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <regex>
#include <stdexcept>

namespace aware::systest {

Awared::Awared(const TempDir& dir, AwaredOptions options)
    : dir_{dir.path()},
      options_{std::move(options)},
      device_port_{options_.device_port},
      meldkamer_port_{options_.meldkamer_port} {
  start();
}

void Awared::restart(std::map<std::string, std::string> env) {
  options_.env = std::move(env);
  start();
}

void Awared::start() {
  {
    std::ofstream cfg{config_file()};
    cfg << "[device]\nlisten = \"127.0.0.1:" << device_port_ << "\"\n"
        << options_.device_toml << "\n"
        << "[meldkamer]\nlisten = \"127.0.0.1:" << meldkamer_port_ << "\"\n"
        << options_.meldkamer_toml << "\n"
        << "[dispatch]\n" << options_.dispatch_toml << "\n"
        << "[notify]\n" << options_.notify_toml << "\n"
        << "[supervision]\n" << options_.supervision_toml << "\n"
        << "[tls]\n" << options_.tls_toml << "\n"
        << "[metrics]\n" << options_.metrics_toml << "\n"
        << "[security]\n" << options_.security_toml << "\n"
        << "[store]\npath = \"" << db().string() << "\"\n";
  }
  if (generation_ == 0 && options_.create_users) {
    for (const auto& user : standard_users()) {
      if (add_user(config_file(), dir_ / "add-user.log", user) != 0) {
        throw std::runtime_error("awared --add-user " + user.name + " failed; see add-user.log");
      }
    }
  }
  process_.reset();
  notify_.reset();
  notify_ = std::make_unique<NotifySocket>(dir_ / ("notify-" + std::to_string(generation_++)));
  auto env = options_.env;
  env["NOTIFY_SOCKET"] = notify_->path();
  std::vector<std::string> argv{awared_bin(), "--config", config_file().string()};
  if (options_.seed_demo) {
    argv.emplace_back("--seed-demo");
  }
  process_ = std::make_unique<Process>(argv, env, log_file());
  auto ready = notify_->receive_containing("READY=1");
  if (!ready) {
    throw std::runtime_error("awared did not become ready; see " + log_file().string());
  }
  static const std::regex ports{R"(devices on 127\.0\.0\.1:(\d+), meldkamer on 127\.0\.0\.1:(\d+))"};
  std::smatch m;
  if (!std::regex_search(*ready, m, ports)) {
    throw std::runtime_error("unexpected READY status: " + *ready);
  }
  device_port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
  meldkamer_port_ = static_cast<std::uint16_t>(std::stoi(m[2]));
  register_awared(meldkamer_port_, config_file(), dir_);
}

std::unique_ptr<Process> start_activate(const TempDir& dir, std::uint16_t port,
                                        const std::string& device,
                                        const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv{xmark_sim_bin(), "activate", "--server",
                                "127.0.0.1:" + std::to_string(port), "--device", device,
                                "--json", "--state-dir", (dir.path() / "sim").string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  return std::make_unique<Process>(argv, std::map<std::string, std::string>{},
                                   dir.path() / "xmark-sim.log");
}

SimResult activate(const TempDir& dir, std::uint16_t port, const std::string& device,
                   const std::vector<std::string>& extra_args) {
  auto sim = start_activate(dir, port, device, extra_args);
  SimResult result;
  if (auto line = sim->read_line()) {
    result.reply = nlohmann::json::parse(*line, nullptr, false);
  }
  if (auto status = sim->wait(); status && WIFEXITED(*status)) {
    result.exit_code = WEXITSTATUS(*status);
  }
  return result;
}

CtlResult awarectl(const TempDir& dir, std::uint16_t port, const std::vector<std::string>& args) {
  const bool admin = !args.empty() && (args.front() == "audit" || args.front() == "users");
  if (!awared_known(port)) {
    return awarectl_with(dir, port, args, {});  // nobody to sign in to (a closed port)
  }
  const auto user = default_user(admin ? "/api/v1/audit" : "/api/v1/");
  return awarectl_with(dir, port, args, {{"AWARED_TOKEN", token_for(port, user)}});
}

CtlResult awarectl_with(const TempDir& dir, std::uint16_t port,
                        const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& env) {
  static int run = 0;
  const auto err_file = dir.path() / ("awarectl-" + std::to_string(run++) + ".err");
  std::vector<std::string> argv{awarectl_bin(), "--server", "127.0.0.1:" + std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  CtlResult result;
  {
    auto with_file = env;
    with_file.emplace("AWARED_TOKEN_FILE", (dir.path() / "awarectl-token").string());
    Process ctl{argv, with_file, err_file};
    while (auto line = ctl.read_line()) {
      result.out += *line + "\n";
    }
    if (auto status = ctl.wait(); status && WIFEXITED(*status)) {
      result.exit_code = WEXITSTATUS(*status);
    }
  }
  std::ifstream err{err_file};
  result.err.assign(std::istreambuf_iterator<char>{err}, {});
  return result;
}

Console::Console(const TempDir& dir, std::uint16_t port, const std::vector<std::string>& extra_args,
                 const std::optional<std::string>& token_given) {
  std::vector<std::string> argv{meldkamer_bin(), "--server", "127.0.0.1:" + std::to_string(port),
                                "--json"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  std::string name = "centralist";
  for (std::size_t i = 0; i + 1 < extra_args.size(); ++i) {
    if (extra_args[i] == "--name") {
      name = extra_args[i + 1];
    }
  }
  const auto token = token_given ? *token_given
                                 : token_for(port, user_for_target(name, "/ws/meldkamer"));
  process_ = std::make_unique<Process>(argv, std::map<std::string, std::string>{{"AWARED_TOKEN", token}},
                                       dir.path() / "meldkamer.log");
}

std::optional<nlohmann::json> Console::next() {
  auto line = process_->read_line();
  if (!line) {
    return std::nullopt;
  }
  auto j = nlohmann::json::parse(*line, nullptr, false);
  if (j.is_discarded()) {
    throw std::runtime_error("console printed a line that is not JSON: " + *line);
  }
  return j;
}

std::vector<nlohmann::json> Console::wait_synced() {
  std::vector<nlohmann::json> snapshot;
  while (auto j = next()) {
    if ((*j)["event"] == "snapshot") {
      snapshot.push_back((*j)["incident"]);
    } else if ((*j)["event"] == "synced") {
      return snapshot;
    }
  }
  throw std::runtime_error("console never synced");
}

std::optional<nlohmann::json> Console::wait_incident(
    const std::string& device, const std::function<bool(const nlohmann::json&)>& accept) {
  while (auto j = next()) {
    const auto& event = (*j)["event"];
    if ((event == "snapshot" || event == "update") && (*j)["incident"]["deviceId"] == device &&
        accept((*j)["incident"])) {
      return (*j)["incident"];
    }
  }
  return std::nullopt;
}

bool open_test_window(const Awared& awared, const std::string& device, int minutes) {
  const auto reply = http_send(awared.meldkamer_port(), "POST",
                               "/api/v1/devices/" + device + "/test-window",
                               "{\"minutes\":" + std::to_string(minutes) +
                                   ",\"reason\":\"installatietest\",\"by\":\"pac-test\"}");
  return reply.rfind("HTTP/1.1 201", 0) == 0;
}

std::string log_text(const Awared& awared) {
  std::ifstream log{awared.log_file()};
  return {std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>()};
}

}  // namespace aware::systest
