#!/bin/sh
# make bench, the matrix: a 256 KiB image upload to every simulated device
# profile at smpctl's defaults, against the profile's floor.
#
# cold      first run, with an empty cache: includes learning the link
# warm      the same again: starts from what the first run learned
# floor     the time if the device were never idle and never dropped
#           anything, from `smp-simdev --device P --describe`:
#             erase + max(flash writes, link intake)
#           flash writes: write_ns_per_byte a byte, request_us a request;
#           erase: erase_us_per_sector for each sector the image covers
#           (the whole slot for MCUboot's serial recovery);
#           link intake, for packets as large as the device's buffer
#           takes (header and chunk fields 26 bytes of each):
#             udp, ble   0 (loopback, no air time in the simulator)
#             uart, recovery  10 bits a framed byte at baud
#             shell      poll_ms for every frame_bufs frames of 127
#                        bytes, at the packet size (whole frames) that
#                        carries the most per poll
# of floor  floor / warm (target >= 0.90)
# resends   chunks sent again per 100 chunks, warm run (target <= 2)
# -w 1      one request at a time, for comparison
# Go        (zephyr-shell) Go mcumgr's serial pacing, modelled: it
#           sleeps 20 ms before each 124-character base64 line but the
#           first (nmxact/nmserial/serial_xport.go, Tx), packets of its
#           default mtu 256; the device then takes the request at its
#           next poll (half a period on average) and writes it.
# Figures, not pass/fail.
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
IMAGES=${SMPCTL_TESTDATA:-../shared/testdata}/images
SMPCTL=$BUILD/smpctl
SIMDEV=$BUILD/smp-simdev
IMG=$IMAGES/app_256k_ecdsa-p256.bin
LEN=$(wc -c <"$IMG")
# Slots just large enough: MCUboot's serial recovery erases the whole slot.
SLOT=$((0x48000))
PROFILES=${BENCH_PROFILES:-zephyr-udp zephyr-udp-4 zephyr-shell zephyr-uart zephyr-ble ncs-ble-speedup mcuboot-recovery}
work=$(mktemp -d)
sim=""
trap '[ -n "$sim" ] && kill $sim 2>/dev/null; rm -rf "$work"' EXIT INT TERM

describe() { "$SIMDEV" --device "$1" --describe; }
param() { sed -n "s/^$1=//p" "$work/describe"; }

start_sim() {
	rm -f "$work/flash.bin" "$work/sim.out"
	case $(param transport) in
	udp) set -- --udp 0; kind=udp ;;
	ble) set -- --att "$work/att.sock"; kind=att ;;
	*) set -- --pty "$work/tty"; kind=pty ;;
	esac
	"$SIMDEV" --device "$profile" --flash "$work/flash.bin" --slot-size "$SLOT" "$@" \
		>"$work/sim.out" 2>/dev/null &
	sim=$!
	while ! grep -q "^ready $kind" "$work/sim.out" 2>/dev/null; do sleep 0.05; done
	where=$(sed -n "s/^ready $kind //p" "$work/sim.out")
	case $kind in
	udp) conn="--udp $where" ;;
	att) conn="--ble unix:$where" ;;
	pty) conn="--serial $where" ;;
	esac
}

stop_sim() {
	kill "$sim" 2>/dev/null || true
	wait "$sim" 2>/dev/null || true
	sim=""
}

# upload [smpctl options]: the JSON report in $work/out
upload() {
	# shellcheck disable=SC2086
	XDG_CACHE_HOME=$work/cache "$SMPCTL" $conn "$@" --json image upload --force "$IMG" \
		>"$work/out" 2>"$work/err" || { echo "upload failed on $profile: $(cat "$work/err")" >&2; return 1; }
}

jqr() { jq -r "$1" "$work/out"; }

