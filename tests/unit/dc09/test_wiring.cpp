// test_wiring.cpp — the parts that connect the DC-09 core to awared (issue 9): the [dc09]
// config section and its account table (keys checked with make_key()), the account links and
// the "heard" note in the store (real SQLite) with the communicatie_storing alert of a
// comm-fail report, and xmark-sim's independent transmitter framing
// read by the receiver. Label: dc09.
#include <algorithm>

#include <catch2/catch.hpp>

#include "command.hpp"
#include "core/config.hpp"
#include "dc09/accounts.hpp"
#include "dc09/events.hpp"
#include "dc09/receiver.hpp"
#include "dc09_transmit.hpp"
#include "store/repository.hpp"
#include "temp_dir.hpp"

using namespace aware;

namespace {

constexpr core::TimeMs kT0 = 1'800'000'000'000;

}  // namespace

TEST_CASE("the dc09 section reads addresses and accounts and is off by default", "[dc09]") {
  CHECK_FALSE(core::Config{}.dc09.enabled);
  auto c = core::parse_config(R"([dc09]
enabled = true
tcp_listen = "127.0.0.1:9500"
udp_listen = ""
[[dc09.accounts]]
account = "12ab"
key = "0123456789abcdef"
key_format = "ascii"
window_past_s = 60
crc_includes_cr = true
)", "t.toml");
  REQUIRE(c.has_value());
  CHECK(c->dc09.enabled);
  REQUIRE(c->dc09.tcp_listen);
  CHECK(c->dc09.tcp_listen->port == 9500);
  CHECK_FALSE(c->dc09.udp_listen);
  REQUIRE(c->dc09.accounts.size() == 1);
  CHECK(c->dc09.accounts[0].window_past_s == 60);
  auto table = dc09::AccountTable::build(c->dc09.accounts);
  REQUIRE(table.has_value());
  const auto* a = table->find("12AB");
  REQUIRE(a != nullptr);
  REQUIRE(a->key);
  CHECK(a->key->bytes.size() == 16);
  CHECK(a->window_past_s == 60);
  CHECK(a->quirks.crc_includes_cr);
  CHECK(table->find("9999") == nullptr);
}

TEST_CASE("bad dc09 accounts are config errors naming the account and key", "[dc09]") {
  auto twice = core::parse_config(
      "[[dc09.accounts]]\naccount = \"1\"\n[[dc09.accounts]]\naccount = \"1\"\n", "t.toml");
  REQUIRE_FALSE(twice.has_value());
  CHECK(twice.error().message.find("listed twice") != std::string::npos);
  auto not_hex = core::parse_config("[[dc09.accounts]]\naccount = \"12G\"\n", "t.toml");
  REQUIRE_FALSE(not_hex.has_value());
  CHECK(not_hex.error().key == "dc09.accounts");
  auto unknown = core::parse_config("[[dc09.accounts]]\naccount = \"1\"\nkye = \"x\"\n", "t.toml");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().message.find("unknown key") != std::string::npos);

  auto short_key = core::parse_config("[[dc09.accounts]]\naccount = \"77\"\nkey = \"0011\"\n",
                                      "t.toml");
  REQUIRE(short_key.has_value());  // the core has no AES: make_key() decides
  auto table = dc09::AccountTable::build(short_key->dc09.accounts);
  REQUIRE_FALSE(table.has_value());
  CHECK(table.error().find("account 1 (77): key") != std::string::npos);
}

TEST_CASE("xmark-sim's DC-09 frames are read by the receiver and acked", "[dc09]") {
  dc09::Receiver receiver{[](std::string_view) { return nullptr; }, dc09::AccountConfig{},
                          [](std::span<std::uint8_t> out) { std::fill(out.begin(), out.end(), 7); }};
  const std::string frame = sim::dc09_frame("\"SIA-DCS\"0005L0#4321[#4321|Nri1/PA501][X5.1][Y52.1]");
  REQUIRE(frame.front() == '\n');
  REQUIRE(frame.back() == '\r');
  auto r = receiver.on_frame(std::string_view(frame).substr(1, frame.size() - 2), kT0);
  CHECK(r.decision.reply == dc09::Reply::ack);
  CHECK(r.decision.deliver);
  CHECK(r.meaning.is_alarm());
  CHECK(r.meaning.location.valid());
}

