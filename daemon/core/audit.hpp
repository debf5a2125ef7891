// audit.hpp — the audit log's hash chain (issue 6 item 4), pure: no I/O, no clock, no SQLite.
// Every consultation or change of personal data writes one audit row (who, when, what, why);
// each row carries the hash of the row before it and its own hash:
//   h_0 = 64 × '0',  h_n = SHA-256(h_{n-1} ‖ canonical(row_n))
// where h_{n-1} enters as its 64 lowercase hex characters and canonical() is an unambiguous
// byte encoding of the row's fields. store/audit_rows.cpp writes and reads the rows; this file
// computes hashes and verifies a chain read back in id order.
//
// What the chain can and cannot tell (see docs/architecture.md, "Audit log"): a modified,
// deleted, inserted or reordered row is detected unless every later row was rewritten too. A
// truncated tail (the newest rows deleted) leaves a valid, shorter chain and is NOT detectable
// from the rows alone; neither is a chain recomputed from scratch (the hash has no key). Keep
// the head hash (AuditVerdict::head, `awarectl audit head`) elsewhere — an AuditAnchor — and
// verify against it to detect those.
//
// Retention: the oldest rows may be purged ([retention] audit_days). The purge first appends an
// `audit.purge` row naming the first row kept and the hash before it (the checkpoint), then
// deletes the rows before it; verification starts at the checkpoint (AuditStart) and requires
// that purge row in the chain, so a checkpoint cannot be moved without rewriting the chain.
//
// Error policy: nothing throws; verify_audit() reports the first problem as a value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace aware::core {

// The hash before the first row: 64 zeros.
inline constexpr std::string_view kAuditGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

// What an audit row says: who did what to which subject, when, and why.
struct AuditEntry {
  std::int64_t id = 0;          // 1, 2, 3 … in the order the rows were written
  TimeMs at_ms = 0;             // when it happened
  std::string actor;            // a user/console name, "api", or "awared"
  std::string action;           // e.g. registry.update, dossier.read, incident.listen_in
  std::string subject;          // e.g. client:C-001, incident:M-000042, aop:AOP-1
  std::string justification;    // why (may be empty); for action "refused": why it was refused
};

// An entry as stored, with its place in the chain.
struct AuditRow {
  AuditEntry entry;
  std::string prev_hash;        // hash of the row before (kAuditGenesis for the first), hex
  std::string hash;             // audit_hash(prev_hash, entry), hex
};

// A listing of the audit log (GET /api/v1/audit): the rows with after < id < before that match
// every filter given, oldest first (or newest first), at most `limit` of them.
struct AuditQuery {
  std::int64_t after = 0;
  std::optional<std::int64_t> before;
  std::string actor;    // exact match when not empty
  std::string action;   // exact match when not empty
  std::string subject;  // exact match when not empty
  bool newest_first = false;
  std::size_t limit = 100;
};

// The query in words, for the listing's own audit row: "after 0", "newest first, before 812,
// actor="pac-jan", subject="client:C-001"" (values in double quotes, '"' and '\' escaped
// with a backslash).
[[nodiscard]] std::string describe(const AuditQuery& query);

// The unambiguous byte encoding of an entry: a version tag, id and at_ms as 8-byte big-endian
// two's complement, then actor, action, subject and justification each as a 4-byte big-endian
// length followed by its bytes. Two different entries never encode the same.
[[nodiscard]] std::string audit_canonical(const AuditEntry& entry);

// SHA-256(prev_hash ‖ audit_canonical(entry)) as 64 lowercase hex characters.
[[nodiscard]] std::string audit_hash(std::string_view prev_hash, const AuditEntry& entry);

// Chains `entry` onto `prev_hash` (the last row's hash, or kAuditGenesis).
[[nodiscard]] AuditRow audit_chain(std::string_view prev_hash, AuditEntry entry);

// Why a chain does not verify.
enum class AuditProblem {
  none,
  modified,    // a row's contents or hash no longer match (or a row was rewritten with a new hash)
  deleted,     // a row is missing: the ids jump (first_bad_id is the missing id)
  inserted,    // a row was added between rows that chain onto each other
  reordered,   // a row chains onto a row that comes after it
};
[[nodiscard]] std::string_view to_string(AuditProblem problem);

// Where a chain read back starts: the first row ever (id 1, onto the genesis hash) or, after a
// purge, the first row kept and the hash of the purged row before it.
struct AuditStart {
  std::int64_t first_id = 1;
  std::string prev_hash{kAuditGenesis};
};

// The row a purge appends before it deletes everything before `start.first_id`.
inline constexpr std::string_view kAuditPurgeAction = "audit.purge";
[[nodiscard]] std::string audit_purge_subject(std::int64_t first_kept_id);  // "audit:before:<id>"

// A head kept outside awared: row `id` had hash `hash` when it was noted.
struct AuditAnchor {
  std::int64_t id = 0;
  std::string hash;
};
// "ID:HASH" (HASH 64 hex digits) -> anchor; nullopt when malformed.
[[nodiscard]] std::optional<AuditAnchor> parse_audit_anchor(std::string_view text);

struct AuditVerdict {
  bool ok = true;
  std::int64_t rows = 0;                      // rows examined
  std::optional<std::int64_t> first_bad_id;   // the first row found bad (ok == false)
  AuditProblem problem = AuditProblem::none;
  std::string detail;                         // one sentence for operators
  std::string head;                           // hash of the last row (kAuditGenesis: none)
  std::int64_t head_id = 0;                   // id of the last row (0: none)
  std::int64_t first_id = 1;                  // the first row kept (> 1 after a purge)
};

// Verifies a whole chain given in ascending id order, starting at `start` (by default the first
// row ever written). Reports the first problem met, classified as described at AuditProblem.
// After a purge (start.first_id > 1) the chain must contain the purge row for that checkpoint.
// With an anchor, the row it names must still be there with the anchored hash: a chain that
// ends before it was truncated (problem `deleted`), a different hash means rewritten
// (`modified`). An anchor on a purged row cannot be checked and is noted in the detail.
[[nodiscard]] AuditVerdict verify_audit(const std::vector<AuditRow>& rows,
                                        const AuditStart& start = {},
                                        const std::optional<AuditAnchor>& anchor = std::nullopt);

}  // namespace aware::core
