// e2e_bench — awared end to end (issue 8, part 7; docs/performance.md "End to end").
//
// Starts a real awared (this build's, plain TCP on loopback, a fresh database per phase) and
// measures, in one run:
//   floor        loopback TCP round trip and fdatasync latency on this machine;
//   e2e          per rate (default 1k, 10k, 50k activations/s) an open-loop load from up to
//                10k simulated devices (load.hpp) and one meldkamer console (console_probe.hpp):
//                device send → durable Ack and device send → console push, p50/p99/p99.9/max,
//                and the rate awared sustained;
//   throughput   a closed loop (default 3,000 devices, --throughput-devices, each keeping a
//                window of 16 activations in flight, --window): durable activations per second;
//   connections  awared's resident memory with N idle device connections (default 50,000);
//   tls          a device's Acks over TLS while a flood of TLS handshakes hits the device port,
//                with awared's accepts paced ([tls] handshakes_per_s) and not (tls_flood.hpp).
// --json prints one JSON object per line. --quick is the smoke run of ctest: small numbers,
// and the exit code says whether every activation was acked and pushed — never a timing.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "console_probe.hpp"
#include "fixtures.hpp"
#include "floors.hpp"
#include "load.hpp"
#include "measure.hpp"
#include "proc_stats.hpp"
#include "tls_flood.hpp"

namespace e2e = aware::bench::e2e;
using aware::bench::Percentiles;
using aware::bench::percentiles;
using aware::bench::e2e::thread_cpu;
using aware::systest::Awared;
using aware::systest::AwaredOptions;
using aware::systest::TempDir;

namespace {

struct Options {
  std::vector<double> rates{1000, 10000, 50000};
  int seconds = 10;
  int max_devices = 10000;
  int throughput_devices = 3000;
  int window = 16;
  int idle = 50000;
  bool json = false;
  bool quick = false;
  std::string phases = "floor,e2e,throughput,connections,tls";  // --phases: which to run

  [[nodiscard]] bool runs(std::string_view phase) const;
};

// "a,b,c" → {"a","b","c"}.
std::vector<std::string> split_commas(const std::string& list) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at <= list.size();) {
    const auto comma = std::min(list.find(',', at), list.size());
    out.push_back(list.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

bool Options::runs(std::string_view phase) const {
  const auto listed = split_commas(phases);
  return std::find(listed.begin(), listed.end(), phase) != listed.end();
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        throw std::runtime_error(a + " needs a value");
      }
      return argv[++i];
    };
    if (a == "--json") {
      o.json = true;
    } else if (a == "--quick") {
      o.quick = true;
      o.rates = {200};
      o.seconds = 1;
      o.max_devices = 20;
      o.throughput_devices = 20;
      o.window = 4;
      o.idle = 0;  // the memory figure waits for awared to settle: not for a test run
    } else if (a == "--rates") {
      o.rates.clear();
      for (const auto& rate : split_commas(value())) {
        o.rates.push_back(std::stod(rate));
      }
    } else if (a == "--seconds") {
      o.seconds = std::stoi(value());
    } else if (a == "--devices") {
      o.max_devices = std::stoi(value());
    } else if (a == "--idle") {
      o.idle = std::stoi(value());
    } else if (a == "--window") {
      o.window = std::stoi(value());
    } else if (a == "--throughput-devices") {
      o.throughput_devices = std::stoi(value());
    } else if (a == "--phases") {
      o.phases = value();
    } else {
      throw std::runtime_error("unknown option " + a +
                               " (--json --quick --rates A,B --seconds S --devices N --idle N "
                               "--window W --throughput-devices N "
                               "--phases floor,e2e,throughput,connections,tls)");
    }
  }
  return o;
}

