// policy.hpp — who may do what (issue 6, item 3): the roles of awared's users and the one
// decision function every REST call and WebSocket message will go through. Pure and default
// deny: an operation is allowed only where a rule below says so; everything else is refused
// with a reason (which the caller audits).
//
// Roles (least access, each sees only what its work needs):
// - centralist (for given meldkamer regions): the incidents of those regions — the detail, the
//   GPS position and track, accept, close, meeluisteren. An AOP outside an incident only with a
//   justification (audited). Nothing of the registry, the PAC queue or the case workers' feed.
// - pac_operator: registrations (read, change, import, export), the alert queue, proefmelding
//   windows, contracts, device status, dossiers. Never GPS, never meeluisteren: incidents are
//   police business once dispatched.
// - hulpverlener (for an organisation and its clients): notices, device health and the dossier
//   of their own clients; never GPS, never anything of other clients.
// - admin: users and the audit log; no personal data.
//
// Where the checks sit (the callers map their requests onto an Operation and a Resource):
// - REST (app/api_access.cpp): one table maps every route to an Operation and its Resource;
//   a route without a mapping is refused. Login and /healthz are the only open doors.
// - WebSocket feeds (dispatch/feed_access.hpp), bound at the upgrade: /ws/meldkamer needs
//   incident_view for every region asked (no ?regions= = all of the centralist's regions);
//   /ws/pac needs alerts_view; /ws/hulpverlener needs notices_view for every ?client= asked.
//   A case worker's feed is always narrowed to their own clients (Principal::clients):
//   ?case_worker= only selects among those, it never widens them, because the case-worker
//   field of an AOP is free text and proves nothing about who may read it.
// - WebSocket messages (app/console_access.cpp): each accept / close / listen-in against the
//   incident's region, each acknowledge / resolve as alerts_change; the principal travels
//   with the connection and its session end (expires_ms) is checked on every message; at the
//   session end the connection is closed (net/console_session.cpp, AWR-5007), so no more
//   pushes reach a console whose login has ended.
// Every refusal is audited (action "refused") through a bounded queue (core/refusals.hpp).
#pragma once

#include <cstdint>

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace aware::core {

enum class Role { centralist, pac_operator, hulpverlener, admin };

using NameSet = std::set<std::string, std::less<>>;
// "a,b,,c" -> {a, b, c} (empty names dropped), and back (sorted, comma-separated).
NameSet split_names(std::string_view list);
std::string join_names(const NameSet& names);

// Whether `name` may be given to a new user: 1..128 of A-Z a-z 0-9 . _ @ -, not starting with a
// dot (names appear in URLs, where "." and ".." are path steps, logs and the audit log). Users
// made before this rule keep their names.
[[nodiscard]] bool new_user_name_ok(std::string_view name);

std::string_view to_string(Role role);
std::optional<Role> role_from(std::string_view text);

// An authenticated user as the policy sees them.
struct Principal {
  std::string name;
  Role role = Role::centralist;
  NameSet regions;                              // centralist: the regions served
  std::string organisation;                     // hulpverlener: their organisation
  NameSet clients;                              // hulpverlener: the clients they follow
  std::int64_t expires_ms = 0;                  // end of the login session (ms since epoch)
  std::string session;                          // the digest of the session's token (to close
                                                // the session's consoles at its logout)
};

// Whether the session behind `who` has ended at `now_ms`.
[[nodiscard]] inline bool session_ended(const Principal& who, std::int64_t now_ms) {
  return now_ms >= who.expires_ms;
}

enum class Operation {
  incident_view,      // an incident's detail (AOP context, AOL hits)
  incident_gps,       // its position, accuracy and track
  incident_accept,
  incident_close,
  incident_listen_in, // meeluisteren
  incident_note,      // a note during handling
  region_outlines,    // the meldkamer regions' outlines for a map (no personal data)
  aop_view,           // an AOP outside an incident (needs a justification)
  registry_read,
  registry_write,     // add, update, deactivate, import, contract end
  registry_export,
  dossier_read,       // a client's activations and outcomes
  alerts_view,
  alerts_change,      // acknowledge, resolve
  test_window,        // open / close a proefmelding window
  device_status,      // battery, last heard (no position)
  notices_view,       // the case workers' notices
  audit_read,         // list and verify the audit log
  users_manage,
};

std::string_view to_string(Operation op);

// What an operation is about (the fields that matter for it; others stay empty).
struct Resource {
  std::string region;          // the incident's region
  std::string client_id;       // the client concerned
  bool justified = false;      // the request carries a justification text
};

struct Decision {
  bool allowed = false;
  std::string reason;          // why not (for the error reply and the audit row)
};

// Default deny. Never throws.
Decision decide(const Principal& who, Operation op, const Resource& what);

// decide() for a request made at `now_ms` under the session behind `who` (nullptr: nobody
// signed in): refused once the session has ended, so a console that stays connected past
// its session's end can no longer act. Never throws.
Decision decide_at(const Principal* who, Operation op, const Resource& what,
                   std::int64_t now_ms);

}  // namespace aware::core
