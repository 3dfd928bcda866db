#!/usr/bin/env bash
# Installs the Debian packages the test suite needs beyond Node: a software TPM (swtpm) and
# tpm2-tools with the swtpm TCTI, used by the real TPM attestation tests; and the OCI peers of the
# image tests: docker-registry (a registry on 127.0.0.1), skopeo (Debian's 1.9) and umoci.
# openssl (the CLI) cross-checks the Hygon SM2 signatures in the CSV verifier tests.
# time (/usr/bin/time) measures wall time, CPU time and peak RSS in scripts/bench-image.mjs.
# Idempotent and quiet: packages already present are left alone. Runs apt-get as root, or through
# sudo when not root.
# Exits non-zero, naming the packages, when something cannot be installed.
set -euo pipefail

packages=(swtpm swtpm-tools tpm2-tools libtss2-tcti-swtpm0 docker-registry skopeo umoci openssl gnupg time)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: nothing to install"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: ERROR: apt-get not found; install these packages by hand: ${missing[*]}" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "install-system-deps: ERROR: not root and sudo is not available; cannot install: ${missing[*]}" >&2
  exit 1
fi

echo "install-system-deps: installing ${missing[*]}"
echo "+ ${as_root[*]} apt-get update"
if ! "${as_root[@]}" apt-get update -qq; then
  echo "install-system-deps: ERROR: apt-get update failed" >&2
  exit 1
fi
echo "+ ${as_root[*]} apt-get install -qq -y --no-install-recommends ${missing[*]}"
if ! DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -qq -y --no-install-recommends \
  -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null; then
  echo "install-system-deps: ERROR: could not install: ${missing[*]}" >&2
  exit 1
fi

for tool in swtpm tpm2_quote tpm2_createak docker-registry skopeo umoci /usr/bin/time; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-system-deps: ERROR: $tool is still missing after the install" >&2
    exit 1
  fi
done
echo "install-system-deps: done"
