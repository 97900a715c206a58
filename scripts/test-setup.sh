#!/usr/bin/env bash
# Installs the real components expkit's tests run against (Debian packages), when missing.
# Run as root on Debian (CI and developer machines); elsewhere it says what is missing.
set -euo pipefail

packages=(
  python3-torch python3-numpy python3-yaml   # instrumented and generated Python runs for real
  python3-pyflakes black shellcheck          # lint/format checks on generated code
  tmux screen                                # launch backends
  slurm-wlm munge                            # single-node SLURM cluster for launch tests
  git
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "test-setup: all test components present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "test-setup: missing ${missing[*]}; install them with apt-get as root" >&2
  exit 1
fi

echo "test-setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Service start-up during install may be denied by policy here; the tests start daemons themselves.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/expkit-test-setup.log 2>&1 || {
  tail -n 30 /tmp/expkit-test-setup.log >&2
  exit 1
}
/usr/bin/python3 -c 'import torch, numpy, yaml' || { echo "test-setup: torch did not import on /usr/bin/python3" >&2; exit 1; }
echo "test-setup: done"
