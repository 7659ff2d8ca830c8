#!/usr/bin/env bash
# Provide the real parts test/cluster/ runs against: Debian's etcd and a kube-apiserver v1.20.2
# built offline from Debian's `kubernetes` source package (it vendors every Go dependency).
# Idempotent: a cached binary that reports v1.20.2 is reused; otherwise it is built (~5 min on
# 2 cores, ~2 GB of disk, removed afterwards) and copied to the cache path.
# The system's apt sources are never touched: the source package comes through a private apt
# config that holds only a deb-src line. Needs root (apt-get) when something is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

VERSION=v1.20.2
OUT="${COFFER_KUBE_APISERVER:-$HOME/.cache/coffer/kube-apiserver-$VERSION}"
log() { echo "build-kube-apiserver: $*" >&2; }

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing ${missing[*]}"
  if ! apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

apt_install etcd-server etcd-client

if [ -x "$OUT" ] && "$OUT" --version 2>/dev/null | grep -q "$VERSION\$"; then
  log "cached $("$OUT" --version) at $OUT"
  exit 0
fi

apt_install golang-go dpkg-dev rsync

D="$(mktemp -d "${TMPDIR:-/tmp}/coffer-kube-build.XXXXXX")"
# Go writes some build outputs read-only; make them writable so the cleanup cannot fail.
trap 'chmod -R u+w "$D" 2>/dev/null; rm -rf "$D"' EXIT
mkdir -p "$D/lists/partial" "$D/home"
echo 'deb-src http://deb.debian.org/debian bookworm main' >"$D/sources.list"
APTO=(-o "Dir::Etc::SourceList=$D/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$D/lists")

log "fetching Debian's kubernetes source package into $D"
apt-get "${APTO[@]}" update -qq
(cd "$D" && apt-get "${APTO[@]}" source kubernetes >/dev/null 2>&1)
SRC="$(find "$D" -maxdepth 1 -type d -name 'kubernetes-*' | head -n 1)"
[ -n "$SRC" ] || { log "no kubernetes source tree after apt-get source"; exit 1; }

log "building cmd/kube-apiserver offline in $SRC (takes several minutes)"
start=$(date +%s)
# The Makefile expects the tree at $GOPATH/src/k8s.io/kubernetes; a plain `go build` fails.
mkdir -p "$SRC/.go/src/k8s.io"
ln -sfn ../../.. "$SRC/.go/src/k8s.io/kubernetes"
(cd "$SRC" && GOPATH="$SRC/.go" CGO_ENABLED=0 GOPROXY=off HOME="$D/home" \
  make WHAT=cmd/kube-apiserver >"$D/build.log" 2>&1) || {
  tail -n 40 "$D/build.log" >&2
  log "build failed"
  exit 1
}

mkdir -p "$(dirname "$OUT")"
cp "$SRC/_output/bin/kube-apiserver" "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
log "built $("$OUT" --version) in $(($(date +%s) - start)) s -> $OUT"
