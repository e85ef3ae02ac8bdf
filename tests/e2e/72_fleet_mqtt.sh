#!/bin/sh
# Fleet scale through the broker: `upgrade --each` of 50 simulated
# devices on one real mosquitto, all through ONE broker connection of
# smpctl's (cli/fleet/fleet_mqtt.c). One device never answers (a timeout naming
# its topic), one already runs the image; the others are upgraded; exit 7. Then each device's image state, the broker's log
# (one smpctl client), the compact {N..M} form and bad lines.
. tests/e2e/lib.sh
. tests/e2e/mqtt_lib.sh

if ! mqtt_have_broker; then
	echo "FAIL mqtt_broker: $MOSQUITTO is not installed (scripts/ensure-deps.sh installs it)"
	exit 1
fi
N=50
V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
NEW=$IMAGES/app_4k_ed25519.bin
NEW_HASH=ae797618229cd2793b30758389ed6ccf2eb996388063b4aa6554ab2f9fb5b18e
KEY=$IMAGES/keys/ed25519.pub.pem
DEVS=""

devs_stop() {
	for p in $DEVS; do kill "$p" 2>/dev/null; done
	for p in $DEVS; do wait "$p" 2>/dev/null; done
	DEVS=""
}
fleet_cleanup() { devs_stop; mqtt_cleanup; }
trap fleet_cleanup EXIT

pki_make || { echo "FAIL mqtt_pki: openssl could not make the test certificates"; exit 1; }
broker_start
PLAIN="mqtt://fleet:s3cret@127.0.0.1:$BROKER_PLAIN_PORT"

# Devices 1..N but the silent one (dev7, never started); dev3 already runs
# the new image. Each its own process, started together, then waited for.
i=1
while [ $i -le $N ]; do
	if [ $i -ne 7 ]; then
		prim=$V1
		[ $i -eq 3 ] && prim=$NEW
		"$SIMDEV" --flash "$WORK/flash$i.bin" --primary "$prim" --mqtt "$PLAIN/line" \
			--device-id "dev$i" >"$WORK/dev$i.out" 2>"$WORK/dev$i.err" &
		DEVS="$DEVS $!"
	fi
	i=$((i + 1))
done
ready_count() { cat "$WORK"/$1*.out 2>/dev/null | grep -c "^ready mqtt"; }
wait_until '[ "$(ready_count dev)" -eq $((N - 1)) ]'
ready=$(ready_count dev)
expect fleet_mqtt_devices_ready '[ "$ready" -eq $((N - 1)) ]'

conns_before=$(grep -c "New client connected" "$WORK/broker.log")
start=$(date +%s)
"$SMPCTL" --timeout 5 --retries 2 --json upgrade "$NEW" --key "$KEY" \
	--each "$PLAIN/line/dev{1..$N}" --each-timeout 300 >"$WORK/out" 2>"$WORK/progress"
RC=$?
end=$(date +%s)
conns_during=$(($(grep -c "New client connected" "$WORK/broker.log") - conns_before))
OUT=$(cat "$WORK/out")
ERR=$(cat "$WORK/progress")
echo "# fleet_mqtt: $N devices in $((end - start)) s"
b() { jqr ".boards[] | select(.board == \"$PLAIN/line/dev$1\") | $2"; }

expect fleet_mqtt_exit_some_failed '[ $RC -eq 7 ] && [ "$(jqr .ok)" = false ] &&
	[ "$(jqr ".boards | length")" = $N ]'
ok=1
i=1
while [ $i -le $N ]; do
	case $i in
	3) [ "$(b $i .result)" = up-to-date ] || ok=0 ;;
	7) ;;
	*) [ "$(b $i .result)" = upgraded ] && [ "$(b $i .version_before)" = 1.0.0 ] &&
		[ "$(b $i .version_after)" = "1.2.3+4" ] || { ok=0; echo "# dev$i: $(b $i .)"; } ;;
	esac
	i=$((i + 1))
