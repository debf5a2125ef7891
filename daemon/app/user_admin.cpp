// user_admin.cpp — see user_admin.hpp.
#include "app/user_admin.hpp"

#include <cstdio>
#include <iostream>

#include "auth/password.hpp"
#include "core/clock.hpp"
#include "store/repository.hpp"

namespace aware::app {
namespace {

int fail(const std::string& what, int code) {
  std::fprintf(stderr, "awared: %s\n", what.c_str());
  return code;
}

}  // namespace

int add_user(const core::Config& config, const UserOptions& options) {
  const auto role = core::role_from(options.role);
  if (options.name.empty() || options.name.size() > 128 || !role) {
    return fail("--add-user NAME (1..128 bytes) and --role centralist|pac_operator|hulpverlener|"
                "admin are required",
                2);
  }
  store::UserRecord user;
  user.name = options.name;
  user.role = *role;
  user.regions = core::split_names(options.regions);
  user.organisation = options.organisation;
  user.clients = core::split_names(options.clients);
  if (user.role == core::Role::centralist && user.regions.empty()) {
    return fail("a centralist needs --regions", 2);
  }
  if (user.role == core::Role::hulpverlener && user.clients.empty()) {
    return fail("a hulpverlener needs --clients (and usually --organisation)", 2);
  }
  std::string password;
  std::getline(std::cin, password);
  if (auto problem = auth::password_problem(password)) {
    return fail(*problem, 2);
  }
  const auto hash = auth::hash_password(password);
  if (!hash) {
    return fail("cannot hash the password (out of memory?)", 1);
  }
  // Like PUT /api/v1/users/{name} (ends the user's sessions, audited, never the last admin),
  // but without checking regions and clients: the first users are made before any registry.
  store::Repository::UserChangeRequest request;
  request.user = user;
  request.password_hash = *hash;
  try {
    store::Repository repo{config.store.path};
    const auto changed = repo.change_user(request, "awared --add-user", core::now_ms());
    if (!changed) {
      return fail("cannot store the user: " + changed.error().message, 1);
    }
    using Change = store::Repository::UserChange;
    if (changed->change == Change::bad_name) {
      return fail("--add-user NAME: 1 to 128 of the characters A-Z a-z 0-9 . _ @ -", 2);
    }
    if (changed->change == Change::last_admin) {
      return fail("that would take away the last active admin", 2);
    }
  } catch (const std::exception& e) {
    return fail(e.what(), 1);
  }
  std::printf("user %s (%s) stored\n", user.name.c_str(), std::string(core::to_string(user.role)).c_str());
  return 0;
}

}  // namespace aware::app
