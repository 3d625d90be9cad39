# Installs Debian's Chromium for the end-to-end tests (Playwright drives /usr/bin/chromium;
# never `playwright install`, whose browser downloads fail here).
if [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing chromium (apt-get)" >&2
  if [ -z "${OPENBFR_APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null 2>&1 && export OPENBFR_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
    || echo "setup: could not install chromium; end-to-end tests will be skipped" >&2
fi
