# Shared helpers for the project's scripts. Source it; do not run it.

# The repository root, whatever the caller's working directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '==> %s\n' "$*" >&2; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages that are not installed yet (one apt-get update, only if needed).
ensure_debian_packages() {
  local missing=()
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The system libraries the gateway links against (TLS, signing, HTTP/2).
ensure_build_dependencies() {
  ensure_debian_packages pkg-config libssl-dev libnghttp2-dev libsqlite3-dev
}

# Creates (or reuses) a Python virtual environment (VENV, default .venv, under the repository)
# and installs REQUIREMENTS into it. Prints the venv's python path.
ensure_python_venv() {
  local requirements="$1"
  local venv="$REPO_ROOT/${2:-.venv}"
  if [ ! -x "$venv/bin/python" ]; then
    log "creating Python venv in ${venv#"$REPO_ROOT"/}"
    python3 -m venv "$venv" >&2 || { ensure_debian_packages python3-venv; python3 -m venv "$venv" >&2; }
  fi
  if ! cmp -s "$requirements" "$venv/.installed-requirements" 2>/dev/null; then
    log "installing Python packages from ${requirements#"$REPO_ROOT"/}"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
    cp "$requirements" "$venv/.installed-requirements"
  fi
  printf '%s\n' "$venv/bin/python"
}

# `swift build` of what ships: release, with the Swift runtime linked in, as the container
# image has it (one binary, no Swift libraries to install, and less memory: see docs/PERFORMANCE.md).
release_build() {
  swift build -c release --static-swift-stdlib "$@"
}
