// user_rows.cpp — users and login sessions (migration 007). See repository.hpp.
#include <sqlite3.h>

#include "store/repository.hpp"
#include "store/rows.hpp"
#include "store/sqlite.hpp"

namespace aware::store {
namespace {

constexpr std::string_view kUserColumns =
    "SELECT name, role, regions, organisation, clients, active, password_hash FROM users ";

UserRecord user_from_row(const Stmt& s) {
  UserRecord u;
  u.name = s.text(0);
  u.role = core::role_from(s.text(1)).value_or(core::Role::centralist);
  u.regions = core::split_names(s.text(2));
  u.organisation = s.text(3);
  u.clients = core::split_names(s.text(4));
  u.active = s.int64(5) != 0;
  return u;
}

template <typename Fn>
Result<void> as_void(Fn&& fn) {
  auto done = rows::guarded([&] {
    fn();
    return true;
  });
  if (!done) {
    return tl::make_unexpected(done.error());
  }
  return {};
}

}  // namespace

Result<void> Repository::put_user(const UserRecord& user, const std::string& password_hash,
                                  core::TimeMs now) {
  return as_void([&] {
    Stmt s{*db_,
           "INSERT INTO users(name, password_hash, role, regions, organisation, clients, active, "
           "created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) "
           "ON CONFLICT(name) DO UPDATE SET password_hash=?2, role=?3, regions=?4, "
           "organisation=?5, clients=?6, active=?7, updated_ms=?8"};
    s.bind(1, user.name)
        .bind(2, password_hash)
        .bind(3, core::to_string(user.role))
        .bind(4, core::join_names(user.regions))
        .bind(5, user.organisation)
        .bind(6, core::join_names(user.clients))
        .bind(7, static_cast<std::int64_t>(user.active))
        .bind(8, now)
        .run();
  });
}

Result<std::optional<std::pair<UserRecord, std::string>>> Repository::user(std::string_view name) {
  return rows::guarded([&]() -> std::optional<std::pair<UserRecord, std::string>> {
    Stmt s{*db_, std::string(kUserColumns) + "WHERE name=?1"};
    s.bind(1, name);
    if (!s.step()) {
      return std::nullopt;
    }
    return std::make_pair(user_from_row(s), s.text(6));
  });
}

Result<std::vector<UserRecord>> Repository::users() {
  return rows::guarded([&] {
    Stmt s{*db_, std::string(kUserColumns) + "ORDER BY name"};
    std::vector<UserRecord> out;
    while (s.step()) {
      out.push_back(user_from_row(s));
    }
    return out;
  });
}

Result<void> Repository::create_session(std::string_view user_name,
                                        const std::string& token_digest, core::TimeMs now,
                                        core::TimeMs expires_ms) {
  return as_void([&] {
    Stmt s{*db_,
           "INSERT INTO sessions(token_digest, user_name, created_ms, expires_ms) "
           "VALUES (?1, ?2, ?3, ?4)"};
    s.bind(1, token_digest).bind(2, user_name).bind(3, now).bind(4, expires_ms).run();
  });
}

Result<std::optional<SessionUser>> Repository::session_user(const std::string& token_digest,
                                                            core::TimeMs now) {
  return rows::guarded([&]() -> std::optional<SessionUser> {
    Stmt s{*db_,
           "SELECT u.name, u.role, u.regions, u.organisation, u.clients, u.active, "
           "u.password_hash, s.expires_ms FROM sessions s JOIN users u ON u.name = s.user_name "
           "WHERE s.token_digest=?1 AND s.revoked_ms IS NULL AND s.expires_ms > ?2 AND "
           "u.active=1"};
    s.bind(1, token_digest).bind(2, now);
    if (!s.step()) {
      return std::nullopt;
    }
    return SessionUser{user_from_row(s), s.int64(7)};
  });
}

Result<bool> Repository::revoke_session(const std::string& token_digest, core::TimeMs now) {
  return rows::guarded([&] {
    Stmt s{*db_,
           "UPDATE sessions SET revoked_ms=?2 WHERE token_digest=?1 AND revoked_ms IS NULL "
           "AND expires_ms > ?2"};
    s.bind(1, token_digest).bind(2, now).run();
    return db_->changes() > 0;
  });
}

}  // namespace aware::store
