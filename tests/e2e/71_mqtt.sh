#!/bin/sh
# --mqtt: SMP through a real mosquitto broker on loopback with TLS and
# client certificates from a test CA. Every common command, a full
# upgrade, a v3.1.1 device, the broker's packet limit, a broker restart
# mid-upload, wrong certificates, a password login and a device that
# never answers.
. tests/e2e/lib.sh
. tests/e2e/mqtt_lib.sh

if ! mqtt_have_broker; then
	echo "FAIL mqtt_broker: $MOSQUITTO is not installed (scripts/ensure-deps.sh installs it)"
	exit 1
fi
V1=$IMAGES/app_100k_ed25519_v1_0_0.bin
V2=$IMAGES/app_100k_ed25519_v2.bin
V2_HASH=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
KEY=$IMAGES/keys/ed25519.pub.pem
BIG=$IMAGES/app_1m_ed25519.bin
BIG_HASH=a020a7d4ef42d1058ac1bb93f801697bc8dfb29f96a7f6970d598ad1231eb68d
one_line() { [ -n "$ERR" ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]; }
slot_hash() {
	"$SMPCTL" --mqtt "$(TLS_URL fleet/dev1)" $CLIENT_TLS --json image list |
		jq -r ".images[] | select(.slot == $1) | .hash"
}

pki_make || { echo "FAIL mqtt_pki: openssl could not make the test certificates"; exit 1; }
broker_start
mkdir -p "$WORK/fs"
sim_start_mqtt dev1 --primary "$V1" --fs-root "$WORK/fs"

mq -v echo hello broker
expect mqtt_echo '[ $RC -eq 0 ] && [ "$OUT" = "hello broker" ] &&
	printf "%s" "$ERR" | grep -q "MQTT v5 over TLS" &&
	printf "%s" "$ERR" | grep -q "answers on .fleet/dev1/smp/rsp."'
mq --json params
expect mqtt_params '[ $RC -eq 0 ] && [ "$(jqr .buf_size)" = 2048 ]'
mq --json os info s
expect mqtt_os_info '[ $RC -eq 0 ] && [ "$(jqr .output)" = Zephyr ]'
mq --json image list
expect mqtt_image_list '[ $RC -eq 0 ] && [ "$(jqr ".images | length")" = 1 ]'
mq -v --json image upload "$V2"
expect mqtt_upload '[ $RC -eq 0 ] && [ "$(slot_hash 1)" = $V2_HASH ] &&
	printf "%s" "$ERR" | grep -q "mqtt packets up to 2048 bytes"'
