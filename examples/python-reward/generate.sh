#!/usr/bin/env bash
# Generates the Python RewardService stubs from Troupe's wire contract into OUT (default: ./gen).
# Needs Debian's python3-grpc-tools (or `pip install grpcio-tools`); uses /usr/bin/python3 by
# default because that is where the Debian packages live. Override with PYTHON=...
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/gen}"
PROTO="$HERE/../../proto/src/main/proto"
mkdir -p "$OUT"
"${PYTHON:-/usr/bin/python3}" -m grpc_tools.protoc -I "$PROTO" \
  --python_out="$OUT" --grpc_python_out="$OUT" "$PROTO/troupe/v1/reward.proto"
echo "stubs written to $OUT/troupe/v1"
