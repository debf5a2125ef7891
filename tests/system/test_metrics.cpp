// test_metrics.cpp — GET /metrics against the real awared (issue 8 part 6): after a device
// activation, a console attached and a bad frame, the Prometheus text counts exactly those;
// and the [metrics] access rule (token, off, a token rotated with SIGHUP). Every scrape
// follows an event the test waited for (an Ack, a Nack, the console's update, awared's
// "reloaded" notification), so no scrape has to be retried.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "device.pb.h"
#include "fixtures.hpp"
#include "wire/frame_decoder.hpp"

using namespace aware::systest;

namespace {

constexpr const char* kToken = "metrics-token-0123456789abcdef";

struct Scrape {
  std::string status_line;
  std::string content_type;
  std::string body;
};

// GET /metrics with exactly `headers` (no user session is sent).
Scrape scrape(std::uint16_t port, const std::vector<std::string>& headers = {}) {
  const auto raw = http_raw(port, "GET", "/metrics", "", headers);
  Scrape out;
  const auto head_end = raw.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  out.status_line = raw.substr(0, raw.find("\r\n"));
  std::smatch m;
  const std::string head = raw.substr(0, head_end);
  if (std::regex_search(head, m, std::regex("\r\nContent-Type: ([^\r]*)", std::regex::icase))) {
    out.content_type = m[1];
  }
  out.body = raw.substr(head_end + 4);
  return out;
}

// The value of the sample line `series` (name and labels exactly as written), or -1 if absent.
double value_of(const std::string& body, const std::string& series) {
  const std::string prefix = series + " ";
  std::size_t at = 0;
  while (at < body.size()) {
    const auto end = body.find('\n', at);
    const auto line = body.substr(at, end - at);
    if (line.rfind(prefix, 0) == 0) {
      return std::stod(line.substr(prefix.size()));
    }
    at = end == std::string::npos ? body.size() : end + 1;
  }
  return -1;
}

// Options for an awared with a [metrics] token file (kToken) in `dir`.
AwaredOptions with_token(const TempDir& dir) {
  const auto token_file = dir.path() / "metrics.token";
  std::ofstream{token_file} << kToken << "\n";
  return AwaredOptions{.metrics_toml = "token_file = \"" + token_file.string() + "\""};
}

std::string frame_of(const google::protobuf::Message& msg) {
  std::string out;
  aware::wire::append_frame(out, msg.SerializeAsString());
  return out;
}

}  // namespace

TEST_CASE("metrics count an activation, its ack, a console and a Nack by reason",
          "[system][metrics]") {
  TempDir dir;
  Awared awared{dir, with_token(dir)};
  const auto port = awared.meldkamer_port();

  const auto before = scrape(port);
  CHECK(before.status_line == "HTTP/1.1 200 OK");
  CHECK(before.content_type.rfind("text/plain; version=0.0.4", 0) == 0);
  CHECK(value_of(before.body, "awared_activations_total{class=\"spoed\"}") == 0);
  CHECK(value_of(before.body, "awared_console_connections{feed=\"meldkamer\"}") == 0);

  Console console{dir, port};
  console.wait_synced();
  const auto sent = activate(dir, awared.device_port(), "XM-DEMO-001");
  REQUIRE(sent.exit_code == 0);
  REQUIRE(sent.reply);
  CHECK((*sent.reply)["event"] == "ack");
  // Counted before it is dispatched: once the console has it, the scrape shows it.
  REQUIRE(console.wait_incident("XM-DEMO-001"));

  const auto after = scrape(port);
  CHECK(after.status_line == "HTTP/1.1 200 OK");
  CHECK(value_of(after.body, "awared_activations_total{class=\"spoed\"}") == 1);
  CHECK(value_of(after.body, "awared_activations_total{class=\"test\"}") == 0);
  CHECK(value_of(after.body, "awared_acks_total{message=\"activation\"}") == 1);
  // Shown as the decider decided it, before the store's turn, and stored the same.
  CHECK(value_of(after.body, "awared_decisions_total{result=\"held\"}") == 1);
  CHECK(value_of(after.body, "awared_decisions_total{result=\"corrected\"}") == 0);
  CHECK(value_of(after.body, "awared_console_connections{feed=\"meldkamer\"}") == 1);
  CHECK(value_of(after.body, "awared_console_connections{feed=\"pac\"}") == 0);
  const double open = value_of(after.body, "awared_incidents{state=\"new\"}") +
                      value_of(after.body, "awared_incidents{state=\"delivered\"}") +
                      value_of(after.body, "awared_incidents{state=\"accepted\"}");
  CHECK(open == 1);
  CHECK(value_of(after.body, "awared_commit_seconds_count") >= 1);
  CHECK(value_of(after.body, "awared_commit_seconds_bucket{le=\"+Inf\"}") ==
        value_of(after.body, "awared_commit_seconds_count"));
  CHECK(value_of(after.body, "awared_match_seconds_count") >= 1);
  CHECK(value_of(after.body, "awared_commit_seconds_sum") > 0);
  CHECK(value_of(after.body, "process_start_time_seconds") > 1.6e9);
  // No device id, user or region appears anywhere in the text.
  CHECK(after.body.find("XM-DEMO") == std::string::npos);
  CHECK(after.body.find("midden-nederland") == std::string::npos);

  // A bad frame: a Hello without a device id is Nacked INVALID_FIELD.
  RawConnection raw{awared.device_port()};
  aware::v1::DeviceMessage hello;
  hello.mutable_hello()->set_protocol_version(1);
  hello.mutable_hello()->set_boot_epoch(1);
  raw.send(frame_of(hello));
  const auto reply_bytes = raw.read_frame();
  REQUIRE(reply_bytes);
  aware::v1::ServerMessage reply;
  REQUIRE(reply.ParseFromString(*reply_bytes));
  REQUIRE(reply.has_nack());
  CHECK(reply.nack().reason() == aware::v1::NACK_REASON_INVALID_FIELD);

  const auto nacked = scrape(port, {std::string("Authorization: Bearer ") + kToken});
  CHECK(nacked.status_line == "HTTP/1.1 200 OK");
  CHECK(value_of(nacked.body, "awared_nacks_total{reason=\"invalid_field\"}") == 1);
  CHECK(value_of(nacked.body, "awared_nacks_total{reason=\"no_hello\"}") == 0);
  CHECK(value_of(nacked.body, "awared_device_connections") >= 1);
}

