// test_auth.cpp — password hashes (argon2id) and session tokens of daemon/auth, and the users
// and sessions of the store (real SQLite): a hash verifies its password only and never contains
// it; tokens are random and stored only as a digest; sessions expire and can be revoked; an
// inactive user has no session. Label: security.
#include <catch2/catch.hpp>

#include <memory>

#include "auth/password.hpp"
#include "store/repository.hpp"
#include "temp_dir.hpp"

using namespace aware;

namespace {

// Stores `user` with `hash` the way awared does (Repository::change_user: audited, ends the
// user's sessions); true when it was created or replaced.
bool put_user(store::Repository& repo, const store::UserRecord& user, const std::string& hash,
              core::TimeMs now) {
  store::Repository::UserChangeRequest request;
  request.user = user;
  request.password_hash = hash;
  const auto changed = repo.change_user(request, "test", now);
  return changed && (changed->change == store::Repository::UserChange::created ||
                     changed->change == store::Repository::UserChange::replaced);
}

}  // namespace

TEST_CASE("a password hash is argon2id, salted, and verifies only its password",
          "[security][auth]") {
  const auto a = auth::hash_password("correct horse battery");
  const auto b = auth::hash_password("correct horse battery");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->rfind("$argon2id$", 0) == 0);
  CHECK(*a != *b);  // a fresh salt each time
  CHECK(a->find("correct horse") == std::string::npos);
  CHECK(auth::verify_password(*a, "correct horse battery"));
  CHECK(auth::verify_password(*b, "correct horse battery"));
  CHECK_FALSE(auth::verify_password(*a, "correct horse batterY"));
  CHECK_FALSE(auth::verify_password(*a, ""));
  CHECK_FALSE(auth::verify_password("", "correct horse battery"));
  CHECK_FALSE(auth::verify_password("$argon2id$garbage", "correct horse battery"));
}

