#!/bin/sh
# A link that loses at random (smp-simdev --loss, seeded: the same seed
# loses the same packets): loss is not size. An upgrade under 10 % loss
# ends confirmed; a lossy upload says what it lost, in words; the probe
# does not take a lost or doubled echo for a device without echo; and
# what a lossy run leaves in the link cache is what a clean run leaves.
. tests/e2e/lib.sh

V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
IMG=$V2

q() { "$SMPCTL" --udp "$SIM_ADDR" --timeout 0.5 --retries 20 "$@" 2>/dev/null; }
slot_field() { q --json image list | jq -r ".images[] | select(.image == $1 and .slot == $2) | .$3"; }
cached_packet() { sed -n 's/^packet //p' "$1"/smpctl/links/* 2>/dev/null | head -n 1; }

# --- upgrade under 10 % loss each way, with three seeds: always confirmed.
for seed in 1 2 3; do
	sim_start --primary "$V1" --loss 10 --seed "$seed"
	smp --retries 10 --json upgrade "$V2"
	expect "upgrade_confirmed_at_10_percent_seed_$seed" '[ $RC -eq 0 ] &&
		[ "$(slot_field 0 0 hash)" = $V2_HASH ] && [ "$(slot_field 0 0 confirmed)" = true ]'
	sim_stop
done

# --- the cache after a clean upload, then after one at 20 % loss.
sim_start
XDG_CACHE_HOME=$WORK/clean smp image upload --force "$IMG"
expect clean_upload '[ $RC -eq 0 ]'
CLEAN_PACKET=$(cached_packet "$WORK/clean")
expect clean_cache_written '[ -n "$CLEAN_PACKET" ]'
sim_stop

sim_start --loss 20 --seed 5
XDG_CACHE_HOME=$WORK/lossy smp -v image upload --force "$IMG"
expect lossy_upload '[ $RC -eq 0 ]'
expect lossy_upload_says_what_it_lost 'printf "%s\n" "$OUT" |
	grep -Eq "^uploaded .*; lost [0-9]+ of [0-9]+ requests \([0-9]+ %\)$"'
expect lossy_probe_does_not_blame_echo '! printf "%s\n" "$ERR" | grep -q "does not echo"'
expect lossy_never_blames_size '! printf "%s\n" "$ERR" | grep -q "no answer even to"'
# Either the size answered at the start, or nothing (the start size never
# answered: too large or only lost, the run cannot tell): never less.
LOSSY_PACKET=$(cached_packet "$WORK/lossy")
expect lossy_cache_has_no_shrunk_packet '[ -z "$LOSSY_PACKET" ] || [ "$LOSSY_PACKET" = "$CLEAN_PACKET" ]'
sim_stop

# --- doubled answers are dropped quietly: no loss, no shrink.
sim_start --dup 5 --seed 7
XDG_CACHE_HOME=$WORK/dup smp -v --json image upload --force "$IMG"
expect dup_upload '[ $RC -eq 0 ] && [ "$(jqr .link.shrinks)" = 0 ] &&
	[ "$(jqr .packet_size)" = "$CLEAN_PACKET" ]'
expect dup_probe_does_not_blame_echo '! printf "%s\n" "$ERR" | grep -q "does not echo"'
sim_stop

exit $T_FAILED
