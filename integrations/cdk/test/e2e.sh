#!/usr/bin/env bash
# End-to-end test of the CDK policy-validation plugin (@iamvet/cdk-validator):
# builds iamvet from this repository, installs the package's pinned dev
# dependencies (aws-cdk-lib, constructs, typescript) with npm ci, builds the
# plugin and the test app, then runs the unit tests (fake iamvet) and the
# end-to-end tests (real iamvet inside a real `app.synth()`).
#
# Usage: integrations/cdk/test/e2e.sh        (from anywhere; needs go, node >= 18, npm)
set -euo pipefail

pkg="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$pkg/../.." && pwd)"
start=$SECONDS

for tool in go node npm; do
  command -v "$tool" >/dev/null || { echo "e2e.sh: $tool is required" >&2; exit 1; }
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 18 ]; then
  echo "e2e.sh: node >= 18 required (node --test), found $(node --version)" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== cdk plugin: build iamvet"
(cd "$repo" && go build -o "$tmp/iamvet" ./cmd/iamvet)
export IAMVET_BINARY="$tmp/iamvet"

cd "$pkg"
echo "== cdk plugin: npm ci"
npm ci --no-audit --no-fund --loglevel=error

if ! node scripts/gen-rules.js --check; then
  echo "e2e.sh: WARNING: integrations/cdk/src/rules.generated.ts does not match this iamvet's rules;" >&2
  echo "e2e.sh: WARNING: it is regenerated for this run; commit it (cd integrations/cdk && IAMVET_BINARY=<iamvet> npm run gen-rules)" >&2
fi

echo "== cdk plugin: build"
npm run --silent build
npm run --silent build:test

echo "== cdk plugin: tests (unit + end-to-end)"
IAMVET_E2E_REQUIRED=1 node --test test/unit.test.js test/e2e.test.js

echo "cdk plugin: passed in $((SECONDS - start))s"
