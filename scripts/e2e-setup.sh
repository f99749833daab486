#!/usr/bin/env bash
# Installs what the end-to-end tests (npm run e2e) need outside the repo; safe to run again.
#  - Debian packages: chromium (driven by playwright-core), fonts-liberation, libkrb5-dev
#    (code-server's kerberos module builds from source when its prebuilt download fails);
#  - code-server (VS Code in a browser) into the tools dir, $E2E_TOOLS or
#    ~/.cache/redis-posture-e2e, kept out of package.json: it is ~300 MB with native builds.
# Everything comes from Debian's apt and the npm registry; nothing else is downloaded.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# code-server's shrinkwrap pins @vscode/ripgrep 1.15.11, whose postinstall downloads rg
# v13.0.0-10 from GitHub unless it finds it in its cache; the cache is seeded from the rg
# binary that the npm package @vscode/ripgrep-linux-x64 ships.
RIPGREP_CACHE=vscode-ripgrep-cache-1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
RIPGREP_NPM=@vscode/ripgrep-linux-x64@1.18.0

TOOLS="${E2E_TOOLS:-$HOME/.cache/redis-posture-e2e}"
started=$(date +%s)
log() { echo "e2e-setup: $*"; }

# ---------------------------------------------------------------- system packages
missing=()
for p in chromium fonts-liberation libkrb5-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "chromium, fonts-liberation, libkrb5-dev already installed"
fi
[ -x /usr/bin/chromium ] || { echo "e2e-setup: /usr/bin/chromium is missing after the install" >&2; exit 1; }

# ---------------------------------------------------------------- code-server
cs="$TOOLS/node_modules/code-server"
installed=""
[ -f "$cs/package.json" ] && installed=$(node -p "require('$cs/package.json').version" 2>/dev/null || true)
if [ "$installed" = "$CODE_SERVER_VERSION" ] && [ -x "$TOOLS/node_modules/.bin/code-server" ] \
   && [ -f "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in $TOOLS"
else
  log "installing code-server@$CODE_SERVER_VERSION into $TOOLS${installed:+ (found $installed)}"
  mkdir -p "$TOOLS"
  (
    cd "$TOOLS"
    rm -rf node_modules package-lock.json
    [ -f package.json ] || printf '{ "name": "redis-posture-e2e-tools", "private": true }\n' > package.json
    # @vscode/ripgrep's postinstall looks for its download in $TMPDIR/<cache dir>.
    export TMPDIR="$TOOLS/tmp"
    rm -rf "$TMPDIR"
    mkdir -p "$TMPDIR/$RIPGREP_CACHE" "$TMPDIR/rg"
    ( cd "$TMPDIR/rg" && npm pack --silent "$RIPGREP_NPM" >/dev/null && tar xzf ./*.tgz )
    tar czf "$TMPDIR/$RIPGREP_CACHE/$RIPGREP_ASSET" -C "$TMPDIR/rg/package/bin" rg
    # unsafe_perm: code-server's postinstall refuses to run as root otherwise; yes: node-pty's
    # postinstall runs `npx node-gyp`; nodedir: node-gyp builds against the local Node headers
    # (the nodesource deb puts them in /usr/include/node) instead of downloading them.
    npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir="${npm_config_nodedir:-/usr}" \
      npm install --no-audit --no-fund --save-exact "code-server@$CODE_SERVER_VERSION"
    rm -rf "$TMPDIR"
  )
fi
# code-server writes a config.yaml and logs under XDG_CONFIG_HOME / XDG_DATA_HOME even for --version.
xdg=$(mktemp -d)
XDG_CONFIG_HOME="$xdg/config" XDG_DATA_HOME="$xdg/data" "$TOOLS/node_modules/.bin/code-server" --version | grep " with Code "
rm -rf "$xdg"
log "done in $(( $(date +%s) - started )) s; tools in $TOOLS"
