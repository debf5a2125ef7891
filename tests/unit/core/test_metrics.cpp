// test_metrics.cpp — the metrics core (core/metrics.hpp, core/pipeline_metrics.hpp): counting,
// histogram buckets, and the Prometheus text format 0.0.4 exactly as a scraper reads it; the
// [metrics] config keys.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "core/metrics.hpp"
#include "core/pipeline_metrics.hpp"

using namespace aware::core;
using namespace std::chrono_literals;

namespace {

// The lines of `text` that start with `prefix`.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = text.find('\n', at);
    const auto line = text.substr(at, end - at);
    if (line.rfind(prefix, 0) == 0) {
      out.push_back(line);
    }
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("a counter adds and reads back", "[metrics]") {
  Counter c;
  CHECK(c.value() == 0);
  c.add();
  c.add(41);
  CHECK(c.value() == 42);
}

TEST_CASE("counters and histograms counted from several threads lose nothing", "[metrics]") {
  Counter c;
  Histogram h{latency_bounds()};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.add();
        h.observe(1ms);
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(c.value() == 40000);
  const auto s = h.snapshot();
  CHECK(s.count == 40000);
  CHECK(s.sum_seconds == Approx(40.0));
}

TEST_CASE("a histogram puts a value on its bound into that bucket, cumulatively", "[metrics]") {
  const std::vector<std::chrono::nanoseconds> bounds = {1ms, 10ms, 100ms};
  Histogram h{bounds};
  h.observe(500us);   // <= 1 ms
  h.observe(1ms);     // on the bound: le is inclusive
  h.observe(2ms);     // <= 10 ms
  h.observe(1s);      // above every bound: +Inf only
  h.observe(-5ms);    // a negative duration counts as 0
  const auto s = h.snapshot();
  REQUIRE(s.bounds.size() == 3);
  CHECK(s.cumulative[0] == 3);
  CHECK(s.cumulative[1] == 4);
  CHECK(s.cumulative[2] == 4);
  CHECK(s.cumulative[3] == 5);
  CHECK(s.count == 5);
  CHECK(s.sum_seconds == Approx(1.0035));
}

TEST_CASE("the text format of a histogram family is exactly Prometheus 0.0.4", "[metrics]") {
  const std::vector<std::chrono::nanoseconds> bounds = {10us, 2500us, 1s};
  Histogram h{bounds};
  h.observe(5us);
  h.observe(2ms);
  h.observe(3s);
  TextWriter w;
  w.histogram("awared_test_seconds", "Test time.", h);
  CHECK(w.text() ==
        "# HELP awared_test_seconds Test time.\n"
        "# TYPE awared_test_seconds histogram\n"
        "awared_test_seconds_bucket{le=\"0.00001\"} 1\n"
        "awared_test_seconds_bucket{le=\"0.0025\"} 2\n"
        "awared_test_seconds_bucket{le=\"1\"} 2\n"
        "awared_test_seconds_bucket{le=\"+Inf\"} 3\n"
        "awared_test_seconds_sum 3.002005\n"
        "awared_test_seconds_count 3\n");
}

TEST_CASE("counter families, labels and escaping in the text format", "[metrics]") {
  TextWriter w;
  w.family("awared_x_total", "counter", "A \\ help\nline.");
  w.sample("awared_x_total", {{"reason", "a\"b\\c\nd"}}, std::uint64_t{7});
  w.sample("awared_x_total", {{"a", "1"}, {"b", "2"}}, std::uint64_t{0});
  w.family("awared_g", "gauge", "G.");
  w.sample("awared_g", {}, 1.5);
  CHECK(w.text() ==
        "# HELP awared_x_total A \\\\ help\\nline.\n"
        "# TYPE awared_x_total counter\n"
        "awared_x_total{reason=\"a\\\"b\\\\c\\nd\"} 7\n"
        "awared_x_total{a=\"1\",b=\"2\"} 0\n"
        "# HELP awared_g G.\n"
        "# TYPE awared_g gauge\n"
        "awared_g 1.5\n");
}

TEST_CASE("metric_number writes floats without exponents and the special values",
          "[metrics]") {
  CHECK(metric_number(0.00001) == "0.00001");
  CHECK(metric_number(2.5) == "2.5");
  CHECK(metric_number(1.0) == "1");
  CHECK(metric_number(1700000000.25) == "1700000000.25");
  CHECK(metric_number(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(metric_number(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(metric_number(std::numeric_limits<double>::quiet_NaN()) == "NaN");
}

TEST_CASE("an activation's class is cancel for a cancel, else its priority", "[metrics]") {
  CHECK(activation_class(ActivationEffect::opened, Priority::spoed) == ActivationClass::spoed);
  CHECK(activation_class(ActivationEffect::repeated, Priority::spoed) == ActivationClass::spoed);
  CHECK(activation_class(ActivationEffect::opened, Priority::test) == ActivationClass::test);
  CHECK(activation_class(ActivationEffect::opened, Priority::technisch) ==
        ActivationClass::technisch);
  CHECK(activation_class(ActivationEffect::cancel_alone, Priority::spoed) ==
        ActivationClass::cancel);
  CHECK(activation_class(ActivationEffect::cancel_flagged, Priority::spoed) ==
        ActivationClass::cancel);
}

TEST_CASE("render_metrics lists every awared metric with its counts", "[metrics]") {
  PipelineMetrics m;
  m.activation(ActivationClass::spoed);
  m.activation(ActivationClass::spoed);
  m.activation(ActivationClass::cancel);
  m.ack(AckedMessage::activation);
  m.nack(2);
  m.nack(99);  // not a known reason: unspecified
  m.escalation(EscalationAction::not_accepted);
  m.dc09_message(0);
  m.dc09_reply(1);
  m.dc09_reply(0);
  m.dc09_reply(9);  // not a reply kind: none
  m.commit.observe(3ms);
  m.match.observe(20us);
  ScrapeGauges g;
  g.incidents = {1, 2, 0, 0};
  g.consoles = {1, 0, 2};
  g.console_queued = 5;
  g.accept_waits = 7;
  g.log_lines_dropped = 3;
  g.start_time_s = 1700000000.5;
  const auto text = render_metrics(m, g);

  CHECK(lines_starting(text, "awared_activations_total") ==
        std::vector<std::string>{"awared_activations_total{class=\"spoed\"} 2",
                                 "awared_activations_total{class=\"technisch\"} 0",
                                 "awared_activations_total{class=\"test\"} 0",
                                 "awared_activations_total{class=\"cancel\"} 1"});
  CHECK(lines_starting(text, "awared_acks_total{message=\"activation\"}") ==
        std::vector<std::string>{"awared_acks_total{message=\"activation\"} 1"});
  CHECK(lines_starting(text, "awared_nacks_total{reason=\"no_hello\"}").at(0).ends_with(" 1"));
  CHECK(lines_starting(text, "awared_nacks_total{reason=\"unspecified\"}").at(0).ends_with(" 1"));
  CHECK(lines_starting(text, "awared_escalations_total{action=\"not_accepted\"}")
            .at(0)
            .ends_with(" 1"));
  CHECK(lines_starting(text, "awared_dc09_messages_total{category=\"activation\"}")
            .at(0)
            .ends_with(" 1"));
  CHECK(lines_starting(text, "awared_dc09_replies_total{") ==
        std::vector<std::string>{"awared_dc09_replies_total{reply=\"none\"} 2",
                                 "awared_dc09_replies_total{reply=\"ack\"} 1",
                                 "awared_dc09_replies_total{reply=\"nak\"} 0",
                                 "awared_dc09_replies_total{reply=\"duh\"} 0"});
  CHECK(lines_starting(text, "awared_incidents{") ==
        std::vector<std::string>{"awared_incidents{state=\"new\"} 1",
                                 "awared_incidents{state=\"delivered\"} 2",
                                 "awared_incidents{state=\"accepted\"} 0"});
  CHECK(lines_starting(text, "awared_console_connections{") ==
        std::vector<std::string>{"awared_console_connections{feed=\"meldkamer\"} 1",
                                 "awared_console_connections{feed=\"pac\"} 0",
                                 "awared_console_connections{feed=\"hulpverlener\"} 2"});
  CHECK(lines_starting(text, "awared_tls_accept_waits_total ") ==
        std::vector<std::string>{"awared_tls_accept_waits_total 7"});
  CHECK(lines_starting(text, "awared_log_lines_dropped_total ") ==
        std::vector<std::string>{"awared_log_lines_dropped_total 3"});
  CHECK(lines_starting(text, "awared_console_queued_frames ") ==
        std::vector<std::string>{"awared_console_queued_frames 5"});
  CHECK(lines_starting(text, "awared_commit_seconds_count") ==
        std::vector<std::string>{"awared_commit_seconds_count 1"});
  CHECK(lines_starting(text, "awared_match_seconds_bucket{le=\"0.000025\"}") ==
        std::vector<std::string>{"awared_match_seconds_bucket{le=\"0.000025\"} 1"});
  CHECK(lines_starting(text, "process_start_time_seconds ") ==
        std::vector<std::string>{"process_start_time_seconds 1700000000.5"});
  // Every sample belongs to a family announced just before with HELP and TYPE.
  CHECK(lines_starting(text, "# HELP ").size() == lines_starting(text, "# TYPE ").size());
  CHECK(text.ends_with("\n"));
}

TEST_CASE("the metrics token check compares whole secrets", "[metrics]") {
  CHECK(same_secret("0123456789abcdef", "0123456789abcdef"));
  CHECK_FALSE(same_secret("0123456789abcdeF", "0123456789abcdef"));
  CHECK_FALSE(same_secret("0123456789abcde", "0123456789abcdef"));
  CHECK_FALSE(same_secret("0123456789abcdef0", "0123456789abcdef"));
  CHECK_FALSE(same_secret("", "0123456789abcdef"));
}

TEST_CASE("the metrics config keys parse and are checked", "[metrics]") {
  const Config defaults;
  CHECK(defaults.metrics.enabled);
  CHECK(defaults.metrics.token_file.empty());
  auto c = parse_config("[metrics]\nenabled = false\ntoken_file = \"/etc/awared/metrics.token\"\n",
                        "test.toml");
  REQUIRE(c.has_value());
  CHECK_FALSE(c->metrics.enabled);
  CHECK(c->metrics.token_file == "/etc/awared/metrics.token");
  auto bad = parse_config("[metrics]\nenabled = \"yes\"\n", "test.toml");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().key == "metrics.enabled");
  auto unknown = parse_config("[metrics]\nport = 9100\n", "test.toml");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().key == "metrics.port");
}

TEST_CASE("who may scrape: loopback without a token, others only with the token", "[metrics]") {
  const std::string token = "0123456789abcdef0123";
  const std::string good = "Bearer " + token;
  // Off: 404 for everyone.
  CHECK(scrape_verdict(false, token, good, true).status == 404);
  // No token sent: loopback only.
  CHECK(scrape_verdict(true, "", "", true).status == 200);
  CHECK(scrape_verdict(true, token, "", true).status == 200);
  const auto remote = scrape_verdict(true, token, "", false);
  CHECK(remote.status == 403);
  CHECK(remote.error.find("loopback") != std::string_view::npos);
  CHECK(scrape_verdict(true, "", "", false).status == 403);
  // A token sent: it must be the configured one, from any peer.
  CHECK(scrape_verdict(true, token, good, false).status == 200);
  CHECK(scrape_verdict(true, token, good, true).status == 200);
  CHECK(scrape_verdict(true, token, "Bearer 0123456789abcdef0124", true).status == 401);
  CHECK(scrape_verdict(true, token, "Basic " + token, false).status == 401);
  CHECK(scrape_verdict(true, token, "Bearer", false).status == 401);
  // A token sent while none is configured (e.g. a user's session token): refused, said why.
  const auto unconfigured = scrape_verdict(true, "", good, true);
  CHECK(unconfigured.status == 401);
  CHECK(unconfigured.error.find("token_file") != std::string_view::npos);
}
