// test_dc09.cpp — the SIA DC-09 receiver end to end (issue 9): the real awared with [dc09] on
// loopback, xmark-sim's DC-09 transmitter mode (an implementation independent of awared's), the
// meldkamer console and awarectl. A plain panic over TCP and an encrypted one over UDP reach a
// console; the ACK is only sent once the activation is stored; a retransmission is acked but
// dispatched once; a bad CRC gets no answer; a NULL keeps a device's supervision alive; a
// communication fail opens communicatie_storing and its restore resolves it; an
// unknown account's panic is still raised, flagged; awarectl links and unlinks accounts; a TCP
// peer that drips a frame, or sends bytes that make no frame, is closed at its deadline, and
// one that stops reading its ACKs is reset at the write deadline.
// Label: dc09. Every wait ends on the event it waits for (or the harness deadline).
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <regex>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "raw_clients.hpp"

using namespace aware::systest;
using nlohmann::json;

namespace {

constexpr const char* kKey = "000102030405060708090A0B0C0D0E0F";  // AES-128, account 5678

struct Dc09Ports {
  std::uint16_t tcp = 0;
  std::uint16_t udp = 0;
};

// The fixture writes the [tls] lines just before [store]: the [dc09] tables go after them.
// `dc09_lines`: more [dc09] settings, e.g. "frame_timeout_s = 1\n".
AwaredOptions dc09_options(std::string supervision = {}, const std::string& dc09_lines = {}) {
  AwaredOptions o;
  o.supervision_toml = std::move(supervision);
  o.tls_toml = std::string("insecure_dev = true\n[dc09]\nenabled = true\n") + dc09_lines +
               "tcp_listen = \"127.0.0.1:0\"\nudp_listen = \"127.0.0.1:0\"\n"
               "[[dc09.accounts]]\naccount = \"5678\"\nkey = \"" +
               kKey + "\"\n";
  return o;
}

// The DC-09 ports awared bound, from its ready line (AWR-1004, logged before READY=1).
Dc09Ports dc09_ports(const Awared& awared) {
  static const std::regex re{R"(dc09 tcp on 127\.0\.0\.1:(\d+), udp on 127\.0\.0\.1:(\d+))"};
  const std::string all = log_text(awared);
  std::smatch m;
  if (!std::regex_search(all, m, re)) {
    throw std::runtime_error("no DC-09 ports in awared's ready line; see " +
                             awared.log_file().string());
  }
  return {static_cast<std::uint16_t>(std::stoi(m[1])), static_cast<std::uint16_t>(std::stoi(m[2]))};
}

struct Sent {
  int exit_code = -1;
  json reply;  // {"reply":"ACK"|"NAK"|"DUH"|"none","encrypted":…,"opened":…,"raw":…}
};

// Runs `xmark-sim dc09 --json --server 127.0.0.1:PORT ARGS` and waits for it.
Sent transmit(const TempDir& dir, std::uint16_t port, std::vector<std::string> args) {
  std::vector<std::string> argv{xmark_sim_bin(), "dc09", "--json", "--server",
                                "127.0.0.1:" + std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  Process sim{argv, {}, dir.path() / "xmark-sim-dc09.log"};
  Sent out;
  if (auto line = sim.read_line()) {
    out.reply = json::parse(*line, nullptr, false);
  }
  if (auto status = sim.wait(); status && WIFEXITED(*status)) {
    out.exit_code = WEXITSTATUS(*status);
  }
  return out;
}

std::string count(const Awared& d, const std::string& table, const std::string& where) {
  return query_one(d.db(), "SELECT count(*) FROM " + table + " WHERE " + where);
}

bool has_flag(const json& inc, const std::string& flag) {
  const auto& flags = inc["flags"];
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

// Links the DC-09 `account` to `device` with awarectl; true when awarectl succeeded.
bool link(const TempDir& dir, const Awared& awared, const std::string& account,
          const std::string& device) {
  return awarectl(dir, awared.meldkamer_port(), {"dc09", "link", account, device}).exit_code == 0;
}

// awared with [dc09] on, `account` linked to `device`, and a console that has synced.
struct Rig {
  Rig(const std::string& account, const std::string& device)
      : awared{dir, dc09_options()}, ports{dc09_ports(awared)} {
    REQUIRE(link(dir, awared, account, device));
    console.wait_synced();
  }
  TempDir dir;
  Awared awared;
  Dc09Ports ports;
  Console console{dir, awared.meldkamer_port()};
};

bool http_ok(const std::string& reply) {
  return reply.rfind("HTTP/1.1 200", 0) == 0 || reply.rfind("HTTP/1.1 201", 0) == 0;
}

// Sends `bytes` one at a time, `every` apart, until awared closes the connection; returns how
// many it took (all of them when awared kept it open).
std::size_t drip_until_closed(RawConnection& conn, const std::string& bytes,
                              std::chrono::milliseconds every) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    conn.send(bytes.substr(sent++, 1));
    if (conn.closed_by_peer(every)) {
      return sent;
    }
  }
  return sent;
}

// After a drip that awared cut off: the receiver still answers a NULL, and that answer comes
// after awared logged which deadline `conn` passed (`why`, as AWR-8003 says it).
void check_cut_off(const TempDir& dir, const Awared& awared, std::uint16_t tcp_port,
                   const RawConnection& conn, const std::string& why) {
  CHECK(transmit(dir, tcp_port, {"--account", "1234", "--null"}).exit_code == 0);
  CHECK(log_text(awared).find("AWR-8003 DC-09 connection 127.0.0.1:" +
                              std::to_string(conn.local_port()) +
                              " (tcp) passed its read deadline (" + why + ")") !=
        std::string::npos);
}

// `options` with GET /metrics open to kMetricsToken (its token file in `dir`).
constexpr const char* kMetricsToken = "metrics-token-0123456789abcdef";
AwaredOptions with_metrics(const TempDir& dir, AwaredOptions options) {
  std::ofstream{dir.path() / "metrics.token"} << kMetricsToken << "\n";
  options.metrics_toml = "token_file = \"" + (dir.path() / "metrics.token").string() + "\"";
  return options;
}

// GET /metrics of an awared started with with_metrics().
std::string metrics_of(const Awared& awared) {
  return http_raw(awared.meldkamer_port(), "GET", "/metrics", "",
                  {"Authorization: Bearer " + std::string(kMetricsToken)});
}

// A plain DC-09 frame of `message` as a transmitter frames it: LF, the CRC-16/ARC of the
// message, its length (0LLL, hex), the message, CR.
std::string dc09_frame(const std::string& message) {
  std::uint16_t crc = 0;
  for (const unsigned char c : message) {
    crc = static_cast<std::uint16_t>(crc ^ c);
    for (int bit = 0; bit < 8; ++bit) {
      crc = static_cast<std::uint16_t>((crc & 1U) != 0 ? (crc >> 1) ^ 0xA001U : crc >> 1);
    }
  }
  char head[16];
  std::snprintf(head, sizeof head, "\n%04X%04zX", static_cast<unsigned>(crc), message.size());
  return head + message + "\r";
}

}  // namespace