TEST_CASE("DC-09 account links are stored, audited and refused for unknown devices", "[dc09]") {
  testing::TempDir dir;
  store::Repository repo{dir.db()};
  REQUIRE(repo.seed_demo_if_empty(kT0).value());
  const auto account = dc09::normalize_account("12ab");
  CHECK(account == "12AB");
  CHECK(repo.link_dc09_account(account, "XM-NOPE", "pac", kT0).value() == std::nullopt);
  const auto linked = repo.link_dc09_account(account, "XM-DEMO-001", "pac", kT0).value();
  REQUIRE(linked);
  CHECK(linked->account == "12AB");
  CHECK(repo.dc09_device(account).value() == std::optional<std::string>("XM-DEMO-001"));
  // Re-linking moves the account.
  REQUIRE(repo.link_dc09_account(account, "XM-DEMO-002", "pac", kT0 + 1).value());
  CHECK(repo.dc09_device(account).value() == std::optional<std::string>("XM-DEMO-002"));
  CHECK(repo.dc09_links().value().size() == 1);
  CHECK(repo.unlink_dc09_account(account, "pac", kT0 + 2).value());
  CHECK_FALSE(repo.unlink_dc09_account(account, "pac", kT0 + 3).value());
  CHECK(repo.dc09_device(account).value() == std::nullopt);
  const auto audit = repo.audit_rows({.after = 0, .limit = 100}).value();
  const auto links = std::count_if(audit.begin(), audit.end(), [](const core::AuditRow& a) {
    return a.entry.action == "dc09.link";
  });
  CHECK(links == 2);
}

TEST_CASE("a DC-09 battery report through record_heard opens and resolves batterij_laag",
          "[dc09]") {
  testing::TempDir dir;
  store::Repository repo{dir.db()};
  REQUIRE(repo.seed_demo_if_empty(kT0).value());
  REQUIRE(repo.supervision_deadlines(kT0).has_value());
  const auto low = repo.record_heard("XM-DEMO-001", 19U, kT0 + 1000).value();
  REQUIRE(low.alerts.size() == 1);
  CHECK(low.alerts[0].kind == "batterij_laag");
  const auto plain = repo.record_heard("XM-DEMO-001", std::nullopt, kT0 + 2000).value();
  CHECK(plain.alerts.empty());
  CHECK(plain.lost_due_ms.has_value());
  const auto full = repo.record_heard("XM-DEMO-001", 100U, kT0 + 3000).value();
  REQUIRE(full.alerts.size() == 1);
  CHECK(full.alerts[0].state == core::AlertState::resolved);
}

TEST_CASE("DC-09 comm-fail reports map to communicatie_storing open and resolve", "[dc09]") {
  auto of = [](std::string_view token, std::string data) {
    dc09::Content c;
    c.data = std::move(data);
    return dc09::comm_failure(dc09::interpret(token, c));
  };
  CHECK(of("SIA-DCS", "#1234|Nri1/YC001") == std::optional<bool>(true));
  CHECK(of("SIA-DCS", "#1234|Nri1/YK001") == std::optional<bool>(false));
  CHECK(of("ADM-CID", "#1234|1350 01 000") == std::optional<bool>(true));
  CHECK(of("ADM-CID", "#1234|3350 01 000") == std::optional<bool>(false));
  // The last report in the message counts; other technical codes are no comm report.
  CHECK(of("SIA-DCS", "#1234|Nri1/YC001/YK001") == std::optional<bool>(false));
  CHECK_FALSE(of("SIA-DCS", "#1234|Nri1/YT001").has_value());
  CHECK_FALSE(of("ADM-CID", "#1234|1302 01 000").has_value());
  CHECK_FALSE(of("NULL", "").has_value());
}

