// password.hpp — users' password hashes and session tokens (issue 6, item 3), with libsodium.
//
// Passwords are stored only as argon2id hashes in libsodium's self-describing string form
// ("$argon2id$v=19$m=…,t=…,p=1$salt$hash"): salted, memory-hard, and carrying their own
// parameters, so stronger parameters later still verify old hashes. Hashing and verifying cost
// ~64 MiB and tens of milliseconds by design: call them off the network thread.
//
// Session tokens are 32 random bytes as 64 hex characters, given to the user once; the store
// keeps only their SHA-256 digest, so a copy of the database cannot be used to log in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aware::auth {

// Initialises libsodium once (thread-safe); false when the library cannot be used.
bool init();

// The argon2id hash string of `password`; nullopt when hashing failed (out of memory).
std::optional<std::string> hash_password(std::string_view password);
// True when `password` matches `hash` (a string from hash_password). Never throws.
bool verify_password(std::string_view hash, std::string_view password);

// A new random session token (64 lowercase hex characters).
std::string new_token();
// The hex SHA-256 of `token`: what the store keeps.
std::string token_digest(std::string_view token);

// The token of an "Authorization: Bearer TOKEN" header, or "" when the header is not that.
std::string bearer_token(std::string_view header);

// Passwords must be 12..1024 bytes; the reason when not.
std::optional<std::string> password_problem(std::string_view password);

}  // namespace aware::auth
