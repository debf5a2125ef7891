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

void upsert_user(Db& db, const UserRecord& user, const std::string& password_hash,
                 core::TimeMs now) {
  Stmt s{db,
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
}


}  // namespace

namespace {

// Whether the change of `name` (an active admin after it or not) takes away the last active
// admin: `name` is one now, will not be, and no other is. (With no admin at all, as before the
// first one is made, nothing is taken away.)
bool leaves_no_admin(Db& db, std::string_view name, bool active_admin_after) {
  if (active_admin_after) {
    return false;
  }
  Stmt was{db, "SELECT 1 FROM users WHERE name=?1 AND role='admin' AND active=1"};
  was.bind(1, name);
  if (!was.step()) {
    return false;
  }
  Stmt s{db, "SELECT count(*) FROM users WHERE role='admin' AND active=1 AND name<>?1"};
  s.bind(1, name);
  return s.step() && s.int64(0) == 0;
}

// Ends every live session of `name`.
void end_sessions_of(Db& db, std::string_view name, core::TimeMs now) {
  Stmt s{db,
         "UPDATE sessions SET revoked_ms=?2 WHERE user_name=?1 AND revoked_ms IS NULL AND "
         "expires_ms > ?2"};
  s.bind(1, name).bind(2, now).run();
}

// The first of `names` that `sql` (with ?1 = a name) finds no row for; "" when all are found.
std::string first_missing(Db& db, const char* sql, const std::set<std::string, std::less<>>& names,
                          const std::set<std::string, std::less<>>& also_known = {}) {
  for (const auto& n : names) {
    if (also_known.count(n) > 0) {
      continue;
    }
    Stmt s{db, sql};
    s.bind(1, n);
    if (!s.step()) {
      return n;
    }
  }
  return {};
}

}  // namespace

Result<Repository::UserChangeResult> Repository::change_user(const UserChangeRequest& request,
                                                             const std::string& by,
                                                             core::TimeMs now) {
  return rows::guarded([&]() -> UserChangeResult {
    Transaction tx{*db_};
    UserRecord user = request.user;
    Stmt old{*db_, "SELECT password_hash, active FROM users WHERE name=?1"};
    old.bind(1, user.name);
    const bool exists = old.step();
    if (!exists && !core::new_user_name_ok(user.name)) {
      return {UserChange::bad_name, {}};
    }
    const std::string hash = request.password_hash ? *request.password_hash
                             : exists              ? old.text(0)
                                                   : "";
    if (hash.empty()) {
      return {UserChange::needs_password, {}};
    }
    if (exists && !request.active_given) {
      user.active = old.int64(1) != 0;
    }
    if (leaves_no_admin(*db_, user.name, user.active && user.role == core::Role::admin)) {
      return {UserChange::last_admin, {}};
    }
    if (request.desks) {
      if (auto r = first_missing(*db_, "SELECT 1 FROM regions WHERE id=?1 AND active=1",
                                 user.regions, *request.desks);
          !r.empty()) {
        return {UserChange::unknown_region, r};
      }
      if (auto c = first_missing(*db_, "SELECT 1 FROM clients WHERE id=?1", user.clients);
          !c.empty()) {
        return {UserChange::unknown_client, c};
      }
    }
    upsert_user(*db_, user, hash, now);
    end_sessions_of(*db_, user.name, now);
    std::string text = "role=" + std::string(core::to_string(user.role));
    if (!user.regions.empty()) {
      text += " regions=" + core::join_names(user.regions);
    }
    if (!user.clients.empty()) {
      text += " clients=" + core::join_names(user.clients);
    }
    if (!user.organisation.empty()) {
      text += " organisation=" + user.organisation;
    }
    text += user.active ? " active" : " inactive";
    text += request.password_hash ? ", password set" : ", password kept";
    if (!request.note.empty()) {
      text += "; " + request.note;
    }
    rows::append_audit(*db_, by, exists ? "users.update" : "users.create", "user:" + user.name,
                       text, now);
    tx.commit();
    return {exists ? UserChange::replaced : UserChange::created, {}};
  });
}

Result<Repository::UserChangeResult> Repository::deactivate_user(std::string_view name,
                                                                 const std::string& by,
                                                                 const std::string& note,
                                                                 core::TimeMs now) {
  return rows::guarded([&]() -> UserChangeResult {
    Transaction tx{*db_};
    Stmt find{*db_, "SELECT 1 FROM users WHERE name=?1"};
    find.bind(1, name);
    if (!find.step()) {
      return {UserChange::unknown_user, {}};
    }
    if (leaves_no_admin(*db_, name, false)) {
      return {UserChange::last_admin, {}};
    }
    Stmt off{*db_, "UPDATE users SET active=0, updated_ms=?2 WHERE name=?1"};
    off.bind(1, name).bind(2, now).run();
    end_sessions_of(*db_, name, now);
    rows::append_audit(*db_, by, "users.deactivate", "user:" + std::string(name), note, now);
    tx.commit();
    return {UserChange::deactivated, {}};
  });
}

Result<bool> Repository::change_own_password(std::string_view name,
                                             const std::string& checked_hash,
                                             const std::string& new_hash, core::TimeMs now) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    Stmt set{*db_,
             "UPDATE users SET password_hash=?3, updated_ms=?4 WHERE name=?1 AND password_hash=?2 "
             "AND active=1"};
    set.bind(1, name).bind(2, checked_hash).bind(3, new_hash).bind(4, now).run();
    if (db_->changes() != 1) {
      return false;
    }
    end_sessions_of(*db_, name, now);
    rows::append_audit(*db_, name, "users.password", "user:" + std::string(name),
                       "own password changed", now);
    tx.commit();
    return true;
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

Result<bool> Repository::create_session(std::string_view user_name,
                                        const std::string& token_digest, core::TimeMs now,
                                        core::TimeMs expires_ms, const std::string& password_hash) {
  return rows::guarded([&] {
    Transaction tx{*db_};
    Stmt s{*db_,
           "INSERT INTO sessions(token_digest, user_name, created_ms, expires_ms) "
           "SELECT ?1, ?2, ?3, ?4 WHERE ?5 = '' OR EXISTS (SELECT 1 FROM users WHERE name=?2 "
           "AND password_hash=?5 AND active=1)"};
    s.bind(1, token_digest)
        .bind(2, user_name)
        .bind(3, now)
        .bind(4, expires_ms)
        .bind(5, password_hash)
        .run();
    const bool created = db_->changes() > 0;
    if (created) {
      rows::append_audit(*db_, user_name, kLoginAction, "user:" + std::string(user_name), "", now);
    }
    tx.commit();
    return created;
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
    Transaction tx{*db_};
    std::string user_name;
    {
      Stmt live{*db_,
                "SELECT user_name FROM sessions WHERE token_digest=?1 AND revoked_ms IS NULL "
                "AND expires_ms > ?2"};
      live.bind(1, token_digest).bind(2, now);
      if (!live.step()) {
        return false;  // nothing written; the transaction rolls back
      }
      user_name = live.text(0);
    }
    Stmt s{*db_, "UPDATE sessions SET revoked_ms=?2 WHERE token_digest=?1"};
    s.bind(1, token_digest).bind(2, now).run();
    rows::append_audit(*db_, user_name, kLogoutAction, "user:" + user_name, "", now);
    tx.commit();
    return true;
  });
}

}  // namespace aware::store