TEST_CASE("record_heard with a comm fail opens communicatie_storing once and its restore "
          "resolves it",
          "[dc09]") {
  testing::TempDir dir;
  store::Repository repo{dir.db()};
  REQUIRE(repo.seed_demo_if_empty(kT0).value());
  REQUIRE(repo.supervision_deadlines(kT0).has_value());
  const auto fail = repo.record_heard("XM-DEMO-001", std::nullopt, kT0 + 1000, true).value();
  REQUIRE(fail.alerts.size() == 1);
  CHECK(fail.alerts[0].kind == "communicatie_storing");
  CHECK(fail.alerts[0].state == core::AlertState::open);
  CHECK(fail.alerts[0].device_id == "XM-DEMO-001");
  CHECK_FALSE(fail.alerts[0].client_id.empty());
  CHECK(fail.lost_due_ms.has_value());  // still heard
  // A repeated fail adds nothing: one unresolved alert per device and kind.
  CHECK(repo.record_heard("XM-DEMO-001", std::nullopt, kT0 + 2000, true).value().alerts.empty());
  CHECK(repo.unresolved_alerts().value().size() == 1);
  const auto back = repo.record_heard("XM-DEMO-001", std::nullopt, kT0 + 3000, false).value();
  REQUIRE(back.alerts.size() == 1);
  CHECK(back.alerts[0].kind == "communicatie_storing");
  CHECK(back.alerts[0].state == core::AlertState::resolved);
  CHECK(back.alerts[0].resolved_by == "awared");
  CHECK(repo.unresolved_alerts().value().empty());
  // An unlinked account's unknown device: raised without a client, and not supervised.
  const auto unknown = repo.record_heard("DC09-9999", std::nullopt, kT0 + 4000, true).value();
  REQUIRE(unknown.alerts.size() == 1);
  CHECK(unknown.alerts[0].device_id == "DC09-9999");
  CHECK(unknown.alerts[0].client_id.empty());
  CHECK_FALSE(unknown.lost_due_ms.has_value());
}

TEST_CASE("awarectl dc09 commands become requests and bad input is a usage error", "[dc09]") {
  using awarectl::Command;
  using awarectl::Usage;
  auto link = awarectl::parse_command({"dc09", "link", "12ab", "XM-DEMO-001"});
  REQUIRE(std::holds_alternative<Command>(link));
  CHECK(std::get<Command>(link).method == "PUT");
  CHECK(std::get<Command>(link).target == "/api/v1/dc09-accounts/12ab");
  const auto* body = std::get_if<awarectl::InlineBody>(&std::get<Command>(link).body);
  REQUIRE(body != nullptr);
  CHECK(body->json == R"({"device_id":"XM-DEMO-001"})");
  auto unlink = awarectl::parse_command({"dc09", "unlink", "12AB"});
  REQUIRE(std::holds_alternative<Command>(unlink));
  CHECK(std::get<Command>(unlink).target == "/api/v1/dc09-accounts/12AB/unlink");
  auto list = awarectl::parse_command({"dc09", "list"});
  REQUIRE(std::holds_alternative<Command>(list));
  CHECK(std::get<Command>(list).method == "GET");
  for (const auto& bad : std::vector<std::vector<std::string>>{
           {"dc09"}, {"dc09", "link", "12ab"}, {"dc09", "link", "XYZ", "D"},
           {"dc09", "link", "12345678901234567", "D"}, {"dc09", "unlink"}, {"dc09", "drop", "1"}}) {
    auto r = awarectl::parse_command(bad);
    REQUIRE(std::holds_alternative<Usage>(r));
    CHECK_FALSE(std::get<Usage>(r).message.empty());
  }
}
