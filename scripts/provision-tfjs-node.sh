#!/usr/bin/env bash
# Makes @tensorflow/tfjs-node (backend "tensorflow") importable in this checkout.
# Run through `npm run provision`, so that node_modules/.bin comes first on PATH: the project pins
# npm 10 as a dev dependency because npm 11 silently skips `npm install --no-save <pkg>` when <pkg>
# is an optional peer of the root package (npm/cli#9024), which is exactly how the offline
# provisioning tool installs tfjs-node.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=../shared/tools/tfjs-node-local
if [ -x "$tool" ]; then
  echo "provision: using $(command -v npm) (npm $(npm --version))"
  exec "$tool"
fi
if node -e "require('@tensorflow/tfjs-node')" 2>/dev/null; then
  echo "provision: @tensorflow/tfjs-node already loads"
  exit 0
fi
echo "provision: $tool not found; install the native backend with: npm install --no-save @tensorflow/tfjs-node@4.22.0" >&2
exit 1
