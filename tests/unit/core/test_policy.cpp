// test_policy.cpp — the access policy of core/policy as one table: every role × (own / other
// region or client) × every operation, with the expected decision written out, so a change to
// the policy shows up here as a changed cell. Plus: default deny carries a reason, and role
// names round-trip. Label: security.
#include <catch2/catch.hpp>

#include <array>
#include <set>

#include "core/policy.hpp"

using namespace aware::core;

namespace {

// The six principals × scopes the table's columns stand for.
enum Col { cent_own, cent_other, pac, hv_own, hv_other, adm, kCols };

struct Row {
  Operation op;
  bool justified;                     // the request carries a justification
  std::array<bool, kCols> allowed;    // expected, per column
};

constexpr bool Y = true;
constexpr bool N = false;

// clang-format off
const std::array<Row, 20> kTable{{
  //  operation                      just.   cent_own cent_other pac hv_own hv_other admin
  {Operation::incident_view,         false, {Y,       N,         N,  N,     N,       N}},
  {Operation::incident_gps,          false, {Y,       N,         N,  N,     N,       N}},
  {Operation::incident_accept,       false, {Y,       N,         N,  N,     N,       N}},
  {Operation::incident_close,        false, {Y,       N,         N,  N,     N,       N}},
  {Operation::incident_listen_in,    false, {Y,       N,         N,  N,     N,       N}},
  {Operation::incident_note,         false, {Y,       N,         N,  N,     N,       N}},
  {Operation::region_outlines,       false, {Y,       Y,         Y,  N,     N,       N}},
  {Operation::aop_view,              false, {N,       N,         Y,  N,     N,       N}},
  {Operation::aop_view,              true,  {Y,       Y,         Y,  N,     N,       N}},
  {Operation::registry_read,         false, {N,       N,         Y,  N,     N,       N}},
  {Operation::registry_write,        false, {N,       N,         Y,  N,     N,       N}},
  {Operation::registry_export,       false, {N,       N,         Y,  N,     N,       N}},
  {Operation::dossier_read,          false, {N,       N,         Y,  Y,     N,       N}},
  {Operation::alerts_view,           false, {N,       N,         Y,  N,     N,       N}},
  {Operation::alerts_change,         false, {N,       N,         Y,  N,     N,       N}},
  {Operation::test_window,           false, {N,       N,         Y,  N,     N,       N}},
  {Operation::device_status,         false, {N,       N,         Y,  Y,     N,       N}},
  {Operation::notices_view,          false, {N,       N,         N,  Y,     N,       N}},
  {Operation::audit_read,            false, {N,       N,         N,  N,     N,       Y}},
  {Operation::users_manage,          false, {N,       N,         N,  N,     N,       Y}},
}};
// clang-format on

Principal principal(Col col) {
  Principal p;
  switch (col) {
    case cent_own:
    case cent_other:
      p = {"anna", Role::centralist, {"midden-nederland"}, "", {}};
      break;
    case pac:
      p = {"piet", Role::pac_operator, {}, "", {}};
      break;
    case hv_own:
    case hv_other:
      p = {"els", Role::hulpverlener, {}, "Veilig Thuis Utrecht", {"C-001"}};
      break;
    case adm:
    case kCols:
      p = {"root", Role::admin, {}, "", {}};
      break;
  }
  return p;
}

// What the request is about: in the principal's own region/client, or another one.
Resource resource(Col col, bool justified) {
  const bool own = col != cent_other && col != hv_other;
  return Resource{own ? "midden-nederland" : "amsterdam", own ? "C-001" : "C-003", justified};
}

}  // namespace

TEST_CASE("the policy table: every role, scope and operation", "[security][policy]") {
  constexpr std::array<const char*, kCols> kNames{"centralist own region", "centralist other region",
                                                 "pac_operator", "hulpverlener own client",
                                                 "hulpverlener other client", "admin"};
  for (const auto& row : kTable) {
    for (int c = 0; c < kCols; ++c) {
      const auto col = static_cast<Col>(c);
      const auto d = decide(principal(col), row.op, resource(col, row.justified));
      INFO(to_string(row.op) << (row.justified ? " (justified)" : "") << " by " << kNames[c]);
      CHECK(d.allowed == row.allowed[c]);
      if (!d.allowed) {
        CHECK_FALSE(d.reason.empty());  // a refusal always says why (for the reply and audit)
      }
    }
  }
}

TEST_CASE("the policy table covers every operation", "[security][policy]") {
  std::set<std::string_view> covered;
  for (const auto& row : kTable) {
    covered.insert(to_string(row.op));
  }
  CHECK(covered.size() == static_cast<std::size_t>(Operation::users_manage) + 1);
}

TEST_CASE("a centralist with no regions, or an incident with no region, is refused",
          "[security][policy]") {
  Principal nobody{"x", Role::centralist, {}, "", {}};
  CHECK_FALSE(decide(nobody, Operation::incident_view, {"midden-nederland", "", false}).allowed);
  Principal anna{"anna", Role::centralist, {"midden-nederland"}, "", {}};
  CHECK_FALSE(decide(anna, Operation::incident_gps, {"", "", false}).allowed);
}

TEST_CASE("a hulpverlener never gets a position, not even of their own client",
          "[security][policy]") {
  Principal els{"els", Role::hulpverlener, {}, "VT", {"C-001"}};
  const auto d = decide(els, Operation::incident_gps, {"midden-nederland", "C-001", true});
  CHECK_FALSE(d.allowed);
  CHECK(d.reason.find("hulpverlener") != std::string::npos);
}

TEST_CASE("role names round-trip and unknown names are refused", "[security][policy]") {
  for (auto r : {Role::centralist, Role::pac_operator, Role::hulpverlener, Role::admin}) {
    CHECK(role_from(to_string(r)) == r);
  }
  CHECK_FALSE(role_from("root"));
  CHECK_FALSE(role_from(""));
}