// Room for the connections, in this process and in awared (which inherits the limit): raises
// the soft open-file limit as far as the hard limit allows and returns how many connections fit.
// Raising the hard limit needs CAP_SYS_RESOURCE, which some containers do not grant (the
// development machine's hard limit is 20,000).
int raise_fd_limit(int connections) {
  constexpr int kSpare = 1024;  // awared's own files, the consoles, the database
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  const auto want = static_cast<rlim_t>(connections + kSpare);
  if (lim.rlim_max < want) {
    rlimit higher{want, want};
    if (::setrlimit(RLIMIT_NOFILE, &higher) == 0) {
      return connections;
    }
  }
  lim.rlim_cur = std::min(lim.rlim_max, want);
  ::setrlimit(RLIMIT_NOFILE, &lim);
  return static_cast<int>(std::min<rlim_t>(lim.rlim_cur - kSpare, static_cast<rlim_t>(connections)));
}

double us(std::int64_t ns) { return static_cast<double>(ns) / 1000.0; }

std::int64_t max_of(const std::vector<std::int64_t>& v) {
  return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

// awared's resident memory (VmRSS) in MB.
double rss_mb(pid_t pid) {
  std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stod(line.substr(6)) / 1024.0;
    }
  }
  return 0;
}

std::size_t open_fds(pid_t pid) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator{"/proc/" + std::to_string(pid) + "/fd"}) {
    ++n;
  }
  return n;
}

AwaredOptions bench_awared(int connections) {
  AwaredOptions o;
  o.seed_demo = false;
  o.device_toml = "max_connections = " + std::to_string(connections + 100);
  return o;
}

std::string token(const Awared& awared) {
  return aware::systest::token_for(awared.meldkamer_port(),
                                   aware::systest::user_for_target("centralist", "/ws/meldkamer"));
}

struct Printer {
  bool json;
  void line(const std::string& json_line, const std::string& text) const {
    std::cout << (json ? json_line : text) << std::endl;
  }
};

std::string fmt(const char* f, double a = 0, double b = 0, double c = 0, double d = 0,
                double e = 0, double g = 0, double h = 0, double i = 0) {
  char buf[512];
  std::snprintf(buf, sizeof buf, f, a, b, c, d, e, g, h, i);
  return buf;
}

bool floors(const Printer& out) {
  TempDir dir{"awared-e2e-floor"};
  auto rtt = e2e::tcp_round_trips(20000);
  auto sync = e2e::fdatasyncs(dir.path(), 2000);
  const auto r = percentiles(rtt);
  const auto s = percentiles(sync);
  out.line(fmt("{\"bench\":\"floor\",\"tcp_rtt_p50_us\":%.1f,\"tcp_rtt_p99_us\":%.1f,"
               "\"fdatasync_p50_us\":%.1f,\"fdatasync_p99_us\":%.1f}",
               us(r.p50_ns), us(r.p99_ns), us(s.p50_ns), us(s.p99_ns)),
           fmt("floor        loopback TCP round trip p50 %.1f us p99 %.1f us; fdatasync p50 "
               "%.1f us p99 %.1f us",
               us(r.p50_ns), us(r.p99_ns), us(s.p50_ns), us(s.p99_ns)));
  return true;
}

// One sample value of awared's /metrics, or 0.
double metric(const std::string& text, const std::string& sample) {
  return aware::systest::metric_value(text, sample).value_or(0);
}

