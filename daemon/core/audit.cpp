// audit.cpp — canonical encoding, hashing and verification of the audit chain (see audit.hpp).
// SHA-256 comes from libsodium.
#include "core/audit.hpp"

#include <sodium.h>

#include <array>
#include <charconv>
#include <unordered_map>
#include <utility>

namespace aware::core {
namespace {

constexpr std::string_view kCanonicalTag = "awared-audit-v1";

void put_u64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xffU));
  }
}

void put_text(std::string& out, std::string_view text) {
  const auto n = static_cast<std::uint32_t>(text.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xffU));
  }
  out.append(text);
}

// What verify_audit() reports for the first bad row.
AuditVerdict bad(std::int64_t rows, std::int64_t id, AuditProblem problem, std::string detail) {
  AuditVerdict v;
  v.ok = false;
  v.rows = rows;
  v.first_bad_id = id;
  v.problem = problem;
  v.detail = std::move(detail);
  return v;
}

// Classifies the break at position `i`, whose prev_hash is not the hash of the row before it.
AuditVerdict classify_broken_link(const std::vector<AuditRow>& rows, std::size_t i,
                                  bool self_ok, std::string_view start_hash) {
  const auto n = static_cast<std::int64_t>(rows.size());
  const auto& r = rows[i];
  const auto id = r.entry.id;
  std::unordered_map<std::string_view, std::size_t> position;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    position.emplace(rows[k].hash, k);
  }
  const auto found = position.find(r.prev_hash);
  if (found != position.end() && found->second > i) {
    return bad(n, id, AuditProblem::reordered,
               "row " + std::to_string(id) + " chains onto row " +
                   std::to_string(rows[found->second].entry.id) + ", which comes after it");
  }
  // It chains onto an earlier row than its predecessor (or the start): what lies between was
  // added.
  const bool onto_start = r.prev_hash == start_hash && i > 0;
  if (onto_start || (found != position.end() && found->second + 1 < i)) {
    const auto first_added = onto_start ? std::size_t{0} : found->second + 1;
    const auto added = rows[first_added].entry.id;
    return bad(n, added, AuditProblem::inserted,
               "row " + std::to_string(added) + " was inserted: row " + std::to_string(id) +
                   " chains onto the row before it");
  }
  if (self_ok && i > 0) {
    const auto before = rows[i - 1].entry.id;
    return bad(n, before, AuditProblem::modified,
               "row " + std::to_string(before) + " was rewritten: row " + std::to_string(id) +
                   " recorded a different hash for it");
  }
  return bad(n, id, AuditProblem::modified,
             "row " + std::to_string(id) + " does not chain onto the row before it");
}

}  // namespace

std::string audit_canonical(const AuditEntry& e) {
  std::string out;
  out.reserve(kCanonicalTag.size() + 32 + e.actor.size() + e.action.size() + e.subject.size() +
              e.justification.size());
  put_text(out, kCanonicalTag);
  put_u64(out, static_cast<std::uint64_t>(e.id));
  put_u64(out, static_cast<std::uint64_t>(e.at_ms));
  put_text(out, e.actor);
  put_text(out, e.action);
  put_text(out, e.subject);
  put_text(out, e.justification);
  return out;
}

std::string audit_hash(std::string_view prev_hash, const AuditEntry& entry) {
  const auto canonical = audit_canonical(entry);
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(prev_hash.data()),
                            prev_hash.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(canonical.data()),
                            canonical.size());
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&state, digest.data());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

AuditRow audit_chain(std::string_view prev_hash, AuditEntry entry) {
  AuditRow row;
  row.hash = audit_hash(prev_hash, entry);
  row.prev_hash = std::string(prev_hash);
  row.entry = std::move(entry);
  return row;
}

std::string_view to_string(AuditProblem problem) {
  switch (problem) {
    case AuditProblem::none: return "none";
    case AuditProblem::modified: return "modified";
    case AuditProblem::deleted: return "deleted";
    case AuditProblem::inserted: return "inserted";
    case AuditProblem::reordered: return "reordered";
  }
  return "unknown";
}

