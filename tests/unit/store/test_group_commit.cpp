// test_group_commit.cpp — group commit (issue 8): Repository::record_activations() records a
// batch of activations in one transaction, each in its own savepoint, and CommitQueue hands the
// store thread every activation waiting at once. Checked on a real SQLite file, the rows read
// back through a second connection: order and effects as one by one, a duplicate inside a batch
// stored once, one refused activation leaving the others, a failed commit failing them all;
// the hooks (BatchHooks) see a batch before its COMMIT, and the ids of a withdrawn batch are
// never handed out again.
#include <catch2/catch.hpp>

#include "lifecycle_support.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/incident.hpp"
#include "store/commit_queue.hpp"
#include "store/repository.hpp"

namespace core = aware::core;
using aware::store::ActivationToRecord;
using aware::store::BatchHooks;
using aware::store::CommitQueue;
using aware::store::RecordEffect;
using aware::store::Repository;
using aware::testing::count;
using aware::testing::press;
using aware::testing::TempDir;

namespace {

constexpr core::TimeMs kWindow = 600'000;
constexpr core::TimeMs kAt = 1'760'000'000'000;

ActivationToRecord job(const std::string& device, std::uint64_t seq) {
  return aware::testing::press_to_record(device, seq, kAt, kWindow);
}

// Runs `sql` on the test's database through a second connection (test-only triggers).
void exec(const TempDir& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(dir.db().c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  INFO((error != nullptr ? error : ""));
  sqlite3_free(error);
  sqlite3_close_v2(db);
  REQUIRE(rc == SQLITE_OK);
}

// A deferred foreign key that a press of XM-LATE breaks: checked only at COMMIT, so the
// COMMIT of any batch holding one fails.
void break_commit_of_late(const TempDir& dir) {
  exec(dir, "CREATE TABLE test_parent(id INTEGER PRIMARY KEY);"
            "CREATE TABLE test_child(parent INTEGER REFERENCES test_parent(id) "
            "DEFERRABLE INITIALLY DEFERRED);"
            "CREATE TRIGGER break_commit AFTER INSERT ON activations "
            "WHEN NEW.device_id = 'XM-LATE' BEGIN INSERT INTO test_child VALUES (42); END;");
}

// Opens incidents for XM-A and XM-B; their ids.
std::pair<std::int64_t, std::int64_t> open_two(Repository& repo) {
  const std::vector<ActivationToRecord> batch{job("XM-A", 1), job("XM-B", 1)};
  auto opened = repo.record_activations(batch);
  REQUIRE(opened[0]);
  REQUIRE(opened[1]);
  return {opened[0]->incident.id, opened[1]->incident.id};
}

}  // namespace

TEST_CASE("a batch records each activation as one by one, in order", "[store][reliability]") {
  TempDir dir;
  Repository repo{dir.db()};
  const std::vector<ActivationToRecord> batch{job("XM-A", 1), job("XM-B", 1), job("XM-A", 2)};
  auto results = repo.record_activations(batch);
  REQUIRE(results.size() == 3);
  for (const auto& r : results) {
    REQUIRE(r);
  }
  CHECK(results[0]->effect == RecordEffect::opened);
  CHECK(results[1]->effect == RecordEffect::opened);
  CHECK(results[2]->effect == RecordEffect::repeated);
  CHECK(results[2]->incident.id == results[0]->incident.id);
  CHECK(results[2]->incident.activation_count == 2);
  CHECK(count(dir, "SELECT count(*) FROM activations") == 3);
  CHECK(count(dir, "SELECT count(*) FROM incidents") == 2);
}

TEST_CASE("a duplicate inside one batch is stored once", "[store][reliability]") {
  TempDir dir;
  Repository repo{dir.db()};
  const std::vector<ActivationToRecord> batch{job("XM-A", 7), job("XM-A", 7)};
  auto results = repo.record_activations(batch);
  REQUIRE(results.size() == 2);
  REQUIRE(results[0]);
  REQUIRE(results[1]);
  CHECK_FALSE(results[0]->duplicate);
  CHECK(results[1]->duplicate);
  CHECK(results[1]->incident.id == results[0]->incident.id);
  CHECK(count(dir, "SELECT count(*) FROM activations") == 1);
}

TEST_CASE("one refused activation leaves the rest of its batch", "[store][reliability]") {
  TempDir dir;
  Repository repo{dir.db()};
  exec(dir, "CREATE TRIGGER refuse_bad BEFORE INSERT ON activations WHEN NEW.device_id = 'XM-BAD' "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
  const std::vector<ActivationToRecord> batch{job("XM-A", 1), job("XM-BAD", 1), job("XM-C", 1)};
  auto results = repo.record_activations(batch);
  REQUIRE(results.size() == 3);
  CHECK(results[0]);
  REQUIRE_FALSE(results[1]);
  CHECK(results[1].error().message.find("refused by the test") != std::string::npos);
  CHECK(results[2]);
  CHECK(count(dir, "SELECT count(*) FROM activations") == 2);
  // The refused one's incident, written before its activation row, went with its savepoint.
  CHECK(count(dir, "SELECT count(*) FROM incidents WHERE device_id = 'XM-BAD'") == 0);
  CHECK(count(dir, "SELECT count(*) FROM incidents") == 2);
}

TEST_CASE("a failed commit fails every activation of the batch", "[store][reliability]") {
  TempDir dir;
  Repository repo{dir.db()};
  break_commit_of_late(dir);
  const std::vector<ActivationToRecord> batch{job("XM-A", 1), job("XM-LATE", 1), job("XM-C", 1)};
  auto results = repo.record_activations(batch);
  REQUIRE(results.size() == 3);
  for (const auto& r : results) {
    CHECK_FALSE(r);
  }
  CHECK(count(dir, "SELECT count(*) FROM activations") == 0);
  CHECK(count(dir, "SELECT count(*) FROM incidents") == 0);
  // The store is usable again at once.
  auto again = repo.record_activation(job("XM-A", 1).activation, job("XM-A", 1).draft, kWindow);
  CHECK(again);
  CHECK(count(dir, "SELECT count(*) FROM activations") == 1);
}

TEST_CASE("the hooks see a batch before its COMMIT; a withdrawn batch's incident ids are not "
          "handed out again",
          "[store][reliability]") {
  TempDir dir;
  Repository repo{dir.db()};
  break_commit_of_late(dir);
  std::vector<std::int64_t> shown;
  std::int64_t committed_when_shown = -1;
  int withdrawn = 0;
  BatchHooks hooks;
  hooks.decided = [&](auto results) {
    committed_when_shown = count(dir, "SELECT count(*) FROM incidents");  // another connection
    for (const auto& r : results) {
      REQUIRE(r);
      shown.push_back(r->incident.id);
    }
    return true;
  };
  hooks.withdrawn = [&](auto results) {
    ++withdrawn;
    CHECK(results.size() == 2);
  };

  const std::vector<ActivationToRecord> failing{job("XM-A", 1), job("XM-LATE", 1)};
  auto failed = repo.record_activations(failing, hooks);
  CHECK_FALSE(failed[0]);
  CHECK_FALSE(failed[1]);
  REQUIRE(shown.size() == 2);
  CHECK(withdrawn == 1);
  CHECK(count(dir, "SELECT count(*) FROM incidents") == 0);
  const auto highest_shown = std::max(shown[0], shown[1]);

  // Without the hooks, in the CommitQueue, and over a batch that opens nothing new: still above.
  const std::vector<ActivationToRecord> next{job("XM-B", 1), job("XM-A", 1)};
  auto stored = repo.record_activations(next);
  REQUIRE(stored[0]);
  REQUIRE(stored[1]);
  CHECK(stored[0]->incident.id > highest_shown);
  CHECK(stored[1]->incident.id > stored[0]->incident.id);
  const std::vector<ActivationToRecord> repeat{job("XM-B", 2)};
  REQUIRE(repo.record_activations(repeat, hooks)[0]);
  CHECK(withdrawn == 1);
  CHECK(shown.back() == stored[0]->incident.id);
  CommitQueue queue{nullptr, hooks};
  auto entry = queue.add(job("XM-C", 1)).entry;
  REQUIRE(queue.record_waiting(repo).done.size() == 1);
  REQUIRE(entry->result);
  auto& c = *entry->result;
  REQUIRE(c);
  CHECK(c->shown);
  CHECK(c->incident.id > stored[1]->incident.id);
  CHECK(shown.back() == c->incident.id);
  CHECK(committed_when_shown == 2);  // shown before the COMMIT: another connection saw 2 of 3
  CHECK(count(dir, "SELECT count(*) FROM incidents") == 3);
  CHECK_FALSE(stored[0]->shown);  // no hooks: the caller shows it after the COMMIT
  CHECK(count(dir, "SELECT count(*) FROM incidents WHERE id <= " +
                       std::to_string(highest_shown)) == 0);
}

TEST_CASE("a decided hook that did not tell the consoles, or threw, is honoured",
          "[store][reliability]") {
  TempDir dir;
  Repository repo{dir.db()};
  break_commit_of_late(dir);
  int withdrawn = 0;
  BatchHooks quiet;
  quiet.decided = [](auto) { return false; };  // the caller shows them after the COMMIT
  quiet.withdrawn = [&](auto) { ++withdrawn; };
  const std::vector<ActivationToRecord> first{job("XM-A", 1)};
  auto stored = repo.record_activations(first, quiet);
  REQUIRE(stored[0]);
  CHECK_FALSE(stored[0]->shown);
  const std::vector<ActivationToRecord> failing{job("XM-B", 1), job("XM-LATE", 1)};
  auto failed = repo.record_activations(failing, quiet);
  CHECK_FALSE(failed[0]);
  CHECK(withdrawn == 0);  // nothing was shown, so nothing is withdrawn

  BatchHooks throwing;
  throwing.decided = [](auto) -> bool { throw std::runtime_error("cannot post"); };
  throwing.withdrawn = [&](auto) { ++withdrawn; };
  const std::vector<ActivationToRecord> second{job("XM-C", 1)};
  auto refused = repo.record_activations(second, throwing);
  REQUIRE(refused.size() == 1);
  CHECK_FALSE(refused[0]);  // rolled back: the device is not acked and retransmits
  CHECK(withdrawn == 1);    // some console may have been told
  CHECK(count(dir, "SELECT count(*) FROM incidents WHERE device_id='XM-C'") == 0);
  CHECK(count(dir, "SELECT count(*) FROM incidents") == 1);
}

TEST_CASE("a drain can take fewer than all that wait, oldest first, and the counts say how far",
          "[store][reliability]") {
  // What Daemon::record_waiting_first() relies on: a store job records exactly the activations
  // queued before it (its ticket, queued() then), none queued after.
  TempDir dir;
  Repository repo{dir.db()};
  CommitQueue queue;
  auto first = queue.add(job("XM-A", 1));
  auto second = queue.add(job("XM-B", 1));
  const auto ticket = queue.queued();
  auto later = queue.add(job("XM-C", 1));  // after the ticket was taken
  CHECK(ticket == 2);
  CHECK(queue.taken() == 0);
  auto batch = queue.record_waiting(repo, ticket - queue.taken());
  REQUIRE(batch.done.size() == 2);
  CHECK(batch.done[0] == first.entry);
  CHECK(batch.done[1] == second.entry);
  CHECK(queue.taken() == ticket);
  CHECK(queue.waiting() == 1);  // XM-C waits for its own drain
  CHECK(batch.more);            // and the caller is told to post one
  CHECK_FALSE(later.entry->result);
  CHECK(count(dir, "SELECT count(*) FROM activations WHERE device_id='XM-C'") == 0);
  CHECK(queue.queued() == 3);
}

TEST_CASE("one drain records every activation waiting, in batches of kMaxBatch",
          "[store][reliability]") {
  TempDir dir;
  Repository repo{dir.db()};
  CommitQueue queue;
  int woken = 0;
  auto first = queue.add(job("XM-A", 1), [&] { ++woken; });
  CHECK(first.start_drain);  // the first one asks for a drain job
  auto second = queue.add(job("XM-B", 1));
  auto third = queue.add(job("XM-A", 2));
  CHECK_FALSE(second.start_drain);  // one is pending already
  CHECK_FALSE(third.start_drain);
  CHECK(queue.waiting() == 3);
  auto batch = queue.record_waiting(repo);
  REQUIRE(batch.done.size() == 3);
  CHECK_FALSE(batch.more);
  CHECK(queue.waiting() == 0);
  CHECK(woken == 0);  // waking is the caller's, once the batch is handed back
  CHECK(batch.done[0] == first.entry);
  CHECK(count(dir, "SELECT count(*) FROM activations") == 3);
  REQUIRE(first.entry->result);
  REQUIRE(*first.entry->result);
  REQUIRE(third.entry->result);
  REQUIRE(*third.entry->result);
  CHECK((*third.entry->result)->effect == RecordEffect::repeated);
  CHECK((*third.entry->result)->incident.id == (*first.entry->result)->incident.id);
  REQUIRE(second.entry->result);
  REQUIRE(*second.entry->result);
  CHECK((*second.entry->result)->effect == RecordEffect::opened);
  batch.done[0]->wake();
  CHECK(woken == 1);

  // Drained: the next one asks for a new drain. More than a batch waiting: `more` says so.
  std::vector<CommitQueue::Added> many;
  for (std::uint64_t seq = 1; seq <= CommitQueue::kMaxBatch + 1; ++seq) {
    many.push_back(queue.add(job("XM-C", seq)));
  }
  CHECK(many[0].start_drain);
  CHECK_FALSE(many[1].start_drain);
  auto full = queue.record_waiting(repo);
  CHECK(full.done.size() == CommitQueue::kMaxBatch);
  CHECK(full.more);
  CHECK_FALSE(many.back().entry->result);
  CHECK_FALSE(queue.add(job("XM-D", 1)).start_drain);  // the drain goes on: none is started
  auto rest = queue.record_waiting(repo);
  CHECK(rest.done.size() == 2);
  CHECK_FALSE(rest.more);
  REQUIRE(many.back().entry->result);
  CHECK(*many.back().entry->result);
  CHECK(queue.add(job("XM-D", 2)).start_drain);
}

TEST_CASE("an activation that arrives while a drain runs asks for its own drain job",
          "[store][reliability]") {
  TempDir dir;
  Repository repo{dir.db()};
  std::optional<CommitQueue::Added> during;
  CommitQueue* self = nullptr;
  BatchHooks hooks;
  hooks.decided = [&](auto) {  // runs inside record_waiting(), as another thread's add() could
    if (!during) {
      during = self->add(job("XM-B", 1));
    }
    return false;
  };
  CommitQueue queue{nullptr, hooks};
  self = &queue;
  REQUIRE(queue.add(job("XM-A", 1)).start_drain);
  auto first = queue.record_waiting(repo);
  REQUIRE(during);
  // Its drain job is queued now, in order with the store jobs that come after it, not only
  // after this drain ends; so this drain does not ask for another.
  CHECK(during->start_drain);
  CHECK_FALSE(first.more);
  CHECK(first.done.size() == 1);
  auto second = queue.record_waiting(repo);
  REQUIRE(second.done.size() == 1);
  CHECK(second.done[0] == during->entry);
  REQUIRE(during->entry->result);
  CHECK(*during->entry->result);
  CHECK_FALSE(second.more);
}

TEST_CASE("a drain job that could not be posted is asked for again", "[store][reliability]") {
  CommitQueue queue;
  REQUIRE(queue.add(job("XM-A", 1)).start_drain);
  CHECK_FALSE(queue.add(job("XM-A", 2)).start_drain);
  queue.drain_not_started();
  CHECK(queue.add(job("XM-A", 3)).start_drain);
}

TEST_CASE("delivery of several incidents is marked in one call, each on its own",
          "[store][reliability]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto [a, b] = open_two(repo);
  // B is marked twice and 999 does not exist: the second mark of B changes nothing, and the
  // unknown id fails alone.
  const std::vector<std::int64_t> ids{a, b, 999, b};
  auto marked = repo.mark_delivered(ids, kAt + 5);
  REQUIRE(marked.size() == 4);
  REQUIRE(marked[0]);
  REQUIRE(marked[1]);
  CHECK(marked[0]->applied);
  CHECK(marked[0]->incident.state == core::IncidentState::delivered);
  CHECK(marked[1]->applied);
  CHECK_FALSE(marked[2]);
  REQUIRE(marked[3]);
  CHECK_FALSE(marked[3]->applied);
  CHECK(count(dir, "SELECT count(*) FROM incidents WHERE state = 2") == 2);
  CHECK(count(dir, "SELECT count(*) FROM incident_events WHERE state = 2") == 2);
}

TEST_CASE("a delivery that fails half-way leaves no trace and the others stand",
          "[store][reliability]") {
  TempDir dir;
  Repository repo{dir.db()};
  const auto [a, b] = open_two(repo);
  // B's state change is written, then its event row is refused: the change must go too.
  exec(dir, "CREATE TRIGGER refuse_event BEFORE INSERT ON incident_events WHEN NEW.incident_id = " +
                std::to_string(b) + " AND NEW.state = 2 "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
  const std::vector<std::int64_t> ids{a, b};
  auto marked = repo.mark_delivered(ids, kAt + 5);
  REQUIRE(marked.size() == 2);
  REQUIRE(marked[0]);
  CHECK(marked[0]->applied);
  CHECK_FALSE(marked[1]);
  CHECK(count(dir, "SELECT state FROM incidents WHERE id = " + std::to_string(a)) == 2);
  CHECK(count(dir, "SELECT state FROM incidents WHERE id = " + std::to_string(b)) == 1);
}
