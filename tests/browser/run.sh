#!/bin/sh
# run.sh — starts one browser test (a node script) for ctest. Exits 77 (ctest SKIP_RETURN_CODE)
# only when node or the browser (/usr/bin/chromium, or $AWARE_CHROMIUM) is missing — `./dev`
# installs both; anything else that goes wrong is a failure.
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (./dev deps installs nodejs)"
  exit 77
fi
if [ ! -x "${AWARE_CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "SKIP: ${AWARE_CHROMIUM:-/usr/bin/chromium} is not installed (./dev deps installs chromium)"
  exit 77
fi
exec node "$@"
