// test_audit_chain.cpp — the pure audit chain (core/audit.hpp): the canonical encoding is
// unambiguous, the hash is SHA-256(prev ‖ canonical) (checked against OpenSSL), and
// verify_audit() names the first modified, deleted, inserted or reordered row — while a
// truncated tail still verifies (the documented limit of a chain alone).
#include <catch2/catch.hpp>

#include <openssl/sha.h>

#include <array>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "core/audit.hpp"

namespace core = aware::core;

namespace {

// A chain of `n` rows with ids 1..n, as awared writes them.
std::vector<core::AuditRow> chain_of(std::int64_t n) {
  std::vector<core::AuditRow> rows;
  std::string prev{core::kAuditGenesis};
  for (std::int64_t id = 1; id <= n; ++id) {
    core::AuditEntry e{id, 1'700'000'000'000 + id * 1000, "centralist-" + std::to_string(id % 3),
                       "dossier.read", "client:C-00" + std::to_string(id), id % 2 ? "" : "incident"};
    rows.push_back(core::audit_chain(prev, std::move(e)));
    prev = rows.back().hash;
  }
  return rows;
}

// Re-links rows[from..] onto each other after a change, as a forger who knows the algorithm.
void rehash_from(std::vector<core::AuditRow>& rows, std::size_t from) {
  for (auto i = from; i < rows.size(); ++i) {
    const std::string prev = i == 0 ? std::string(core::kAuditGenesis) : rows[i - 1].hash;
    rows[i] = core::audit_chain(prev, rows[i].entry);
  }
}

std::string openssl_sha256_hex(const std::string& bytes) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
  std::string hex;
  for (auto b : digest) {
    std::array<char, 3> two{};
    std::snprintf(two.data(), two.size(), "%02x", static_cast<unsigned>(b));
    hex += two.data();
  }
  return hex;
}

// verify_audit(rows) fails at `id` for `problem`.
void check_bad(const std::vector<core::AuditRow>& rows, std::int64_t id,
               core::AuditProblem problem) {
  const auto v = core::verify_audit(rows);
  CHECK_FALSE(v.ok);
  CHECK(v.first_bad_id == id);
  CHECK(v.problem == problem);
  CHECK_FALSE(v.detail.empty());
}

}  // namespace

TEST_CASE("audit canonical encoding keeps field boundaries apart", "[audit]") {
  core::AuditEntry a{1, 5, "ab", "c", "s", ""};
  core::AuditEntry b{1, 5, "a", "bc", "s", ""};
  core::AuditEntry c{1, 5, "ab", "c", "", "s"};
  CHECK(core::audit_canonical(a) != core::audit_canonical(b));
  CHECK(core::audit_canonical(a) != core::audit_canonical(c));
  core::AuditEntry other_id = a;
  other_id.id = 2;
  core::AuditEntry other_time = a;
  other_time.at_ms = 6;
  CHECK(core::audit_canonical(a) != core::audit_canonical(other_id));
  CHECK(core::audit_canonical(a) != core::audit_canonical(other_time));
  CHECK(core::audit_canonical(a) == core::audit_canonical(core::AuditEntry{a}));
}

TEST_CASE("audit hash is SHA-256 of the previous hash and the canonical row", "[audit]") {
  const core::AuditEntry e{1, 1'700'000'000'000, "awared", "registry.create", "client:C-001", ""};
  const auto h1 = core::audit_hash(core::kAuditGenesis, e);
  CHECK(h1.size() == 64);
  CHECK(h1 == openssl_sha256_hex(std::string(core::kAuditGenesis) + core::audit_canonical(e)));
  const core::AuditEntry e2{2, 1'700'000'001'000, "api", "registry.export", "registry", ""};
  CHECK(core::audit_hash(h1, e2) == openssl_sha256_hex(h1 + core::audit_canonical(e2)));
  CHECK(core::audit_chain(h1, e2).prev_hash == h1);
}

TEST_CASE("an intact audit chain verifies and reports its head", "[audit]") {
  const auto empty = core::verify_audit({});
  CHECK(empty.ok);
  CHECK(empty.rows == 0);
  CHECK(empty.head == core::kAuditGenesis);
  const auto rows = chain_of(6);
  const auto v = core::verify_audit(rows);
  CHECK(v.ok);
  CHECK(v.rows == 6);
  CHECK(v.head == rows.back().hash);
  CHECK_FALSE(v.first_bad_id);
}

TEST_CASE("audit verify names a modified field", "[audit]") {
  auto rows = chain_of(6);
  rows[3].entry.subject = "client:C-999";
  check_bad(rows, 4, core::AuditProblem::modified);
}

TEST_CASE("audit verify names a row rewritten with a fresh hash", "[audit]") {
  auto rows = chain_of(6);
  rows[2].entry.actor = "someone-else";
  rows[2] = core::audit_chain(rows[1].hash, rows[2].entry);
  check_bad(rows, 3, core::AuditProblem::modified);
}