head -c 20000 /dev/urandom >"$WORK/f1"
mq fs upload "$WORK/f1" /lfs/f1
up_rc=$RC
mq fs download /lfs/f1 "$WORK/f1.back"
expect mqtt_fs_roundtrip '[ $up_rc -eq 0 ] && [ $RC -eq 0 ] && cmp -s "$WORK/f1" "$WORK/f1.back"'
B=$(sim_boots)
mq reset
expect mqtt_reset '[ $RC -eq 0 ]'
sim_rebooted "$B"
mq image erase
mq --json upgrade "$V2" --key "$KEY"
expect mqtt_upgrade '[ $RC -eq 0 ] && [ "$(slot_hash 0)" = $V2_HASH ] &&
	[ "$(jqr ".images[0].confirmed // .confirmed // empty")" != false ]'
# Topic templates: both ends agree on another scheme.
sim_stop
sim_start_mqtt dev1 --mqtt-topics "smp/{device}/in,smp/{device}/out"
mq -v --mqtt-topics "smp/{device}/in,smp/{device}/out" echo templated
expect mqtt_topic_templates '[ $RC -eq 0 ] && [ "$OUT" = templated ] &&
	printf "%s" "$ERR" | grep -q "answers on .smp/dev1/out."'
sim_stop

# Two clients on one device share its answer topic: each takes the
# answers to its own requests (MQTT v5 Correlation Data) and drops the
# other's before its engine sees them. The first one's upload stalls
# halfway until the second one has its echo, so that echo is answered
# while the first is still uploading: with its packet size pinned and
# retries plenty, it asks again at least every 10 s for over a minute.
rm -f "$WORK/flash.bin"
sim_start_mqtt dev1 --primary "$V1" --buf-count 4 --stall-at-byte 51200
bg_start "$SMPCTL" --mqtt "$(TLS_URL fleet/dev1)" $CLIENT_TLS -v --window 1 --timeout 10 --retries 100 \
	--mtu 1024 --json image upload "$V2"
sim_wait 'stalled [0-9]*'
mq echo from the second client
b_rc=$RC b_out=$OUT
sim_release
bg_end
expect mqtt_two_clients '[ $b_rc -eq 0 ] && [ "$b_out" = "from the second client" ] && [ $RC -eq 0 ] &&
	[ "$(slot_hash 1)" = $V2_HASH ] && printf "%s" "$ERR" | grep -q "answers meant for other clients"'
sim_stop

# A v3.1.1 device: no correlation data comes back, the SMP sequence
# number matches the answers.
sim_start_mqtt dev1 --mqtt-v311
mq echo old client
expect mqtt_v311_device '[ $RC -eq 0 ] && [ "$OUT" = "old client" ]'
sim_stop

# A device that never answers: a timeout naming the topic, exit 3.
t_run "$SMPCTL" --mqtt "$(TLS_URL fleet/nobody)" $CLIENT_TLS --timeout 0.5 --retries 1 echo x
expect mqtt_silent_device '[ $RC -eq 3 ] && one_line &&
	printf "%s" "$ERR" | grep -q "no answer on topic .fleet/nobody/smp/rsp."'

# Certificates: one the broker does not trust, none, and a broker whose
# certificate we do not trust. One line, exit 3, OpenSSL's reason.
t_run "$SMPCTL" --mqtt "$(TLS_URL fleet/dev1)" --cafile "$WORK/pki/ca.pem" \
	--cert "$WORK/pki/rogue.pem" --cert-key "$WORK/pki/rogue.key" echo x
expect mqtt_untrusted_client_cert '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "TLS"'
t_run "$SMPCTL" --mqtt "$(TLS_URL fleet/dev1)" --cafile "$WORK/pki/ca.pem" echo x
expect mqtt_no_client_cert '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "TLS"'
t_run "$SMPCTL" --mqtt "$(TLS_URL fleet/dev1)" --cafile "$WORK/pki/rogue-ca.pem" \
	--cert "$WORK/pki/client.pem" --cert-key "$WORK/pki/client.key" echo x
expect mqtt_untrusted_broker '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "certificate verify failed"'
t_run "$SMPCTL" --mqtt "$(TLS_URL fleet/dev1)" --cert "$WORK/pki/client.pem" echo x
expect mqtt_cert_without_key '[ $RC -ne 0 ] && one_line && printf "%s" "$ERR" | grep -q -- "--cert-key"'
# User and password on the plain listener.
sim_launch mqtt --mqtt "mqtt://fleet:s3cret@127.0.0.1:$BROKER_PLAIN_PORT/plain" --device-id d9
t_run "$SMPCTL" --mqtt "mqtt://fleet:s3cret@127.0.0.1:$BROKER_PLAIN_PORT/plain/d9" echo with password
expect mqtt_password '[ $RC -eq 0 ] && [ "$OUT" = "with password" ]'
t_run "$SMPCTL" --mqtt "mqtt://fleet:wrong@127.0.0.1:$BROKER_PLAIN_PORT/plain/d9" echo x
expect mqtt_wrong_password '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "refused the connection: Not authorized"'
sim_stop
for bad in "mqtt://127.0.0.1" "http://127.0.0.1/a/b" "mqtt://h:99999/a/b" "mqtt://h/a/+"; do
	t_run "$SMPCTL" --mqtt "$bad" echo x
	expect "mqtt_bad_url_$bad" '[ $RC -eq 2 ] && one_line'
done

# The broker's Maximum Packet Size (CONNACK) bounds the packets, below
# what the device's buffer would take.
broker_restart "max_packet_size 1100"
rm -f "$WORK/flash.bin"
sim_start_mqtt dev1 --primary "$V1"
mq -v --json image upload "$V2"
expect mqtt_broker_packet_limit '[ $RC -eq 0 ] && [ "$(jqr .packet_size)" -le 1100 ] &&
	[ "$(slot_hash 1)" = $V2_HASH ] && printf "%s" "$ERR" | grep -q "mqtt packets up to 10[0-9][0-9] bytes"'
sim_stop

# The broker restarts mid-upload (the upload stalled halfway until then,
# smpctl asking again at least every 10 s): both ends reconnect and
# resubscribe, the lost requests are resent, the image arrives whole.
broker_restart
rm -f "$WORK/flash.bin"
sim_start_mqtt dev1 --primary "$V1" --stall-at-byte 51200
bg_start "$SMPCTL" --mqtt "$(TLS_URL fleet/dev1)" $CLIENT_TLS -v --timeout 10 --retries 100 \
	--mtu 1024 --json image upload "$V2"
sim_wait 'stalled [0-9]*'
broker_restart
sim_release
bg_end
expect mqtt_broker_restart_mid_upload '[ $RC -eq 0 ] && [ "$(slot_hash 1)" = $V2_HASH ] &&
	printf "%s" "$ERR" | grep -q "lost the connection to the broker" &&
	printf "%s" "$ERR" | grep -q "connected to .* again"'

exit $T_FAILED