TEST_CASE("session tokens are random hex and only their digest is kept", "[security][auth]") {
  const auto t1 = auth::new_token();
  const auto t2 = auth::new_token();
  CHECK(t1.size() == 64);
  CHECK(t1 != t2);
  CHECK(t1.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(auth::token_digest(t1) == auth::token_digest(t1));
  CHECK(auth::token_digest(t1) != t1);
  // SHA-256 of "abc", a published test vector.
  CHECK(auth::token_digest("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("passwords need 12 to 1024 bytes", "[security][auth]") {
  CHECK(auth::password_problem("short"));
  CHECK_FALSE(auth::password_problem("twelve chars"));
  CHECK(auth::password_problem(std::string(1025, 'x')));
}

TEST_CASE("the store keeps users and sessions: expiry, revocation, inactive users",
          "[security][auth]") {
  testing::TempDir dir;
  auto repo = std::make_unique<store::Repository>(dir.db());
  store::UserRecord anna{"anna", core::Role::centralist, {"midden-nederland", "amsterdam"}, "", {}, true};
  REQUIRE(put_user(*repo, anna, "$argon2id$hash", 1000));
  const auto found = repo->user("anna");
  REQUIRE(found);
  REQUIRE(*found);
  CHECK((*found)->second == "$argon2id$hash");
  CHECK((*found)->first.regions == anna.regions);
  CHECK_FALSE(repo->user("bob").value());

  REQUIRE(repo->create_session("anna", "digest-1", 1000, 5000));
  const auto live = repo->session_user("digest-1", 4999);
  REQUIRE(live);
  REQUIRE(*live);
  CHECK((*live)->user.name == "anna");
  CHECK((*live)->principal().expires_ms == 5000);  // the session's end travels with the user
  CHECK((*live)->principal().regions == anna.regions);
  CHECK_FALSE(repo->session_user("digest-1", 5000).value());  // expired
  CHECK_FALSE(repo->session_user("digest-x", 2000).value());  // unknown
  REQUIRE(repo->create_session("anna", "digest-2", 1000, 9000));
  CHECK(repo->revoke_session("digest-2", 2000).value());
  CHECK_FALSE(repo->revoke_session("digest-2", 2001).value());
  CHECK_FALSE(repo->session_user("digest-2", 2001).value());  // revoked
  CHECK_FALSE(repo->revoke_session("digest-x", 2001).value());  // unknown

  // Each session's start and its end (not a second revoke, not an unknown token) is audited,
  // with the user as actor and subject; a session refused for a stale password hash is not.
  CHECK_FALSE(repo->create_session("anna", "digest-stale", 1000, 9000, "$argon2id$old").value());
  core::AuditQuery everything;
  everything.limit = 100;
  const auto audit = repo->audit_rows(everything);
  REQUIRE(audit);
  std::vector<std::string> sessions;
  for (const auto& row : *audit) {
    if (row.entry.action.rfind("auth.", 0) == 0) {
      CHECK(row.entry.actor == "anna");
      CHECK(row.entry.subject == "user:anna");
      sessions.push_back(row.entry.action + "@" + std::to_string(row.entry.at_ms));
    }
  }
  CHECK(sessions == std::vector<std::string>{"auth.login@1000", "auth.login@1000",
                                             "auth.logout@2000"});

  REQUIRE(repo->create_session("anna", "digest-3", 1000, 9000));
  anna.active = false;
  REQUIRE(put_user(*repo, anna, "$argon2id$hash", 3000));
  CHECK_FALSE(repo->session_user("digest-3", 3001).value());  // the user was deactivated
  const auto principal = (*found)->first.principal();
  CHECK(principal.role == core::Role::centralist);
  CHECK(principal.regions.contains("amsterdam"));
}

TEST_CASE("a user change never takes away the last active admin, and needs none before the first",
          "[security][auth]") {
  testing::TempDir dir;
  auto repo = std::make_unique<store::Repository>(dir.db());
  using Change = store::Repository::UserChange;
  auto put = [&repo](const std::string& name, core::Role role, bool active) {
    store::Repository::UserChangeRequest r;
    r.user = store::UserRecord{name, role, {}, "", {}, active};
    r.password_hash = "$argon2id$h";
    return repo->change_user(r, "test", 1000).value().change;
  };
  CHECK(put("pac-1", core::Role::pac_operator, true) == Change::created);  // no admin yet
  CHECK(put("root", core::Role::admin, true) == Change::created);
  CHECK(put("root", core::Role::pac_operator, true) == Change::last_admin);
  CHECK(put("root", core::Role::admin, false) == Change::last_admin);
  CHECK(repo->deactivate_user("root", "test", "", 2000).value().change == Change::last_admin);
  CHECK(put("pac-1", core::Role::pac_operator, false) == Change::replaced);  // not an admin
  CHECK(put("root-2", core::Role::admin, true) == Change::created);
  CHECK(repo->deactivate_user("root", "test", "", 3000).value().change == Change::deactivated);
  CHECK(put("bad name", core::Role::admin, true) == Change::bad_name);
}

TEST_CASE("a login gets its session only while the checked password hash is still the user's",
          "[security][auth]") {
  testing::TempDir dir;
  auto repo = std::make_unique<store::Repository>(dir.db());
  store::UserRecord anna{"anna", core::Role::pac_operator, {}, "", {}, true};
  REQUIRE(put_user(*repo, anna, "$argon2id$old", 1000));
  // The password was checked against the old hash, then reset before the session was stored.
  REQUIRE(put_user(*repo, anna, "$argon2id$new", 2000));
  CHECK_FALSE(repo->create_session("anna", "digest-1", 2001, 9000, "$argon2id$old").value());
  CHECK_FALSE(repo->session_user("digest-1", 2002).value());
  CHECK(repo->create_session("anna", "digest-2", 2001, 9000, "$argon2id$new").value());
  // Deactivated in between: no session either.
  anna.active = false;
  REQUIRE(put_user(*repo, anna, "$argon2id$new", 3000));
  CHECK_FALSE(repo->create_session("anna", "digest-3", 3001, 9000, "$argon2id$new").value());
}

TEST_CASE("a user's own password change needs the hash she proved, ends her sessions, is audited",
          "[security][auth]") {
  testing::TempDir dir;
  auto repo = std::make_unique<store::Repository>(dir.db());
  store::UserRecord anna{"anna", core::Role::pac_operator, {}, "", {}, true};
  REQUIRE(put_user(*repo, anna, "$argon2id$old", 1000));
  REQUIRE(repo->create_session("anna", "digest-1", 1001, 9000).value());
  const auto rows_before = repo->audit_rows({}).value().size();
  // An admin reset the password after anna's current one was checked: her change loses.
  REQUIRE(put_user(*repo, anna, "$argon2id$reset", 2000));
  REQUIRE(repo->create_session("anna", "digest-2", 2001, 9000).value());
  const auto after_reset = repo->audit_rows({}).value().size();
  CHECK_FALSE(repo->change_own_password("anna", "$argon2id$old", "$argon2id$mine", 2100).value());
  CHECK(repo->user("anna").value()->second == "$argon2id$reset");
  CHECK(repo->session_user("digest-2", 2101).value());  // nothing ended
  CHECK(repo->audit_rows({}).value().size() == after_reset);  // nothing audited
  // With the hash she proved: changed, her sessions ended, one audit row by and about her.
  CHECK(repo->change_own_password("anna", "$argon2id$reset", "$argon2id$mine", 2200).value());
  CHECK(repo->user("anna").value()->second == "$argon2id$mine");
  CHECK_FALSE(repo->session_user("digest-2", 2201).value());
  const auto rows = repo->audit_rows({.after = static_cast<std::int64_t>(after_reset)}).value();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].entry.actor == "anna");
  CHECK(rows[0].entry.action == "users.password");
  CHECK(rows[0].entry.subject == "user:anna");
  CHECK(rows[0].entry.justification.find("mine") == std::string::npos);  // never the hash
  CHECK(rows_before < after_reset);
  // Deactivated, or unknown: nothing changes.
  anna.active = false;
  REQUIRE(put_user(*repo, anna, "$argon2id$mine", 3000));
  CHECK_FALSE(repo->change_own_password("anna", "$argon2id$mine", "$argon2id$x", 3100).value());
  CHECK_FALSE(repo->change_own_password("nobody", "", "$argon2id$x", 3100).value());
}

TEST_CASE("only an Authorization header of the Bearer scheme yields a token", "[security][auth]") {
  CHECK(auth::bearer_token("Bearer abc123") == "abc123");
  CHECK(auth::bearer_token("").empty());
  CHECK(auth::bearer_token("Bearer ").empty());
  CHECK(auth::bearer_token("Basic YW5uYTpnZWhlaW0=").empty());
  CHECK(auth::bearer_token("bearer abc123").empty());
}
