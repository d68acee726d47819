#!/bin/sh
# Puts the `latchkey` command on PATH: a wrapper that runs the app's own binary as the command line
# (--latchkey-cli), so no separate Node is needed and the RunAsNode fuse stays off. The app itself
# starts from its menu entry. electron-builder fills in the product and executable names.
set -e
BIN_DIR="${LATCHKEY_BIN_DIR:-/usr/bin}"
APP="/opt/${sanitizedProductName}/${executable}"
mkdir -p "$BIN_DIR"
rm -f "$BIN_DIR/latchkey"
cat > "$BIN_DIR/latchkey" <<WRAPPER
#!/bin/sh
exec "$APP" --latchkey-cli "\$@"
WRAPPER
chmod 755 "$BIN_DIR/latchkey"
# The sandbox helper needs its setuid bit where user namespaces are off (electron-builder's own step).
if [ -f "/opt/${sanitizedProductName}/chrome-sandbox" ]; then
  chmod 4755 "/opt/${sanitizedProductName}/chrome-sandbox" || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q || true; fi
