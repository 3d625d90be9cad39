# Installs the npm packages the OpenBfr.Formats tests drive from node as independent peers
# (@garmin/fitsdk: Garmin's FIT SDK; ical.js: an iCalendar parser), pinned by package-lock.json.
peers_dir="tests/OpenBfr.Formats.Tests/peers"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "20-npm-peers: node and npm are needed for the FIT and iCalendar peer tests" >&2
  return 1
fi
if [ ! -d "$peers_dir/node_modules/@garmin/fitsdk" ] || [ ! -d "$peers_dir/node_modules/ical.js" ]; then
  (cd "$peers_dir" && npm ci --no-audit --no-fund --loglevel=error) || return 1
fi