bool open_loop(const Options& o, double rate, const Printer& out) {
  TempDir dir{"awared-e2e-rate"};
  const int devices = std::min<int>(o.max_devices, static_cast<int>(rate));
  Awared awared{dir, bench_awared(devices)};
  const auto per_device = static_cast<std::size_t>(
      std::ceil(rate * o.seconds / devices)) + 1;
  e2e::DeviceLoad load{{.port = awared.device_port(), .devices = devices,
                        .per_device = per_device}};
  load.connect_all();
  e2e::ConsoleProbe console{awared.meldkamer_port(), token(awared), load};
  auto r = load.run_open(rate, std::chrono::seconds{o.seconds}, std::chrono::seconds{60});
  auto pushed = console.wait(r.acked, std::chrono::seconds{60});
  // How many pushes the decider made ahead of the store, and how many of those it had wrong.
  const auto scraped = aware::systest::http_raw(awared.meldkamer_port(), "GET", "/metrics", "");
  const double held = metric(scraped, "awared_decisions_total{result=\"held\"}");
  const double corrected = metric(scraped, "awared_decisions_total{result=\"corrected\"}");
  const auto ack = percentiles(r.ack_ns);
  const auto push = percentiles(pushed.push_ns);
  const double achieved =
      r.last_ack_s > r.first_send_s ? static_cast<double>(r.acked) / (r.last_ack_s - r.first_send_s) : 0;
  const auto ack_max = max_of(r.ack_ns);
  const auto push_max = max_of(pushed.push_ns);
  out.line(fmt("{\"bench\":\"e2e\",\"rate\":%.0f,\"devices\":%.0f,\"sent\":%.0f,\"acked\":%.0f,"
               "\"pushed\":%.0f,\"achieved_per_s\":%.0f,\"max_send_lag_us\":%.0f,",
               rate, devices, static_cast<double>(r.sent), static_cast<double>(r.acked),
               static_cast<double>(pushed.push_ns.size()), achieved, us(r.max_send_lag_ns)) +
               fmt("\"push_p50_us\":%.1f,\"push_p99_us\":%.1f,\"push_p999_us\":%.1f,"
                   "\"push_max_us\":%.1f,\"ack_p50_us\":%.1f,\"ack_p99_us\":%.1f,"
                   "\"ack_p999_us\":%.1f,\"ack_max_us\":%.1f,",
                   us(push.p50_ns), us(push.p99_ns), us(push.p999_ns), us(push_max),
                   us(ack.p50_ns), us(ack.p99_ns), us(ack.p999_ns), us(ack_max)) +
               fmt("\"decided_held\":%.0f,\"decided_corrected\":%.0f}", held, corrected),
           fmt("e2e %6.0f/s  %5.0f devices  sent %.0f acked %.0f pushed %.0f  achieved %.0f/s  "
               "send lag max %.0f us",
               rate, devices, static_cast<double>(r.sent), static_cast<double>(r.acked),
               static_cast<double>(pushed.push_ns.size()), achieved, us(r.max_send_lag_ns)) +
               fmt("\n             push p50 %.1f p99 %.1f p99.9 %.1f max %.1f us; ack p50 %.1f "
                   "p99 %.1f p99.9 %.1f max %.1f us",
                   us(push.p50_ns), us(push.p99_ns), us(push.p999_ns), us(push_max),
                   us(ack.p50_ns), us(ack.p99_ns), us(ack.p999_ns), us(ack_max)) +
               fmt("\n             decided ahead of the store: %.0f held, %.0f corrected",
                   held, corrected));
  for (const auto& e : r.errors) {
    std::cerr << "e2e: " << e << "\n";
  }
  return r.acked == r.sent && r.nacked == 0 && pushed.push_ns.size() == r.acked &&
         r.errors.empty();
}


