#!/bin/bash
# SPDX-License-Identifier: MIT
# virtio_blk.sh [ELF]: the bare-metal virtio-blk round trip (tests/guest/virtio_blk.c) on a
# disk made here: a 32 KiB raw image whose sector 1 holds the host's pattern, given to the
# guest as --disk IMG,serial=GUESTBLK. Passes when the guest reports every check passed
# (none skipped) and the image afterwards holds exactly what it should: the host's sector
# untouched, the guest's two-sector pattern at sector 4 (what it wrote, flushed and read
# back), zeros everywhere else (the write across the end changed nothing), its size the same.
# SOFTKVM (default build/softkvm) may name another binary; GUEST_TIMEOUT as run.sh.
set -u
. "$(dirname "$0")/lib/runlib.sh"
elf=${1:-$REPO_DIR/build/guest/virtio_blk.elf}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
img=$tmp/disk.img

python3 - "$img" <<'PY'
import sys
img = bytearray(64 * 512)
img[512:1024] = bytes((i * 3 + 0x11) & 0xff for i in range(512))
open(sys.argv[1], "wb").write(img)
PY
timeout -k 5 "$GUEST_TIMEOUT" "$SOFTKVM" run --kernel "$elf" --no-reboot \
	--disk "$img,serial=GUESTBLK" </dev/null >"$tmp/out" 2>&1
rc=$?
cat "$tmp/out"
fail=0
read -r p f s <<<"$(summary "$tmp/out")"
if [ $rc -ne 0 ] || [ -z "${p:-}" ] || [ "$p" -eq 0 ] || [ "$f" -ne 0 ] || [ "$s" -ne 0 ]; then
	echo "FAIL: virtio_blk guest: exit $rc, summary '${p:-} ${f:-} ${s:-}' (want all passed, none skipped)"
	fail=1
fi
python3 - "$img" <<'PY' || fail=1
import sys
img = open(sys.argv[1], "rb").read()
want = bytearray(64 * 512)
want[512:1024] = bytes((i * 3 + 0x11) & 0xff for i in range(512))
want[4 * 512:6 * 512] = bytes((i * 7 + 0x5a) & 0xff for i in range(1024))
if img == want:
    print("PASS: the image holds the host's sector, the guest's two sectors at 4, zeros elsewhere")
    sys.exit(0)
bad = [i // 512 for i in range(min(len(img), len(want))) if img[i] != want[i]]
print(f"FAIL: the image: {len(img)} bytes (want {len(want)}), sectors differing: "
      f"{sorted(set(bad))[:16]}")
sys.exit(1)
PY
[ $fail -eq 0 ] && echo "virtio_blk round trip: passed" || echo "virtio_blk round trip: FAILED"
exit $fail
