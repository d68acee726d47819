#!/bin/sh
# Removes the `latchkey` wrapper the install put on PATH (only if it is still ours).
BIN_DIR="${LATCHKEY_BIN_DIR:-/usr/bin}"
if [ -f "$BIN_DIR/latchkey" ] && grep -q -- '--latchkey-cli' "$BIN_DIR/latchkey"; then rm -f "$BIN_DIR/latchkey"; fi
