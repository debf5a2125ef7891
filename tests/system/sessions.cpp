// sessions.cpp — test users and sign-ins for the system tests (see harness.hpp, "Sessions").
#include <sys/wait.h>

#include <map>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#include "harness.hpp"

namespace aware::systest {
namespace {

struct Known {
  std::filesystem::path config;
  std::filesystem::path dir;
  std::map<std::string, std::string> tokens;   // user name -> token
};

// awared instances by meldkamer port (one test process runs one test at a time).
std::map<std::uint16_t, Known>& registry() {
  static std::map<std::uint16_t, Known> known;
  return known;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

}  // namespace

std::vector<TestUser> standard_users() {
  return {{"admin", "admin", "", "", ""},
          {"pac", "pac_operator", "", "", ""},
          {"centralist", "centralist", kTestRegions, "", ""},
          {"hulpverlener", "hulpverlener", "", "Veilig Thuis Utrecht", "C-001,C-002,C-003"}};
}

TestUser user_for_target(const std::string& name, const std::string& target) {
  auto user = default_user(target);
  user.name = name;
  return user;
}

TestUser default_user(const std::string& target) {
  const auto users = standard_users();
  auto pick = [&users](const std::string& name) {
    for (const auto& u : users) {
      if (u.name == name) {
        return u;
      }
    }
    throw std::logic_error("no standard user " + name);
  };
  if (starts_with(target, "/api/v1/audit") || starts_with(target, "/api/v1/users")) {
    return pick("admin");
  }
  if (starts_with(target, "/ws/meldkamer")) {
    return pick("centralist");
  }
  if (starts_with(target, "/ws/hulpverlener")) {
    return pick("hulpverlener");
  }
  return pick("pac");
}

void register_awared(std::uint16_t port, const std::filesystem::path& config,
                     const std::filesystem::path& dir) {
  auto& k = registry()[port];
  if (k.config != config) {
    k = Known{config, dir, {}};  // another awared on a reused port: its own users and sessions
  }
}

bool awared_known(std::uint16_t port) { return registry().contains(port); }

int add_user(const std::filesystem::path& config, const std::filesystem::path& log,
             const TestUser& user, const std::string& password) {
  std::string command = "printf '%s\\n' " + quoted(password) + " | " + quoted(awared_bin()) +
                        " --config " + quoted(config.string()) + " --add-user " +
                        quoted(user.name) + " --role " + quoted(user.role);
  if (!user.regions.empty()) {
    command += " --regions " + quoted(user.regions);
  }
  if (!user.organisation.empty()) {
    command += " --organisation " + quoted(user.organisation);
  }
  if (!user.clients.empty()) {
    command += " --clients " + quoted(user.clients);
  }
  Process p{{"/bin/sh", "-c", command}, {}, log};
  while (p.read_line()) {
  }
  const auto status = p.wait();
  return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

std::string token_for(std::uint16_t port, const TestUser& user) {
  auto found = registry().find(port);
  if (found == registry().end()) {
    throw std::runtime_error("no awared registered on port " + std::to_string(port));
  }
  auto& k = found->second;
  if (auto t = k.tokens.find(user.name); t != k.tokens.end()) {
    return t->second;
  }
  bool standard = false;
  for (const auto& u : standard_users()) {
    standard = standard || u.name == user.name;
  }
  if (!standard && add_user(k.config, k.dir / ("add-user-" + user.name + ".log"), user) != 0) {
    throw std::runtime_error("awared --add-user " + user.name + " failed");
  }
  const auto body = nlohmann::json{{"user", user.name}, {"password", kTestPassword}}.dump();
  const auto reply = http_raw(port, "POST", "/api/v1/login", body);
  const auto at = reply.find("\r\n\r\n");
  if (!starts_with(reply, "HTTP/1.1 200") || at == std::string::npos) {
    throw std::runtime_error("login of " + user.name + " failed: " + reply);
  }
  const std::string token = nlohmann::json::parse(reply.substr(at + 4))["token"];
  k.tokens.emplace(user.name, token);
  return token;
}

std::vector<std::string> auth_header(std::uint16_t port, const std::string& target) {
  if (starts_with(target, "/api/v1/login") || starts_with(target, "/healthz") ||
      !awared_known(port)) {
    return {};
  }
  return {"Authorization: Bearer " + token_for(port, default_user(target))};
}

}  // namespace aware::systest
