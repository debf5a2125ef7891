// api_access.cpp — the ONE table that maps every REST route of /api/v1 onto the access policy
// (core/policy.hpp): which Operation a route is, and on what Resource (the client of a dossier,
// an export or a device-status query; the justification of an AOP read). RegistryApi::handle()
// asks core::decide() with it after authenticating the caller. Default deny: a route missing
// here is refused (the switch has no default, so a new Op does not compile without a row).
#include "app/registry_api.hpp"

namespace aware::app {

std::optional<RegistryApi::Access> RegistryApi::access_of(const Route& r,
                                                          const std::string& justification) {
  using core::Operation;
  Access a;
  a.resource.justified = !justification.empty();
  auto rule = [&a](Operation op, std::string client = {}) {
    a.op = op;
    a.resource.client_id = std::move(client);
    return std::optional<Access>{a};
  };
  switch (r.op) {
    case Op::login:                  // open: how a session starts
    case Op::logout:                 // any signed-in user, on their own session
    case Op::whoami:
    case Op::password_change:        // her own password, proven with the current one
    case Op::console_config:         // the web console's settings (tile URL): nothing personal
    case Op::not_found:              // nothing is disclosed by a 404 / 405
    case Op::not_allowed:
      a.any_user = true;
      return a;
    case Op::list:
    case Op::dc09_links:
      return rule(Operation::registry_read);
    case Op::show:
      // An AOP is a person's record: reading one outside an incident is aop_view (a centralist
      // needs a justification for it); every other record is plain registry data.
      return rule(r.kind == registry::Kind::aop ? Operation::aop_view : Operation::registry_read);
    case Op::create:
    case Op::update:
    case Op::deactivate:
    case Op::import:
    case Op::import_regions:
    case Op::contract_end:
    case Op::dc09_link:
    case Op::dc09_unlink:
      return rule(Operation::registry_write);
    case Op::export_all:
      return rule(Operation::registry_export);
    case Op::subject_export:
      return rule(Operation::registry_export, r.id);
    case Op::dossier:
      return rule(Operation::dossier_read, r.id);
    case Op::test_window_start:
    case Op::test_window_stop:
    case Op::test_windows:
      return rule(Operation::test_window);
    case Op::alerts:
      return rule(Operation::alerts_view);
    case Op::device_status:
      return rule(Operation::device_status, query_param(r.query, "client").value_or(""));
    case Op::contracts:
      return rule(Operation::registry_read);
    case Op::audit_list:
    case Op::audit_verify:
      return rule(Operation::audit_read);
    case Op::region_outlines:        // read-only map data, no personal data: not audited
      return rule(Operation::region_outlines);
    case Op::users_list:
    case Op::user_put:
    case Op::user_deactivate:
      return rule(Operation::users_manage);
  }
  return std::nullopt;
}

}  // namespace aware::app