AuditVerdict verify_audit(const std::vector<AuditRow>& rows, const AuditStart& start,
                          const std::optional<AuditAnchor>& anchor) {
  const auto n = static_cast<std::int64_t>(rows.size());
  std::string_view expected_prev = start.prev_hash;
  std::int64_t prev_id = start.first_id - 1;
  bool purge_recorded = start.first_id <= 1;
  const auto purge_subject = audit_purge_subject(start.first_id);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const auto id = r.entry.id;
    if (id > prev_id + 1) {
      return bad(n, prev_id + 1, AuditProblem::deleted,
                 "row " + std::to_string(prev_id + 1) + " is missing: the ids jump from " +
                     std::to_string(prev_id) + " to " + std::to_string(id));
    }
    const bool self_ok = audit_hash(r.prev_hash, r.entry) == r.hash;
    const bool link_ok = r.prev_hash == expected_prev;
    if (id != prev_id + 1 || (link_ok && !self_ok)) {
      return bad(n, id, AuditProblem::modified,
                 "row " + std::to_string(id) + ": its hash does not match its contents");
    }
    if (!link_ok) {
      return classify_broken_link(rows, i, self_ok, start.prev_hash);
    }
    purge_recorded = purge_recorded ||
                     (r.entry.action == kAuditPurgeAction && r.entry.subject == purge_subject &&
                      r.entry.justification.find(start.prev_hash) != std::string::npos);
    expected_prev = r.hash;
    prev_id = id;
  }
  if (!purge_recorded) {
    return bad(n, start.first_id, AuditProblem::deleted,
               "rows before " + std::to_string(start.first_id) +
                   " are gone, but no audit.purge row in the chain records that checkpoint");
  }
  AuditVerdict ok;
  ok.rows = n;
  ok.head = std::string(expected_prev);
  ok.head_id = prev_id;
  ok.first_id = start.first_id;
  if (anchor) {
    if (anchor->id > prev_id) {
      return bad(n, prev_id + 1, AuditProblem::deleted,
                 "row " + std::to_string(anchor->id) + " was anchored, but the log ends at row " +
                     std::to_string(prev_id) + ": rows were removed from the end");
    }
    if (anchor->id < start.first_id) {
      ok.detail = "the anchored row " + std::to_string(anchor->id) +
                  " has been purged by retention; it cannot be checked";
    } else {
      const auto& row = rows[static_cast<std::size_t>(anchor->id - start.first_id)];
      if (row.hash != anchor->hash) {
        return bad(n, anchor->id, AuditProblem::modified,
                   "row " + std::to_string(anchor->id) +
                       " does not have the anchored hash: the chain was rewritten");
      }
      ok.detail = "row " + std::to_string(anchor->id) + " matches the anchor";
    }
  }
  return ok;
}

std::string describe(const AuditQuery& q) {
  std::string text = q.newest_first ? "newest first" : "after " + std::to_string(q.after);
  if (q.newest_first && q.after > 0) {
    text += ", after " + std::to_string(q.after);
  }
  if (q.before) {
    text += ", before " + std::to_string(*q.before);
  }
  for (const auto& [name, value] : {std::pair<std::string_view, const std::string&>{"actor", q.actor},
                                    {"action", q.action},
                                    {"subject", q.subject}}) {
    if (!value.empty()) {
      text += ", ";
      text += name;
      text += "=\"";
      for (const char c : value) {  // quoted, so a value cannot pose as another filter
        if (c == '"' || c == '\\') {
          text += '\\';
        }
        text += c;
      }
      text += '"';
    }
  }
  return text;
}

std::string audit_purge_subject(std::int64_t first_kept_id) {
  return "audit:before:" + std::to_string(first_kept_id);
}

std::optional<AuditAnchor> parse_audit_anchor(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return std::nullopt;
  }
  AuditAnchor a;
  const auto id_text = text.substr(0, colon);
  const auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), a.id);
  const auto hash = text.substr(colon + 1);
  if (ec != std::errc{} || end != id_text.data() + id_text.size() || a.id < 1 ||
      hash.size() != kAuditGenesis.size()) {
    return std::nullopt;
  }
  for (char c : hash) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return std::nullopt;
    }
  }
  a.hash = std::string(hash);
  return a;
}

}  // namespace aware::core
