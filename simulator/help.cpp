// help.cpp — the --help text of xmark-sim, kept apart from the parser so that both stay short.
// Keep it in step with cli.cpp: every option and every exit code is listed here.
#include "cli.hpp"

namespace aware::sim {

const char* help_text() {
  return R"(xmark-sim — simulated X-Mark panic buttons speaking the awared device protocol
(TCP, varint-length-delimited protobuf: DeviceMessage up, ServerMessage down), over mutual
TLS 1.3 when --ca is given, plain TCP otherwise (awared with [tls] insecure_dev = true).

Usage:
  xmark-sim activate --server HOST:PORT --device ID [options]
  xmark-sim fleet --server HOST:PORT [options]
  xmark-sim scenario FILE (--server HOST:PORT | --print | --expect) [options]
  xmark-sim dc09 --server HOST:PORT --account ACCT [options]
  xmark-sim --help | --version

activate: one button press. Connects, sends Hello{device_id, firmware "xmark-sim/0.1",
protocol_version 1, boot_epoch} and Activation{seq, ...}, and waits for the Ack of that seq.
Without an Ack within 2 s per attempt, or when the connection fails, it reconnects and sends
the same Hello and Activation again (backoff 100 ms doubling to 2 s, with jitter) until acked
or --timeout has passed. A Nack with reason NACK_REASON_BUSY is retried the same way.
  --lat X --lon Y        position (default 52.0907 5.1214); passed through unvalidated
                         (out-of-range values and "nan" are sent as given)
  --accuracy M           fix accuracy in metres (default 10)
  --source gps|network   fix source (default gps)
  --no-fix               send no position at all
  --trigger alarm|test|cancel              (default alarm)
  --seq N                sequence number (default: stored seq + 1)
  --boot-epoch N         boot epoch (default: stored epoch, 1 for a new device); a
                         different epoch than stored restarts seq at 1 unless --seq is given
  --audio-kind phone|sip|stream|none       (default phone; none sends no audio field)
  --audio ADDRESS        phone number or URI (default +31612345678)
  --codec C              audio codec (default AMR-WB)
  --battery PCT          battery percentage (default 80; not range-checked)
  --state-dir DIR        where "<device>.state" keeps "boot_epoch seq" between runs
                         (default var/xmark-sim); written after every ack
  --timeout SECONDS      total time to keep trying (default 60)
  --json                 print JSON lines instead of text
  --cert FILE --key FILE the device certificate (CN = the device id) and its key (PEM), for
                         TLS (needs --ca); or mint one with --device-ca-cert/--device-ca-key
  Prints one line on stdout:
    acked device=ID boot_epoch=E seq=N attempts=K server_time_ms=T
    {"event":"ack","device":"ID","boot_epoch":E,"seq":N,"attempts":K,"server_time_ms":T}
  or for a refusal:
    nacked device=ID seq=N reason=NACK_REASON_... text="..."
    {"event":"nack","device":"ID","seq":N,"reason":"NACK_REASON_...","text":"..."}

fleet: N devices, each on its own long-lived connection (Hello on every connect, boot epoch =
start time in seconds, seq rising per message), reconnecting with backoff. Each device sends a
Heartbeat every --heartbeat-s seconds; at random moments (exponential inter-arrival) a random
device's button is pressed: an Activation at a random spot in --area, retransmitted on every
reconnect until acked. Every ack of an activation is printed as above. Server Commands are
ignored, but printed as {"event":"command",...} lines in --json mode.
  --devices N            number of devices (default 5)
  --prefix P             device id prefix (default XM-DEMO-); ids are P + 3-digit number
  --first N              number of the first device (default 1)
  --interval-s SECONDS   mean time between presses across the fleet (default 20)
  --count N              stop after N presses were answered (default 0: run until
                         SIGINT/SIGTERM)
  --heartbeat-s S        heartbeat interval (default 60)
  --area LAT,LON,RADIUS_M  where presses happen (default 52.0907,5.1214,15000)
  --seed S               random seed, for repeatable runs (default: random)
  --json                 print JSON lines instead of text

scenario: a scenario file (TOML; see docs/simulator.md and simulator/scenarios/) describes
device groups and behaviours (battery drain and charging, dead batteries, GPS lost indoors,
flapping connections, reconnect storms, accidental presses, real alarms with a moving track,
proefmeldingen, clock skew). It expands, deterministically for its seed, into connect/disconnect, heartbeat,
activation and position events.
  --server HOST:PORT     play the events against awared: one connection per device (Hello
                         with boot epoch = start time in seconds on every connect), messages
                         with rising seq, each waiting for its Ack (5 s; reconnect and resend,
                         3 attempts). Scenario times map to the wall clock: t plays at
                         now + (t - start) / speed, and device times are sent mapped the same
                         way (clock skew kept). Each acked activation is printed as above;
                         at the end: done devices=N messages=M acked=A nacked=K unacked=U
                         (or {"event":"summary",...} with --json)
  --print                print the events, one JSON object per line, without connecting
  --expect               print the technical alerts awared must raise for these events
                         (verbinding_verloren, batterij_laag, batterij_kritiek), one JSON
                         object per line, without connecting
  --speed X              scenario seconds per wall second (default 1; 600 = 10 min/s)
  --start-ms MS          replace the file's start_ms (ms since the Unix epoch); when playing,
                         the scenario starts at that wall time (events already due go at once)
  --grace-fixed-ms MS    --expect: fixed grace of the lost rule (default 120000)
  --grace-factor F       --expect: grace as a fraction of the interval (default 0.1)
  --battery-low PCT      --expect: batterij_laag below this (default 20)
  --battery-critical PCT --expect: batterij_kritiek below this (default 10)
  --battery-hysteresis PCT  --expect: resolve at threshold + this (default 5)
  --json                 playback output as JSON lines

TLS (all commands; without --ca the link is plain TCP):
  --ca FILE              the CA (PEM) that signed awared's certificate: connect with TLS 1.3
                         and verify awared's certificate against it, including that it names
                         the --server host (its IP address or DNS name)
  --device-ca-cert FILE  with --device-ca-key: the device CA (PEM certificate and key); every
  --device-ca-key FILE   simulated device gets its own certificate minted in memory (CN = its
                         device id, clientAuth, EC P-256, valid from 1 h ago for 24 h), as a
                         factory would provision it
  With --ca, activate needs --cert/--key or the device CA; fleet and scenario need the device
  CA. For example, against `./dev run`:
    xmark-sim scenario FILE --server 127.0.0.1:7400 --ca var/tls/demo-ca.crt
      --device-ca-cert var/tls/demo-ca.crt --device-ca-key var/tls/demo-ca.key

dc09: one SIA DC-09 message, as a standard IP alarm transmitter sends it to awared's [dc09]
receiver; waits for the answer and prints it ("ACK: ...", "NAK: ...", "DUH: ..." or "no answer";
with --json one object: reply, encrypted, opened, raw, sent). No retries.
  --udp                  send one datagram instead of over TCP
  --seq N                sequence number 0..9999 (default 1)
  --receiver HEX --line HEX   the R and L fields (default: no R, L0)
  --sia DATA             SIA-DCS data after "#ACCT|" (default Nri1/PA501, a panic)
  --cid DATA             ADM-CID data instead, e.g. "1120 01 015"
  --null                 a NULL link test
  --x LON --y LAT --audio REF   the [X], [Y] and [V] extended data
  --key HEX              encrypt with this AES key (32/48/64 hex digits); the ACK must open
  --no-timestamp         send no timestamp; --clock-offset-s N shifts it (a skewed clock)
  --corrupt-crc          spoil the CRC (the receiver must not answer)
  --timeout-ms N         wait this long for the answer (default 5000)
  Exit codes: 0 ACK, 1 no answer, 2 usage, 3 NAK or DUH, 4 cannot connect.

Exit codes:
  0  activate: acked.  fleet: stopped by SIGINT/SIGTERM, or --count presses all acked
     scenario: printed, or every message acked
  1  activate: no ack within --timeout (reason on stderr).  scenario: some message unacked
  2  usage error; scenario: invalid scenario file (the key is named on stderr)
  3  activate: nacked (reason other than BUSY).  fleet: --count reached, some were nacked
     scenario: some message nacked
  4  local error (state file, scenario file or TLS file unreadable, internal error)
)";
}

}  // namespace aware::sim