TEST_CASE("a plain DC-09 panic over TCP reaches a console and is acked after its commit",
          "[system][dc09]") {
  Rig rig{"1234", "XM-DEMO-001"};
  auto& [dir, awared, ports, console] = rig;

  const auto sent = transmit(dir, ports.tcp, {"--account", "1234", "--seq", "0001", "--sia",
                                              "Nri1/PA501", "--x", "5.1215", "--y", "52.0908",
                                              "--audio", "+31301234567"});
  REQUIRE(sent.exit_code == 0);
  CHECK(sent.reply["reply"] == "ACK");
  CHECK(sent.reply["encrypted"] == false);
  // The ACK came only after the commit: the activation is in the database already.
  CHECK(count(awared, "activations", "device_id='XM-DEMO-001'") == "1");

  const auto inc = console.wait_incident("XM-DEMO-001");
  REQUIRE(inc);
  CHECK((*inc)["priority"] == "PRIORITY_SPOED");
  CHECK((*inc)["position"]["lat"].get<double>() == Approx(52.0908));
  CHECK((*inc)["position"]["lon"].get<double>() == Approx(5.1215));
  CHECK_FALSE(has_flag(*inc, "INCIDENT_FLAG_UNKNOWN_DEVICE"));
  CHECK(inc->dump().find("+31301234567") != std::string::npos);  // [V] → the audio channel
}

