#!/usr/bin/env bash
# check_unit_hardening.sh UNIT_FILE [MAX_EXPOSURE]
#
# Scores a shipped systemd unit with `systemd-analyze security --offline=true` (no running systemd
# needed) and fails when its overall exposure is above MAX_EXPOSURE (default 2.0, on systemd's
# 0.0–10.0 scale). --threshold=20 makes systemd-analyze itself fail above 2.0 too; the printed
# "Overall exposure level" is also parsed and compared, so the bound does not rest on one check.
# Exit codes: 0 pass, 1 fail, 77 skipped (no systemd-analyze, or one without --offline: < v250).
set -uo pipefail

unit=${1:?usage: check_unit_hardening.sh UNIT_FILE [MAX_EXPOSURE]}
max=${2:-2.0}
# systemd-analyze's --threshold is in tenths of the exposure: 2.0 -> 20.
threshold=$(awk -v m="$max" 'BEGIN { printf "%d", m * 10 + 0.5 }')
skip=77

if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze not found (install the systemd package to run this check)"
  exit $skip
fi
if ! systemd-analyze --help 2>/dev/null | grep -q -- '--offline'; then
  echo "SKIP: $(systemd-analyze --version | head -n1) has no 'security --offline' (needs systemd >= 250)"
  exit $skip
fi
if [ ! -r "$unit" ]; then
  echo "FAIL: unit file $unit not readable"
  exit 1
fi

# Plain output: no colours, no pager.
out=$(SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat systemd-analyze security --no-pager --offline=true \
        --threshold="$threshold" "$unit" 2>&1)
rc=$?
printf '%s\n' "$out"

# "→ Overall exposure level for awared.service: 1.2 OK 🙂"
score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9][0-9.]*\).*/\1/p' | tail -n1)
if [ -z "$score" ]; then
  echo "FAIL: no 'Overall exposure level' in the output of systemd-analyze (exit code $rc)"
  exit 1
fi
if [ "$rc" -ne 0 ]; then
  echo "FAIL: systemd-analyze security --threshold=$threshold exited $rc (exposure $score)"
  exit 1
fi
if ! awk -v s="$score" -v m="$max" 'BEGIN { exit !(s + 0 <= m + 0) }'; then
  echo "FAIL: exposure $score of $(basename "$unit") is above $max"
  exit 1
fi
echo "PASS: exposure $score of $(basename "$unit") is at most $max"
