#!/usr/bin/env bash
# Installs the real components expkit's tests run against, when missing: Debian packages, then a
# virtual environment with the real ML frameworks and wandb (test/python/requirements.txt).
# Run as root on Debian (CI and developer machines); elsewhere it says what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  python3-torch python3-numpy python3-yaml   # instrumented and generated Python runs for real
  python3-venv                               # the framework venv below
  python3-pyflakes black shellcheck          # lint/format checks on generated code
  tmux screen                                # launch backends
  slurm-wlm munge                            # single-node SLURM cluster for launch tests
  git
)

install_debian_packages() {
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done

  if [ "${#missing[@]}" -eq 0 ]; then
    echo "test-setup: all Debian test components present"
    return 0
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
  echo "test-setup: Debian packages installed"
}

# The real frameworks (HF transformers/TRL, Lightning, Keras 3, accelerate, JAX, wandb) in a venv outside
# the repository, so a fresh clone on the same machine reuses it. A stamp holds the hash of the pinned
# requirements; a venv whose stamp matches and whose interpreter still starts is kept as it is.
# test/support/components.ts FRAMEWORK_PYTHON reads the same EXPKIT_TEST_VENV default.
install_framework_venv() {
  local venv="${EXPKIT_TEST_VENV:-/opt/expkit-test-venv}"
  local requirements="test/python/requirements.txt"
  local stamp="$venv/.expkit-requirements.sha256"
  local want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$venv/bin/python" -c '' 2>/dev/null; then
    echo "test-setup: framework venv $venv is current"
    return 0
  fi
  # A venv built before stamps existed is adopted when it holds exactly the pinned set.
  if [ ! -f "$stamp" ] && "$venv/bin/python" -c '' 2>/dev/null &&
    diff -q <(grep -v '^#' "$requirements" | sort -f) <("$venv/bin/python" -m pip freeze 2>/dev/null | sort -f) >/dev/null; then
    echo "$want" >"$stamp"
    echo "test-setup: framework venv $venv matches the requirements; stamped"
    return 0
  fi
  if [ -e "$venv" ] && [ ! -f "$venv/pyvenv.cfg" ]; then
    echo "test-setup: $venv exists and is not a virtual environment; set EXPKIT_TEST_VENV elsewhere" >&2
    exit 1
  fi
  echo "test-setup: building framework venv $venv (about 2 minutes)"
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  # Every version is pinned, torch as the local CPU wheel (+cpu): pip can never choose a CUDA build.
  local find_links=()
  [ -d "${EXPKIT_TORCH_WHEELS:-/opt/wheels}" ] && find_links=(--find-links "${EXPKIT_TORCH_WHEELS:-/opt/wheels}")
  "$venv/bin/python" -m pip install --no-input --disable-pip-version-check "${find_links[@]}" \
    -r "$requirements" >/tmp/expkit-test-venv.log 2>&1 || {
    grep -v "^WARNING: Location" /tmp/expkit-test-venv.log | tail -n 30 >&2
    echo "test-setup: pip install into $venv failed (log: /tmp/expkit-test-venv.log)" >&2
    exit 1
  }
  KERAS_BACKEND=torch "$venv/bin/python" -c 'import torch, transformers, trl, accelerate, lightning, keras, jax, optax, flax, wandb, datasets; assert torch.__version__.endswith("+cpu"), torch.__version__' || {
    echo "test-setup: the framework venv $venv does not import" >&2
    exit 1
  }
  echo "$want" >"$stamp" # last: an interrupted build has no stamp and is rebuilt
  echo "test-setup: framework venv $venv ready"
}

install_debian_packages
install_framework_venv
echo "test-setup: done"