TEST_CASE("an encrypted DC-09 panic over UDP is acked encrypted and reaches a console",
          "[system][dc09]") {
  Rig rig{"5678", "XM-DEMO-002"};
  auto& [dir, awared, ports, console] = rig;

  const auto sent = transmit(dir, ports.udp, {"--udp", "--account", "5678", "--seq", "0042",
                                              "--cid", "1120 01 015", "--key", kKey});
  REQUIRE(sent.exit_code == 0);
  CHECK(sent.reply["reply"] == "ACK");
  CHECK(sent.reply["encrypted"] == true);
  CHECK(sent.reply["opened"] == true);  // the ACK opens with the account's key
  const auto inc = console.wait_incident("XM-DEMO-002");
  REQUIRE(inc);
  CHECK((*inc)["priority"] == "PRIORITY_SPOED");

  // The same account with its clock 5 minutes off: NAK (plain), nothing stored.
  const auto late = transmit(dir, ports.udp, {"--udp", "--account", "5678", "--seq", "0043",
                                              "--cid", "1120 01 015", "--key", kKey,
                                              "--clock-offset-s", "-300"});
  CHECK(late.exit_code == 3);
  CHECK(late.reply["reply"] == "NAK");
  CHECK(late.reply["encrypted"] == false);
  CHECK(count(awared, "activations", "device_id='XM-DEMO-002'") == "1");
}

TEST_CASE("a DC-09 retransmission is acked again but dispatched once", "[system][dc09]") {
  TempDir dir;
  Awared awared{dir, dc09_options()};
  const auto ports = dc09_ports(awared);
  REQUIRE(link(dir, awared, "1234", "XM-DEMO-001"));
  const std::vector<std::string> message{"--account", "1234", "--seq", "0007", "--sia",
                                         "Nri1/PA501"};
  const auto first = transmit(dir, ports.tcp, message);
  const auto again = transmit(dir, ports.tcp, message);
  const auto over_udp = transmit(dir, ports.udp, [&] {
    auto m = message;
    m.push_back("--udp");
    return m;
  }());
  CHECK(first.exit_code == 0);
  CHECK(again.exit_code == 0);
  CHECK(over_udp.exit_code == 0);
  CHECK(again.reply["reply"] == "ACK");
  CHECK(count(awared, "activations", "device_id='XM-DEMO-001'") == "1");
  // The next sequence number is a new message.
  CHECK(transmit(dir, ports.tcp, {"--account", "1234", "--seq", "0008", "--sia", "Nri1/PA501"})
            .exit_code == 0);
  CHECK(count(awared, "activations", "device_id='XM-DEMO-001'") == "2");
}