floor_of() {
	awk -v len="$LEN" -v slot="$SLOT" -F= '
		{ p[$1] = $2 }
		function ceil(x) { return x == int(x) ? x : int(x) + 1 }
		function framed(pkt,  chars) {	# Zephyr console framing of a packet
			chars = ceil((pkt + 4) / 3) * 4
			return chars + 3 * ceil(chars / 124)
		}
		END {
			t = p["transport"]; over = 26
			if (t == "udp") pkt = p["buf_size"] < p["udp_mtu"] ? p["buf_size"] : p["udp_mtu"]
			else if (t == "ble") pkt = p["buf_size"]
			else pkt = p["buf_size"] - 4
			erased = t == "recovery" ? slot : len	# recovery erases the slot
			erase = ceil(erased / p["sector_size"]) * p["erase_us_per_sector"] / 1e6
			link = 0
			if (t == "shell") {
				best = -1
				for (f = 1; f <= 64; f++) {
					pk = 93 * f - 4	# 124 base64 characters a frame
					if (pk > pkt) pk = pkt
					n = ceil(len / (pk - over))
					x = n * ceil(f / p["frame_bufs"]) * p["poll_ms"] / 1000
					if (best < 0 || x < best) { best = x; bestpk = pk }
					if (pk == pkt) break
				}
				link = best; pkt = bestpk
			} else if (p["baud"] > 0) {
				n = ceil(len / (pkt - over))
				link = n * framed(pkt) * 10 / p["baud"]
			}
			n = ceil(len / (pkt - over))
			write = len * p["write_ns_per_byte"] / 1e9 + n * p["request_us"] / 1e6
			printf "%.2f\n", erase + (write > link ? write : link)
		}' "$work/describe"
}

# Go mcumgr on the shell profile, from its pacing (see the top).
go_model() {
	awk -v len="$LEN" -F= '
		{ p[$1] = $2 }
		function ceil(x) { return x == int(x) ? x : int(x) + 1 }
		END {
			mtu = 256; data = mtu - 26
			lines = ceil(ceil((mtu + 4) / 3) * 4 / 124)
			n = ceil(len / data)
			per = (lines - 1) * 0.020 + p["poll_ms"] / 2000 + data * p["write_ns_per_byte"] / 1e9
			erased = t == "recovery" ? slot : len	# recovery erases the slot
			erase = ceil(erased / p["sector_size"]) * p["erase_us_per_sector"] / 1e6
			printf "%.1f\n", erase + n * per
		}' "$work/describe"
}

printf 'Upload of %s (%s bytes) to each simulated device profile, at the defaults\n' \
	"$(basename "$IMG")" "$LEN"
printf '%-17s %7s %7s %7s %8s %8s %7s %6s %9s %s\n' profile cold warm floor "of floor" resends \
	"-w 1" packet window "Go (x faster)"
for profile in $PROFILES; do
	describe "$profile" >"$work/describe"
	rm -rf "$work/cache"
	start_sim
	upload
	cold=$(jqr .seconds)
	upload
	warm=$(jqr .seconds)
	resends=$(jq -r '(.link.chunks_resent * 100 / (.chunks - .link.chunks_resent)) * 100 | round / 100' "$work/out")
	packet=$(jqr .packet_size)
	window=$(jqr .window)
	gap=$(jqr .link.frame_gap_ms)
	upload --window 1
	one=$(jqr .seconds)
	stop_sim
	floor=$(floor_of)
	go="-"
	if [ "$profile" = zephyr-shell ]; then
		g=$(go_model)
		go="$g s ($(awk -v g="$g" -v w="$warm" 'BEGIN { printf "%.2f", g / w }')x)"
	fi
	printf '%-17s %6.1fs %6.1fs %6.1fs %8.2f %8s %6.1fs %6s %9s %s\n' "$profile" "$cold" "$warm" \
		"$floor" "$(awk -v f="$floor" -v w="$warm" 'BEGIN { printf "%.2f", f / w }')" \
		"$resends" "$one" "$packet" "$window${gap:+/${gap}ms}" "$go"
done
