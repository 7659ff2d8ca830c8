#!/usr/bin/env bash
# Coffer in one minute: make an age key, encrypt the example secrets, look at them, decrypt them.
# Everything happens in a temporary directory; your own ~/.config/sops/age/keys.txt is not touched.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
coffer="node $here/../bin/coffer.js"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*" >&2; }

step coffer keygen -o "$work/keys.txt"
recipient="$($coffer keygen -o "$work/keys.txt")"
export SOPS_AGE_KEY_FILE="$work/keys.txt"

for example in db-secret.yaml app.env settings.json; do
  step coffer encrypt --age "$recipient" "examples/$example"
  $coffer encrypt --age "$recipient" "$here/$example" > "$work/$example"
  cat "$work/$example"
done

step coffer decrypt db-secret.yaml "# (encrypted copy)"
$coffer decrypt "$work/db-secret.yaml"

step coffer decrypt --extract '["stringData"]["password"]' db-secret.yaml
$coffer decrypt --extract '["stringData"]["password"]' "$work/db-secret.yaml"; echo

step coffer filestatus app.env
$coffer filestatus "$work/app.env"

printf '\nDone: the encrypted files keep their keys readable and decrypt only with the age key.\n' >&2