TEST_CASE("a DC-09 frame with a bad CRC gets no answer and stores nothing", "[system][dc09]") {
  TempDir dir;
  Awared awared{dir, with_metrics(dir, dc09_options())};
  const auto ports = dc09_ports(awared);
  const auto tcp = transmit(dir, ports.tcp, {"--account", "1234", "--sia", "Nri1/PA501",
                                             "--corrupt-crc", "--timeout-ms", "1500"});
  CHECK(tcp.exit_code == 1);
  CHECK(tcp.reply["reply"] == "none");
  const auto udp = transmit(dir, ports.udp, {"--udp", "--account", "1234", "--sia",
                                             "Nri1/PA501", "--corrupt-crc", "--timeout-ms",
                                             "1500"});
  CHECK(udp.exit_code == 1);
  CHECK(count(awared, "activations", "1") == "0");
  // The receiver is still there for a good frame.
  CHECK(transmit(dir, ports.tcp, {"--account", "1234", "--null"}).exit_code == 0);
  // /metrics counts the answers (each counted before it is sent): none twice, one ACK.
  const auto metrics = metrics_of(awared);
  CHECK(metrics.find("\nawared_dc09_replies_total{reply=\"none\"} 2\n") != std::string::npos);
  CHECK(metrics.find("\nawared_dc09_replies_total{reply=\"ack\"} 1\n") != std::string::npos);
  CHECK(metrics.find("\nawared_dc09_replies_total{reply=\"nak\"} 0\n") != std::string::npos);
}

