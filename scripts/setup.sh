#!/usr/bin/env bash
# Makes this machine able to run `npm start` and `npm test`: from a fresh Debian or Ubuntu with git
# alone, it installs what is missing and runs `npm ci`.
#
#   scripts/setup.sh
#
# - Node.js 24 (scripts/node24.sh: the official binary, from the npm registry, into
#   ~/.cache/delivery-node24; npm start / npm test find it there by themselves), and npm.
# - Java 17 and Maven for the embedded MongoDB store, unless MONGO_URL is set.
# - RabbitMQ, installed and started, unless AMQP_URL is set or a broker answers on 127.0.0.1:5672.
# - Chromium for the browser tests.
# - `npm ci`, unless node_modules already matches package-lock.json.
#
# Each step checks before it acts: on a machine that has everything it changes nothing and
# apt-get never runs. Run it as yourself: it uses sudo for apt-get when you are not root
# (Node 24 and node_modules belong to the user who runs npm). .ci/run runs it too.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "[setup] $*"; }
have() { command -v "$1" >/dev/null 2>&1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ "$(id -u)" -eq 0 ]; then
  as_root() { "$@"; }
elif have sudo; then
  as_root() { sudo "$@"; }
else
  as_root() {
    echo "[setup] needs root for: $*; run it as root or install sudo" >&2
    exit 1
  }
fi

apt_updated=no
apt_update_once() {
  if [ "$apt_updated" = no ]; then
    have apt-get || { echo "[setup] no apt-get: install by hand what the lines above name" >&2; exit 1; }
    as_root apt-get update -qq
    apt_updated=yes
  fi
}
apt_install() {
  say "installing $* (apt-get)"
  apt_update_once
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}
# Whether the distribution offers a package (Debian has `chromium`, Ubuntu does not).
# grep reads all of apt-cache's output: `grep -q` would stop at the match, apt-cache would die of
# SIGPIPE, and pipefail would turn that into "not offered".
apt_offers() {
  apt_update_once
  apt-cache policy "$1" 2>/dev/null | grep 'Candidate: [^(]' >/dev/null
}

# --- Node.js 24 and npm ----------------------------------------------------------------------
# npm from the distribution when there is none; it fetches Node 24 (and runs on it afterwards).
[ -e /etc/ssl/certs/ca-certificates.crt ] || apt_install ca-certificates
have npm || apt_install nodejs npm
# shellcheck source=node24.sh
source scripts/node24.sh

# --- Java 17 and Maven: the embedded MongoDB store (packages/embedded-mongo) -----------------
java_major() {
  local major
  major=$(java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1)
  echo "${major:-0}"
}
if [ -n "${MONGO_URL:-}" ]; then
  say "MONGO_URL is set: no Java or Maven needed"
else
  if ! have java || [ "$(java_major)" -lt 17 ]; then
    # Debian 12 and Ubuntu name Java 17 so; newer Debian has only a newer default.
    if apt_offers openjdk-17-jre-headless; then apt_install openjdk-17-jre-headless; else apt_install default-jre-headless; fi
  fi
  have mvn || apt_install maven
fi

# --- RabbitMQ ------------------------------------------------------------------------------
rabbitmq_server() { PATH="$PATH:/usr/sbin:/usr/local/sbin" command -v rabbitmq-server; }
if [ -n "${AMQP_URL:-}" ]; then
  say "AMQP_URL is set: no local RabbitMQ needed"
elif ! port_open 5672; then
  rabbitmq_server >/dev/null || apt_install rabbitmq-server
  if ! port_open 5672; then
    say "starting RabbitMQ"
    if [ -d /run/systemd/system ]; then
      as_root systemctl start rabbitmq-server
    else
      as_root "$(rabbitmq_server)" -detached
    fi
  fi
  for _ in $(seq 1 90); do port_open 5672 && break; sleep 1; done
  port_open 5672 || { echo "[setup] RabbitMQ did not come up on 127.0.0.1:5672" >&2; exit 1; }
fi

# --- npm packages ----------------------------------------------------------------------------
dependencies_match_lock() {
  node --input-type=module -e "
    import { dependenciesProblem } from './scripts/preflight.mjs';
    process.exit(dependenciesProblem('.') ? 1 : 0);"
}
if dependencies_match_lock; then
  say "node_modules matches package-lock.json"
else
  npm ci --no-audit --no-fund
fi

# --- Chromium for the browser tests (test/system/browser.ts drives /usr/bin/chromium) -------
if [ ! -x /usr/bin/chromium ]; then
  if apt_offers chromium; then
    apt_install chromium
  else
    # Ubuntu ships Chromium as a snap only; Playwright's own build (with the libraries it needs)
    # stands in at the path the tests use.
    say "installing Playwright's Chromium"
    npx --no-install playwright-core install --with-deps chromium
    as_root ln -sf "$(node -e "import('playwright-core').then((p) => console.log(p.chromium.executablePath()))")" \
      /usr/bin/chromium
  fi
fi

# Everything `npm test` checks first, checked now.
node scripts/preflight.mjs test
say "ready: npm start runs the system, npm test runs the tests"