bool throughput(const Options& o, const Printer& out) {
  TempDir dir{"awared-e2e-throughput"};
  Awared awared{dir, bench_awared(o.throughput_devices)};
  e2e::DeviceLoad load{{.port = awared.device_port(), .devices = o.throughput_devices}};
  load.connect_all();
  e2e::ConsoleProbe console{awared.meldkamer_port(), token(awared), load};
  const auto pid = awared.process().pid();
  const auto cpu_before = thread_cpu(pid);
  auto r = load.run_saturate(static_cast<std::size_t>(o.window), std::chrono::seconds{o.seconds});
  const auto cpu_after = thread_cpu(pid);
  const double per_s = r.window_s > 0 ? static_cast<double>(r.acked_in_window) / r.window_s : 0;
  const auto ack = percentiles(r.ack_ns);
  // Where awared's time went: its own /metrics (loopback, no token) and its threads' CPU time
  // over the whole run (load and drain). The network thread is the main one (tid = pid).
  const auto scraped = aware::systest::http_raw(awared.meldkamer_port(), "GET", "/metrics", "");
  const double commits = metric(scraped, "awared_commit_seconds_count");
  const double acked = metric(scraped, "awared_acks_total{message=\"activation\"}");
  const double commit_s = metric(scraped, "awared_commit_seconds_sum");
  const double match_n = metric(scraped, "awared_match_seconds_count");
  const double match_s = metric(scraped, "awared_match_seconds_sum");
  const double held = metric(scraped, "awared_decisions_total{result=\"held\"}");
  const double corrected = metric(scraped, "awared_decisions_total{result=\"corrected\"}");
  double main_cpu = 0;
  double busiest_other = 0;
  for (const auto& [tid, after] : cpu_after) {
    const auto before = cpu_before.count(tid) != 0U ? cpu_before.at(tid) : 0.0;
    if (tid == pid) {
      main_cpu = after - before;
    } else {
      busiest_other = std::max(busiest_other, after - before);
    }
  }
  const double batch = commits > 0 ? acked / commits : 0;
  const double commit_us = commits > 0 ? commit_s * 1e6 / commits : 0;
  const double match_us = match_n > 0 ? match_s * 1e6 / match_n : 0;
  out.line(fmt("{\"bench\":\"throughput\",\"devices\":%.0f,\"window\":%.0f,"
               "\"durable_per_s\":%.0f,\"ack_p50_us\":%.1f,\"ack_p99_us\":%.1f,",
               o.throughput_devices, o.window, per_s, us(ack.p50_ns), us(ack.p99_ns)) +
               fmt("\"commits\":%.0f,\"mean_batch\":%.1f,\"commit_mean_us\":%.0f,"
                   "\"match_mean_us\":%.2f,\"network_thread_cpu_s\":%.2f,"
                   "\"busiest_other_thread_cpu_s\":%.2f,\"run_s\":%.1f,",
                   commits, batch, commit_us, match_us, main_cpu, busiest_other,
                   r.last_ack_s - r.first_send_s) +
               fmt("\"decided_held\":%.0f,\"decided_corrected\":%.0f}", held, corrected),
           fmt("throughput   %.0f devices x %.0f in flight: %.0f durable activations/s (ack p50 "
               "%.1f us, p99 %.1f us)",
               o.throughput_devices, o.window, per_s, us(ack.p50_ns), us(ack.p99_ns)) +
               fmt("\n             awared: %.0f commits, %.1f activations each, %.0f us each; "
                   "match %.2f us; CPU over %.1f s: network thread %.2f s, busiest other %.2f s",
                   commits, batch, commit_us, match_us, r.last_ack_s - r.first_send_s, main_cpu,
                   busiest_other) +
               fmt("\n             decided ahead of the store: %.0f held, %.0f corrected", held,
                   corrected));
  for (const auto& e : r.errors) {
    std::cerr << "throughput: " << e << "\n";
  }
  return r.acked == r.sent && r.errors.empty();
}

// The `tls` phase (tls_flood.hpp): a device's Acks over TLS with no flood, under a flood of
// handshakes that awared practically does not pace, and under the same flood paced at the
// default and at a quarter of it.
bool tls(const Options& o, const Printer& out) {
  struct Run {
    std::uint32_t per_s;
    int threads;
  };
  const std::vector<Run> runs = o.quick ? std::vector<Run>{{1000, 1}}
                                        : std::vector<Run>{{100000, 0}, {100000, 32}, {1000, 32}, {250, 32}};
  bool ok = true;
  double quiet_share = 0;  // the network thread's share for the device alone (the first run)
  for (const auto& run : runs) {
    const auto r = e2e::tls_flood(run.per_s, run.threads, std::chrono::seconds{o.seconds});
    const double flood_per_s = r.seconds > 0 ? static_cast<double>(r.flood_handshakes) / r.seconds : 0;
    const double share = r.seconds > 0 ? r.network_cpu_s / r.seconds : 0;
    if (run.threads == 0) {
      quiet_share = share;
    }
    // What the hellos cost: the thread's time beyond what the device alone took.
    const double per_handshake =
        r.flood_handshakes > 0
            ? std::max(0.0, share - quiet_share) * r.seconds * 1e6 /
                  static_cast<double>(r.flood_handshakes)
            : 0;
    out.line(fmt("{\"bench\":\"tls_flood\",\"handshakes_per_s\":%.0f,\"flood_threads\":%.0f,"
                 "\"flood_handshakes_per_s\":%.0f,\"network_cpu_share\":%.2f,"
                 "\"network_cpu_us_per_handshake\":%.0f,\"ack_p50_us\":%.1f,"
                 "\"ack_p99_us\":%.1f,\"ack_max_us\":%.1f}",
                 run.per_s, run.threads, flood_per_s, share, per_handshake, us(r.ack.p50_ns),
                 us(r.ack.p99_ns), us(r.ack_max_ns)),
             fmt("tls flood: handshakes_per_s %.0f, %.0f flood threads: %.0f handshakes/s got "
                 "through, awared network thread %.0f %% busy (%.0f us a handshake); device "
                 "Ack p50 %.1f us, p99 %.1f us, max %.1f us",
                 run.per_s, run.threads, flood_per_s, share * 100, per_handshake,
                 us(r.ack.p50_ns), us(r.ack.p99_ns), us(r.ack_max_ns)));
    if (r.acked != r.presses || r.acked == 0) {
      std::cerr << "e2e_bench: tls: " << r.acked << " of " << r.presses << " presses acked\n";
      ok = false;
    }
  }
  return ok;
}