TEST_CASE("a DC-09 TCP peer that stops reading its ACKs is reset at frame_timeout_s",
          "[system][dc09]") {
  TempDir dir;
  Awared awared{dir, with_metrics(dir, dc09_options({}, "idle_timeout_s = 600\n"
                                                       "frame_timeout_s = 1\n"))};
  const auto ports = dc09_ports(awared);
  // NULL link tests, each answered with an ACK, sent in batches by a peer that reads nothing
  // (64 KiB receive window): the ACKs fill its window and awared's send buffer, a write of
  // awared's stalls, and frame_timeout_s later awared resets the connection.
  RawConnection deaf{ports.tcp, 65536};
  std::string batch;
  for (int i = 0; i < 100; ++i) {
    batch += dc09_frame("\"NULL\"0001L0#1234[]");
  }
  std::size_t sent = 0;
  auto result = RawConnection::Sent::all;
  while (result == RawConnection::Sent::all && sent < 1'000'000) {
    result = deaf.send_within(batch);
    sent += result == RawConnection::Sent::all ? 100 : 0;
  }
  CHECK(result == RawConnection::Sent::closed);  // reset, not a full buffer at the deadline
  // The ACKs awared wrote (counted before each is sent) until one stalled: what the peer's
  // window and awared's fixed send buffer hold, ~35 bytes each. With the kernel's send-buffer
  // autotuning (up to 4 MiB) it took ~150,000.
  static const std::regex acks_re{"\nawared_dc09_replies_total\\{reply=\"ack\"\\} (\\d+)\n"};
  const std::string metrics = metrics_of(awared);
  std::smatch acks;
  REQUIRE(std::regex_search(metrics, acks, acks_re));
  std::cout << "DC-09 deaf peer: " << sent << " NULLs sent, " << acks[1]
            << " ACKs written before awared reset the connection" << std::endl;
  CHECK(std::stol(acks[1]) < 20'000);
  CHECK(log_text(awared).find("AWR-8015 closing DC-09 connection 127.0.0.1:" +
                              std::to_string(deaf.local_port()) +
                              " (tcp): the transmitter did not take a reply within "
                              "frame_timeout_s (1 s)") != std::string::npos);
  // The receiver still answers others.
  CHECK(transmit(dir, ports.tcp, {"--account", "1234", "--null"}).exit_code == 0);
}

TEST_CASE("a DC-09 TCP peer that drips a frame is closed at frame_timeout_s, counted from its "
          "first byte", "[system][dc09]") {
  TempDir dir;
  Awared awared{dir, dc09_options({}, "idle_timeout_s = 600\nframe_timeout_s = 1\n")};
  const auto ports = dc09_ports(awared);
  RawConnection drip{ports.tcp};
  // A frame's LF, CRC and length (0x258 bytes), then its body one byte every 100 ms: the 1 s
  // frame deadline allows about ten of the 600.
  drip.send("\nABCD0258");
  const std::string body(600, 'x');
  const auto sent = drip_until_closed(drip, body, std::chrono::milliseconds(100));
  INFO("body bytes dripped before awared closed the connection: " << sent);
  CHECK(sent < body.size());
  check_cut_off(dir, awared, ports.tcp, drip, "a begun frame is not complete");
}

TEST_CASE("bytes that make no readable DC-09 frame do not keep a TCP connection past "
          "idle_timeout_s", "[system][dc09]") {
  TempDir dir;
  Awared awared{dir, dc09_options({}, "idle_timeout_s = 2\n")};
  const auto ports = dc09_ports(awared);
  RawConnection noise{ports.tcp};
  // Garbage and empty frames (LF CR: complete, but unreadable, dropped with AWR-8004), one
  // byte every 100 ms: none of it is a frame the receiver can read, so the 2 s idle deadline
  // from the connect stands.
  std::string garbage;
  while (garbage.size() < 600) {
    garbage += "g\n\r";
  }
  const auto sent = drip_until_closed(noise, garbage, std::chrono::milliseconds(100));
  INFO("noise bytes sent before awared closed the connection: " << sent);
  CHECK(sent < garbage.size());
  check_cut_off(dir, awared, ports.tcp, noise, "no complete frame in time");
}

TEST_CASE("DC-09 NULL messages keep the linked device's supervision alive", "[system][dc09]") {
  TempDir dir;
  Awared awared{dir, dc09_options("grace_percent = 0\ngrace_s = 0\n")};
  const auto ports = dc09_ports(awared);
  REQUIRE(link(dir, awared, "ABCD", "XM-DEMO-001"));
  Centralist pac{awared.meldkamer_port(), "pac-1", "/ws/pac"};
  REQUIRE(pac.next());
  REQUIRE(http_ok(http_send(awared.meldkamer_port(), "PUT", "/api/v1/devices/XM-DEMO-001",
                            R"({"id":"XM-DEMO-001","client_id":"C-001","heartbeat_interval_s":1})")));
  auto alert = [](const std::string& state) {
    return [state](const json& f) {
      return f.contains("update") && f["update"]["alert"]["kind"] == "verbinding_verloren" &&
             f["update"]["alert"]["deviceId"] == "XM-DEMO-001" &&
             f["update"]["alert"]["state"] == state;
    };
  };
  REQUIRE(pac.wait_for(alert("ALERT_STATE_OPEN")));
  const auto null = transmit(dir, ports.tcp, {"--account", "ABCD", "--null"});
  REQUIRE(null.exit_code == 0);
  CHECK(null.reply["reply"] == "ACK");
  // The NULL counted as a heartbeat: the lost alert is resolved.
  REQUIRE(pac.wait_for(alert("ALERT_STATE_RESOLVED")));
}

TEST_CASE("a DC-09 communication fail opens communicatie_storing and its restore resolves it",
          "[system][dc09]") {
  TempDir dir;
  Awared awared{dir, dc09_options()};
  const auto ports = dc09_ports(awared);
  REQUIRE(link(dir, awared, "ABCD", "XM-DEMO-001"));
  Centralist pac{awared.meldkamer_port(), "pac-1", "/ws/pac"};
  REQUIRE(pac.next());
  auto alert = [](const std::string& device, const std::string& state) {
    return [device, state](const json& f) {
      return f.contains("update") && f["update"]["alert"]["kind"] == "communicatie_storing" &&
             f["update"]["alert"]["deviceId"] == device && f["update"]["alert"]["state"] == state;
    };
  };
  const std::string open_row = "kind='communicatie_storing' AND state=1 AND device_id=";
  const auto fail = transmit(dir, ports.tcp, {"--account", "ABCD", "--sia", "Nri1/YC001"});
  REQUIRE(fail.exit_code == 0);
  CHECK(fail.reply["reply"] == "ACK");
  // Stored before the ACK, then pushed to the PAC operator.
  CHECK(count(awared, "alerts", open_row + "'XM-DEMO-001'") == "1");
  REQUIRE(pac.wait_for(alert("XM-DEMO-001", "ALERT_STATE_OPEN")));
  const auto restore = transmit(dir, ports.tcp, {"--account", "ABCD", "--sia", "Nri1/YK001"});
  REQUIRE(restore.exit_code == 0);
  CHECK(restore.reply["reply"] == "ACK");
  CHECK(count(awared, "alerts", open_row + "'XM-DEMO-001'") == "0");
  REQUIRE(pac.wait_for(alert("XM-DEMO-001", "ALERT_STATE_RESOLVED")));
  // An unlinked account's Contact ID 350: raised for the unknown device DC09-<account>.
  const auto cid = transmit(dir, ports.tcp, {"--account", "9999", "--cid", "1350 01 000"});
  REQUIRE(cid.exit_code == 0);
  CHECK(cid.reply["reply"] == "ACK");
  CHECK(count(awared, "alerts", open_row + "'DC09-9999'") == "1");
  REQUIRE(pac.wait_for(alert("DC09-9999", "ALERT_STATE_OPEN")));
}

TEST_CASE("a DC-09 panic from an unknown account is still dispatched, flagged",
          "[system][dc09]") {
  TempDir dir;
  Awared awared{dir, dc09_options()};
  const auto ports = dc09_ports(awared);
  Console console{dir, awared.meldkamer_port()};
  console.wait_synced();
  const auto sent = transmit(dir, ports.tcp, {"--account", "9999", "--sia", "Nri1/HA001"});
  REQUIRE(sent.exit_code == 0);
  const auto inc = console.wait_incident("DC09-9999");
  REQUIRE(inc);
  CHECK((*inc)["priority"] == "PRIORITY_SPOED");
  CHECK(has_flag(*inc, "INCIDENT_FLAG_UNKNOWN_DEVICE"));
  CHECK(has_flag(*inc, "INCIDENT_FLAG_NO_POSITION"));
}

TEST_CASE("awarectl links, lists and unlinks DC-09 accounts and refuses bad input",
          "[system][dc09]") {
  TempDir dir;
  Awared awared{dir, dc09_options()};
  const auto port = awared.meldkamer_port();
  const auto bad_account = awarectl(dir, port, {"dc09", "link", "12G4", "XM-DEMO-001"});
  CHECK(bad_account.exit_code == 2);
  CHECK(bad_account.err.find("hex digits") != std::string::npos);
  const auto no_device = awarectl(dir, port, {"dc09", "link", "1234", "XM-NOPE"});
  CHECK(no_device.exit_code == 1);
  CHECK(no_device.err.find("no device XM-NOPE") != std::string::npos);
  CHECK(count(awared, "dc09_accounts", "1") == "0");

  REQUIRE(awarectl(dir, port, {"dc09", "link", "12ab", "XM-DEMO-003"}).exit_code == 0);
  const auto listed = awarectl(dir, port, {"dc09", "list"});
  REQUIRE(listed.exit_code == 0);
  const auto links = json::parse(listed.out);
  REQUIRE(links.size() == 1);
  CHECK(links[0]["account"] == "12AB");
  CHECK(links[0]["device_id"] == "XM-DEMO-003");
  CHECK(count(awared, "audit", "action='dc09.link' AND subject='dc09:12AB'") == "1");

  REQUIRE(awarectl(dir, port, {"dc09", "unlink", "12AB"}).exit_code == 0);
  CHECK(count(awared, "dc09_accounts", "1") == "0");
  const auto twice = awarectl(dir, port, {"dc09", "unlink", "12AB"});
  CHECK(twice.exit_code == 1);
  CHECK(twice.err.find("not linked") != std::string::npos);
}
