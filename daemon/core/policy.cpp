// policy.cpp — see policy.hpp.
#include "core/policy.hpp"

#include <array>
#include <utility>

namespace aware::core {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles{{
    {Role::centralist, "centralist"},
    {Role::pac_operator, "pac_operator"},
    {Role::hulpverlener, "hulpverlener"},
    {Role::admin, "admin"},
}};

Decision allow() { return {true, {}}; }
Decision deny(std::string reason) { return {false, std::move(reason)}; }

Decision centralist(const Principal& who, Operation op, const Resource& what) {
  switch (op) {
    case Operation::incident_view:
    case Operation::incident_gps:
    case Operation::incident_accept:
    case Operation::incident_close:
    case Operation::incident_listen_in:
    case Operation::incident_note:
      if (what.region.empty() || !who.regions.contains(what.region)) {
        return deny("region '" + what.region + "' is not one of " + who.name + "'s regions");
      }
      return allow();
    case Operation::region_outlines:
      return allow();
    case Operation::aop_view:
      if (!what.justified) {
        return deny("an AOP outside an incident needs a justification");
      }
      return allow();
    default:
      return deny(std::string("a centralist may not ") + std::string(to_string(op)));
  }
}

Decision pac_operator(Operation op) {
  switch (op) {
    case Operation::registry_read:
    case Operation::registry_write:
    case Operation::registry_export:
    case Operation::dossier_read:
    case Operation::alerts_view:
    case Operation::alerts_change:
    case Operation::test_window:
    case Operation::device_status:
    case Operation::region_outlines:
      return allow();
    case Operation::aop_view:
      return allow();  // the PAC registers AOPs; reading them is its work
    default:
      return deny(std::string("a PAC operator may not ") + std::string(to_string(op)));
  }
}

Decision hulpverlener(const Principal& who, Operation op, const Resource& what) {
  switch (op) {
    case Operation::notices_view:
    case Operation::device_status:
    case Operation::dossier_read:
      if (what.client_id.empty() || !who.clients.contains(what.client_id)) {
        return deny("client '" + what.client_id + "' is not followed by " + who.name);
      }
      return allow();
    default:
      return deny(std::string("a hulpverlener may not ") + std::string(to_string(op)));
  }
}

Decision admin(Operation op) {
  if (op == Operation::users_manage || op == Operation::audit_read) {
    return allow();
  }
  return deny(std::string("an admin may not ") + std::string(to_string(op)));
}

}  // namespace

bool new_user_name_ok(std::string_view name) {
  return !name.empty() && name.size() <= 128 && name.front() != '.' &&  // never . or ..
         name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                "0123456789._@-") == std::string_view::npos;
}

NameSet split_names(std::string_view list) {
  NameSet out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (comma != 0) {
      out.emplace(list.substr(0, comma));
    }
    if (comma == std::string_view::npos) {
      break;
    }
    list.remove_prefix(comma + 1);
  }
  return out;
}

std::string join_names(const NameSet& names) {
  std::string out;
  for (const auto& n : names) {
    out += (out.empty() ? "" : ",") + n;
  }
  return out;
}

std::string_view to_string(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) {
      return name;
    }
  }
  return "unknown";
}

std::optional<Role> role_from(std::string_view text) {
  for (const auto& [r, name] : kRoles) {
    if (name == text) {
      return r;
    }
  }
  return std::nullopt;
}

std::string_view to_string(Operation op) {
  switch (op) {
    case Operation::incident_view: return "incident_view";
    case Operation::incident_gps: return "incident_gps";
    case Operation::incident_accept: return "incident_accept";
    case Operation::incident_close: return "incident_close";
    case Operation::incident_listen_in: return "incident_listen_in";
    case Operation::incident_note: return "incident_note";
    case Operation::region_outlines: return "region_outlines";
    case Operation::aop_view: return "aop_view";
    case Operation::registry_read: return "registry_read";
    case Operation::registry_write: return "registry_write";
    case Operation::registry_export: return "registry_export";
    case Operation::dossier_read: return "dossier_read";
    case Operation::alerts_view: return "alerts_view";
    case Operation::alerts_change: return "alerts_change";
    case Operation::test_window: return "test_window";
    case Operation::device_status: return "device_status";
    case Operation::notices_view: return "notices_view";
    case Operation::audit_read: return "audit_read";
    case Operation::users_manage: return "users_manage";
  }
  return "unknown";
}

Decision decide(const Principal& who, Operation op, const Resource& what) {
  switch (who.role) {
    case Role::centralist: return centralist(who, op, what);
    case Role::pac_operator: return pac_operator(op);
    case Role::hulpverlener: return hulpverlener(who, op, what);
    case Role::admin: return admin(op);
  }
  return deny("unknown role");
}

Decision decide_at(const Principal* who, Operation op, const Resource& what,
                   std::int64_t now_ms) {
  if (who == nullptr) {
    return deny("not signed in");
  }
  if (session_ended(*who, now_ms)) {
    return deny("the session has ended: log in again");
  }
  return decide(*who, op, what);
}

}  // namespace aware::core