TEST_CASE("audit verify names a deleted row by its missing id", "[audit]") {
  auto rows = chain_of(6);
  rows.erase(rows.begin() + 2);
  check_bad(rows, 3, core::AuditProblem::deleted);

  auto headless = chain_of(3);
  headless.erase(headless.begin());
  check_bad(headless, 1, core::AuditProblem::deleted);
}

TEST_CASE("audit verify names an inserted row even when it is hashed correctly", "[audit]") {
  auto rows = chain_of(6);
  // A forger shifts rows 3.. up by one and puts a well-formed row 3 onto row 2.
  for (auto i = 2U; i < rows.size(); ++i) {
    ++rows[i].entry.id;
  }
  rows.insert(rows.begin() + 2,
              core::audit_chain(rows[1].hash, {3, 1'700'000'002'500, "nobody", "dossier.read",
                                               "client:C-002", ""}));
  check_bad(rows, 3, core::AuditProblem::inserted);
}

TEST_CASE("audit verify names two swapped rows as reordered", "[audit]") {
  auto rows = chain_of(6);
  std::swap(rows[2], rows[3]);
  std::swap(rows[2].entry.id, rows[3].entry.id);  // the ids stay in place, the rows move
  check_bad(rows, 3, core::AuditProblem::reordered);
}

TEST_CASE("audit verify cannot see a truncated tail: the rest still verifies", "[audit]") {
  auto rows = chain_of(6);
  rows.resize(4);
  const auto v = core::verify_audit(rows);
  CHECK(v.ok);
  CHECK(v.rows == 4);
  // Only a head hash kept elsewhere reveals it.
  CHECK(v.head != chain_of(6).back().hash);
}

TEST_CASE("audit verify cannot see a chain recomputed from the changed row on", "[audit]") {
  auto rows = chain_of(6);
  rows[1].entry.justification = "changed";
  rehash_from(rows, 1);
  const auto v = core::verify_audit(rows);
  CHECK(v.ok);
  CHECK(v.head != chain_of(6).back().hash);
}

TEST_CASE("audit problems have stable names", "[audit]") {
  CHECK(core::to_string(core::AuditProblem::modified) == "modified");
  CHECK(core::to_string(core::AuditProblem::deleted) == "deleted");
  CHECK(core::to_string(core::AuditProblem::inserted) == "inserted");
  CHECK(core::to_string(core::AuditProblem::reordered) == "reordered");
}

TEST_CASE("a chain verifies from a purge checkpoint recorded in the chain") {
  auto rows = chain_of(6);
  // Row 6 is the purge row that records the checkpoint before row 4.
  rows[5].entry.action = std::string(core::kAuditPurgeAction);
  rows[5].entry.subject = core::audit_purge_subject(4);
  rows[5].entry.justification = "retention: checkpoint prev_hash " + rows[2].hash;
  rehash_from(rows, 5);
  const core::AuditStart start{4, rows[2].hash};
  const std::vector<core::AuditRow> kept(rows.begin() + 3, rows.end());
  const auto v = core::verify_audit(kept, start);
  CHECK(v.ok);
  CHECK(v.first_id == 4);
  CHECK(v.head_id == 6);
  CHECK(v.rows == 3);

  // The same rows from a checkpoint no purge row names: rows were deleted.
  const std::vector<core::AuditRow> fewer(rows.begin() + 4, rows.end());
  const auto moved = core::verify_audit(fewer, core::AuditStart{5, rows[3].hash});
  CHECK_FALSE(moved.ok);
  CHECK(moved.problem == core::AuditProblem::deleted);
  CHECK(moved.first_bad_id == 5);
}

TEST_CASE("an anchor catches a truncated or recomputed chain") {
  auto rows = chain_of(5);
  const core::AuditAnchor at4{4, rows[3].hash};
  CHECK(core::verify_audit(rows, {}, at4).ok);

  auto cut = rows;
  cut.resize(3);
  CHECK(core::verify_audit(cut).ok);  // the chain alone cannot tell
  const auto v = core::verify_audit(cut, {}, at4);
  CHECK_FALSE(v.ok);
  CHECK(v.problem == core::AuditProblem::deleted);

  auto forged = rows;
  forged[1].entry.actor = "someone-else";
  rehash_from(forged, 1);
  CHECK(core::verify_audit(forged).ok);  // recomputed from row 2 on
  const auto f = core::verify_audit(forged, {}, at4);
  CHECK_FALSE(f.ok);
  CHECK(f.problem == core::AuditProblem::modified);
  CHECK(f.first_bad_id == 4);
}

TEST_CASE("audit anchors parse as ID colon 64 hex digits") {
  const std::string hash(64, 'a');
  const auto a = core::parse_audit_anchor("12:" + hash);
  REQUIRE(a);
  CHECK(a->id == 12);
  CHECK(a->hash == hash);
  CHECK_FALSE(core::parse_audit_anchor("0:" + hash));
  CHECK_FALSE(core::parse_audit_anchor("x:" + hash));
  CHECK_FALSE(core::parse_audit_anchor("12:" + hash.substr(1)));
  CHECK_FALSE(core::parse_audit_anchor("12:" + std::string(64, 'G')));
  CHECK_FALSE(core::parse_audit_anchor(hash));
}