bool connections(const Options& o, int fit, const Printer& out) {
  TempDir dir{"awared-e2e-idle"};
  Awared awared{dir, bench_awared(fit)};
  const auto pid = awared.process().pid();
  const double before = rss_mb(pid);
  const auto fds_before = open_fds(pid);
  e2e::DeviceLoad load{{.port = awared.device_port(), .devices = fit, .id_prefix = "XM-IDLE-"}};
  load.connect_all();
  // awared has accepted every connection once it holds that many more descriptors; then its
  // memory settles as the Hellos are read (sampled until two readings agree).
  while (open_fds(pid) < fds_before + static_cast<std::size_t>(fit)) {
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  double rss = rss_mb(pid);
  for (double last = -1; std::abs(rss - last) > 0.5;) {
    last = rss;
    std::this_thread::sleep_for(std::chrono::milliseconds{500});
    rss = rss_mb(pid);
  }
  const double per_connection_mb = (rss - before) / fit;
  // With fewer connections than asked (open-file limit), the figure for the number asked is
  // extrapolated from the memory per connection measured.
  const double at_asked = before + per_connection_mb * o.idle;
  out.line(fmt("{\"bench\":\"connections\",\"idle\":%.0f,\"measured_idle\":%.0f,"
               "\"rss_mb\":%.1f,\"measured_rss_mb\":%.1f,\"rss_before_mb\":%.1f,"
               "\"kb_per_connection\":%.2f}",
               o.idle, fit, at_asked, rss, before, per_connection_mb * 1024.0),
           fmt("connections  %.0f idle devices: awared resident %.1f MB (%.1f MB before, %.2f KB "
               "per connection)",
               fit, rss, before, per_connection_mb * 1024.0) +
               (fit < o.idle ? fmt("; for %.0f (over the open-file limit here): %.1f MB "
                                   "extrapolated",
                                   o.idle, at_asked)
                             : std::string{}));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto o = parse(argc, argv);
    const int fit = raise_fd_limit(std::max(o.idle, o.max_devices));
    const Printer out{o.json};
    // Each phase starts on a settled disk: the phase before it deleted its database (500 MB
    // after the 50k/s phase), and the file system writes and trims that in the background
    // (online discard) for seconds — time that would otherwise be charged to the next phase.
    const auto settled = [] {
      ::sync();
      return true;
    };
    bool ok = !o.runs("floor") || floors(out);
    for (const double rate : o.rates) {
      ok = (!o.runs("e2e") || (settled() && open_loop(o, rate, out))) && ok;
    }
    ok = (!o.runs("throughput") || (settled() && throughput(o, out))) && ok;
    ok = (!o.runs("tls") || (settled() && tls(o, out))) && ok;
    if (o.idle > 0 && o.runs("connections")) {
      ok = (settled() && connections(o, std::min(fit, o.idle), out)) && ok;
    }
    if (!ok) {
      std::cerr << "e2e_bench: not every activation was acked and pushed (see above)\n";
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "e2e_bench: " << e.what() << "\n";
    return 2;
  }
}
