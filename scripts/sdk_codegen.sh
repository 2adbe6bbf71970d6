#!/usr/bin/env bash
# Regenerate both SDKs from schema.graphql and sdk/operations/ (in place, or under $1).
# ariadne-codegen needs graphql-core < 3.3 (strawberry needs 3.3), so it has its own venv.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:-$root}"
codegen_venv="${CODEGEN_VENV:-$root/.venv-codegen}"
if [ ! -x "$codegen_venv/bin/ariadne-codegen" ]; then
  python3 -m venv "$codegen_venv"
  "$codegen_venv/bin/pip" install --quiet 'ariadne-codegen==0.19.0'
fi
cd "$target/sdk/python"
mkdir -p paliapi_client
for flavour in sync async; do
  rm -rf "paliapi_client/_$flavour"
  "$codegen_venv/bin/ariadne-codegen" --config "codegen-$flavour.toml" client >/dev/null
done
cd "$target/sdk/typescript"
[ -e node_modules ] || ln -s "$root/sdk/typescript/node_modules" node_modules
rm -rf src/generated
node_modules/.bin/graphql-codegen --config codegen.ts --silent
