#!/usr/bin/env bash
# Regenerates docs/screenshot.png (Design tab, a state selected) and docs/screenshot-code.png
# (Code tab, a problem revealed) from the real window under Xvfb.
# Needs: xvfb xauth mesa-vulkan-drivers libvulkan1 imagemagick xdotool (Debian package names).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
BIN="$PWD/target/debug/asl-studio"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The starter workflow with one mistake, so the diagnostics show.
# (templates/ of the main repository, or of the core beside this side crate)
TEMPLATE="${ASL_TEMPLATE:-}"
for candidate in templates/order-processing.asl.json ../core/templates/order-processing.asl.json; do
    [ -z "$TEMPLATE" ] && [ -f "$candidate" ] && TEMPLATE="$candidate"
done
sed 's/"Next": "Ship order"/"Next": "Ship ordr"/' "$TEMPLATE" > "$WORK/order-processing.asl.json"

cat > "$WORK/shoot.sh" <<'INNER'
#!/usr/bin/env bash
set -euo pipefail
BIN="$1"; FILE="$2"; OUT="$3"
export XDG_CONFIG_HOME="$(dirname "$FILE")/config" XDG_DATA_HOME="$(dirname "$FILE")/data"
"$BIN" "$FILE" >/dev/null 2>&1 &
PID=$!
sleep 6
WID="$(xdotool search --name "ASL Studio" | head -1)"
xdotool windowfocus "$WID" 2>/dev/null || true
# Select "Charge payment" in the States browser (third row).
xdotool mousemove 80 184 click 1
sleep 1
xdotool mousemove 700 600
sleep 1
import -window root "$OUT/screenshot.png"
# The Code tab, with the problem clicked in the problems list.
xdotool key --window "$WID" ctrl+2
sleep 1
xdotool mousemove 600 "${PROBLEM_Y:-770}" click 1
sleep 1
xdotool mousemove 1000 300
sleep 1
import -window root "$OUT/screenshot-code.png"
kill "$PID"
INNER
chmod +x "$WORK/shoot.sh"
mkdir -p docs
xvfb-run -a -s "-screen 0 1440x900x24" "$WORK/shoot.sh" "$BIN" "$WORK/order-processing.asl.json" "$PWD/docs"
echo "wrote docs/screenshot.png and docs/screenshot-code.png"