done
expect fleet_mqtt_all_upgraded '[ $ok = 1 ]'
expect fleet_mqtt_silent_named '[ "$(b 7 .result)" = failed ] && [ "$(b 7 .exit_code)" = 3 ] &&
	b 7 .error | grep -q "no answer on topic .line/dev7/smp/rsp."'
# One connection: while the line ran, the broker saw one new client, and
# it was smpctl's.
expect fleet_mqtt_one_connection '[ "$conns_during" -eq 1 ] &&
	grep "New client connected" "$WORK/broker.log" | tail -1 | grep -q " as smpctl-"'

# Every device's own image state.
state_ok=1
for i in 1 2 4 25 $N; do
	t_run "$SMPCTL" --mqtt "$PLAIN/line/dev$i" --json image list
	[ "$(jqr '.images[] | select(.slot == 0) | .hash')" = $NEW_HASH ] &&
		[ "$(jqr '.images[] | select(.slot == 0) | .confirmed')" = true ] || state_ok=0
done
t_run "$SMPCTL" --mqtt "$PLAIN/line/dev3" --json image list
expect fleet_mqtt_devices_upgraded '[ $state_ok = 1 ] && [ "$(jqr ".images | length")" = 1 ] &&
	[ "$(jqr ".images[0].hash")" = $NEW_HASH ]'

# Again, as a table, the list form: every board is up to date, exit 0.
t_run "$SMPCTL" --timeout 5 upgrade "$NEW" --each "$PLAIN/line/{dev1,dev2,dev50}"
expect fleet_mqtt_table '[ $RC -eq 0 ] && [ "$(printf "%s\n" "$OUT" "$ERR" | grep -c "up-to-date")" -ge 3 ]'

# Bad lines: one error before any board is touched.
t_run "$SMPCTL" upgrade "$NEW" --each "$PLAIN/line/dev{5..1}"
expect fleet_mqtt_bad_range '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "low to high"'
t_run "$SMPCTL" upgrade "$NEW" --each "$PLAIN/line/dev{1,}"
expect fleet_mqtt_bad_list '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "empty name"'
t_run "$SMPCTL" upgrade "$NEW" --each "$PLAIN/line/dev1" "mqtt://127.0.0.1:1/line/dev2"
expect fleet_mqtt_two_brokers '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "another broker"'
t_run "$SMPCTL" upgrade "$NEW" --each "mqtt://fleet:wrong@127.0.0.1:$BROKER_PLAIN_PORT/line/dev1"
expect fleet_mqtt_refused '[ $RC -eq 3 ] && [ "$(printf "%s\n" "$ERR" | wc -l)" -eq 1 ]'
devs_stop

# TLS with client certificates: three devices on the TLS listener, one
# connection of smpctl's for all three.
for i in 1 2 3; do
	"$SIMDEV" --flash "$WORK/tls$i.bin" --primary "$V1" --mqtt "$(TLS_URL tls)" --device-id "t$i" \
		$DEVICE_TLS >"$WORK/tls$i.out" 2>"$WORK/tls$i.err" &
	DEVS="$DEVS $!"
done
wait_until '[ "$(ready_count tls)" -eq 3 ]'
conns_before=$(grep -c "New client connected" "$WORK/broker.log")
t_run "$SMPCTL" --timeout 5 --json upgrade "$NEW" --key "$KEY" --each "$(TLS_URL tls)/t{1..3}" $CLIENT_TLS
conns_during=$(($(grep -c "New client connected" "$WORK/broker.log") - conns_before))
expect fleet_mqtt_tls '[ $RC -eq 0 ] && [ "$(jqr "[.boards[] | select(.result == \"upgraded\")] | length")" = 3 ] &&
	[ "$conns_during" -eq 1 ]'
t_run "$SMPCTL" --timeout 2 upgrade "$NEW" --each "$(TLS_URL tls)/t1" --cafile "$WORK/pki/ca.pem" \
	--cert "$WORK/pki/rogue.pem" --cert-key "$WORK/pki/rogue.key"
expect fleet_mqtt_tls_rogue '[ $RC -eq 3 ] && [ "$(printf "%s\n" "$ERR" | wc -l)" -eq 1 ]'
devs_stop
exit $T_FAILED