TEST_CASE("metrics access: a wrong or a session token is refused, off is 404",
          "[system][metrics]") {
  TempDir dir;
  Awared awared{dir, with_token(dir)};
  const auto port = awared.meldkamer_port();

  const auto wrong = scrape(port, {"Authorization: Bearer not-the-metrics-token-000"});
  CHECK(wrong.status_line == "HTTP/1.1 401 Unauthorized");
  CHECK(wrong.body.find("wrong metrics token") != std::string::npos);
  // A user's session token is not a metrics token.
  const auto session = scrape(port, auth_header(port, "/api/v1/clients"));
  CHECK(session.status_line == "HTTP/1.1 401 Unauthorized");
  CHECK(scrape(port, {std::string("Authorization: Bearer ") + kToken}).status_line ==
        "HTTP/1.1 200 OK");
  const auto post = http_raw(port, "POST", "/metrics", "");
  CHECK(post.rfind("HTTP/1.1 405", 0) == 0);

  TempDir off_dir;
  Awared off{off_dir, AwaredOptions{.metrics_toml = "enabled = false", .create_users = false}};
  const auto refused = scrape(off.meldkamer_port());
  CHECK(refused.status_line == "HTTP/1.1 404 Not Found");
  CHECK(refused.body.find("enabled = false") != std::string::npos);
}

TEST_CASE("SIGHUP applies a rotated metrics token and keeps it when the file turns bad",
          "[system][metrics]") {
  TempDir dir;
  Awared awared{dir, with_token(dir)};
  const auto port = awared.meldkamer_port();
  const auto token_file = dir.path() / "metrics.token";
  const std::string bearer = "Authorization: Bearer ";
  const std::string rotated = "rotated-metrics-token-fedcba9876543210";
  auto reload_with = [&](const std::string& content) {
    std::ofstream{token_file, std::ios::trunc} << content << "\n";
    awared.process().signal(SIGHUP);
    REQUIRE(awared.notify().receive_containing("STATUS=reloaded"));
  };
  reload_with(rotated);
  CHECK(scrape(port, {bearer + rotated}).status_line == "HTTP/1.1 200 OK");
  CHECK(scrape(port, {bearer + kToken}).status_line == "HTTP/1.1 401 Unauthorized");
  // A botched rotation (a token too short) neither opens /metrics nor locks the scraper out.
  reload_with("too-short");
  CHECK(scrape(port, {bearer + rotated}).status_line == "HTTP/1.1 200 OK");
  CHECK(scrape(port, {bearer + "too-short"}).status_line == "HTTP/1.1 401 Unauthorized");
  std::ifstream log{awared.log_file()};
  const std::string text{std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>()};
  CHECK(text.find("AWR-1012 reload: the metrics token of " + token_file.string()) !=
        std::string::npos);
  CHECK(text.find("AWR-1013 reload: metrics token not changed") != std::string::npos);
  CHECK(text.find(rotated) == std::string::npos);  // a token never reaches the log
}

TEST_CASE("an unreadable or short metrics token file fails --check-config",
          "[system][metrics]") {
  TempDir dir;
  const auto config = dir.path() / "awared.toml";
  const auto short_token = dir.path() / "short.token";
  std::ofstream{short_token} << "too-short\n";
  for (const auto& [file, why] :
       std::vector<std::pair<std::string, std::string>>{
           {(dir.path() / "missing.token").string(), "cannot be read"},
           {short_token.string(), "at least 16 characters"}}) {
    std::ofstream{config} << "[metrics]\ntoken_file = \"" << file << "\"\n";
    const auto err_file = dir.path() / (std::filesystem::path(file).filename().string() + ".err");
    Process check{{awared_bin(), "--check-config", config.string()}, {}, err_file};
    const auto status = check.wait();
    REQUIRE(status);
    CHECK(WIFEXITED(*status));
    CHECK(WEXITSTATUS(*status) == 2);
    std::ifstream err{err_file};
    const std::string text{std::istreambuf_iterator<char>(err), {}};
    INFO(text);
    CHECK(text.find(why) != std::string::npos);
    CHECK(text.find(file) != std::string::npos);
  }
}
