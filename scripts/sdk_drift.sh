#!/usr/bin/env bash
# Fail when the committed SDK code is not what schema.graphql and sdk/operations/ generate.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/sdk/python" "$scratch/sdk/typescript"
cp "$root/schema.graphql" "$scratch/"
cp -r "$root/sdk/operations" "$scratch/sdk/"
cp "$root"/sdk/python/codegen-*.toml "$scratch/sdk/python/"
cp "$root/sdk/typescript/codegen.ts" "$scratch/sdk/typescript/"
"$root/scripts/sdk_codegen.sh" "$scratch"
status=0
for generated in sdk/python/paliapi_client/_sync sdk/python/paliapi_client/_async sdk/typescript/src/generated; do
  diff -ru --exclude=__pycache__ "$root/$generated" "$scratch/$generated" || status=1
done
if [ "$status" -ne 0 ]; then
  echo "SDK drift: regenerate with scripts/sdk_codegen.sh and commit the result" >&2
fi
exit "$status"
