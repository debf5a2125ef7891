// user_admin.hpp — `awared --add-user`: the way the first users (an admin, PAC operators) get
// into a fresh database, before anyone can log in to the REST API. Runs without the daemon's
// threads, on the configured database (WAL lets a running awared keep going meanwhile).
#pragma once

#include <string>

#include "core/config.hpp"

namespace aware::app {

struct UserOptions {
  std::string name;           // --add-user
  std::string role;           // --role
  std::string regions;        // --regions A,B
  std::string organisation;   // --organisation
  std::string clients;        // --clients C1,C2
};

// Reads the password from the first line of stdin, hashes it and stores the user. Returns the
// exit code: 0 stored, 2 bad options or password, 1 the store failed.
int add_user(const core::Config& config, const UserOptions& options);

}  // namespace aware::app
