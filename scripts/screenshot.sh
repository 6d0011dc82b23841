#!/usr/bin/env bash
# Regenerates docs/screenshot.png (Design tab, a state selected in the canvas and the
# inspector) and docs/screenshot-code.png (Code tab, a problem revealed) from the real window
# under Xvfb.
# Needs: xvfb xauth mesa-vulkan-drivers libvulkan1 imagemagick xdotool (Debian package names).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
BIN="$PWD/target/debug/asl-studio"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The starter workflow as it is, and with one mistake so that the diagnostics show.
cp templates/order-processing.asl.json "$WORK/order-processing.asl.json"
mkdir -p "$WORK/broken"
sed 's/"Next": "Ship order"/"Next": "Ship ordr"/' templates/order-processing.asl.json \
    > "$WORK/broken/order-processing.asl.json"

cat > "$WORK/shoot.sh" <<'INNER'
#!/usr/bin/env bash
set -euo pipefail
BIN="$1"; GOOD="$2"; BROKEN="$3"; OUT="$4"
export XDG_CONFIG_HOME="$(dirname "$GOOD")/config" XDG_DATA_HOME="$(dirname "$GOOD")/data"
start() {
    "$BIN" "$1" >/dev/null 2>&1 &
    PID=$!
    sleep 6
    WID="$(xdotool search --name "ASL Studio" | head -1)"
    xdotool windowfocus "$WID" 2>/dev/null || true
}
start "$GOOD"
# Select "Charge payment" on the canvas (where the layout puts it in a 1440x900 window).
xdotool mousemove "${STATE_X:-515}" "${STATE_Y:-362}" click 1
sleep 1
xdotool mousemove 900 830
sleep 1
import -window root "$OUT/screenshot.png"
kill "$PID"
sleep 1
start "$BROKEN"
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
xvfb-run -a -s "-screen 0 1440x900x24" "$WORK/shoot.sh" "$BIN" \
    "$WORK/order-processing.asl.json" "$WORK/broken/order-processing.asl.json" "$PWD/docs"
echo "wrote docs/screenshot.png and docs/screenshot-code.png"
