# Sourced by the 7x_mqtt*.sh tests (after lib.sh): a test CA and
# certificates made with the openssl CLI, and a real mosquitto broker on
# loopback with its own configuration in $WORK, always stopped at the end.
MOSQUITTO=${MOSQUITTO:-/usr/sbin/mosquitto}
BROKER_PID=""
BROKER_PORT=""

broker_stop() {
	if [ -n "$BROKER_PID" ]; then
		kill "$BROKER_PID" 2>/dev/null
		wait "$BROKER_PID" 2>/dev/null
		BROKER_PID=""
	fi
}

mqtt_cleanup() {
	sim_stop
	broker_stop
	rm -rf "$WORK"
}
trap mqtt_cleanup EXIT

# mqtt_have_broker: true when mosquitto is installed.
mqtt_have_broker() { [ -x "$MOSQUITTO" ]; }

# cert_make NAME CA SUBJECT [SAN]: a key and a certificate signed by CA
# (a name made by ca_make) in $WORK/pki.
cert_make() {
	d=$WORK/pki
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$d/$1.key" -subj "/CN=$3" -out "$d/$1.csr" 2>/dev/null || return 1
	if [ -n "${4:-}" ]; then
		printf 'subjectAltName=%s\n' "$4" >"$d/$1.ext"
	else
		: >"$d/$1.ext"
	fi
	openssl x509 -req -in "$d/$1.csr" -CA "$d/$2.pem" -CAkey "$d/$2.key" -CAcreateserial \
		-days 2 -extfile "$d/$1.ext" -out "$d/$1.pem" 2>/dev/null
}

# ca_make NAME: a self-signed test CA.
ca_make() {
	mkdir -p "$WORK/pki"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-keyout "$WORK/pki/$1.key" -subj "/CN=smpctl test $1" -out "$WORK/pki/$1.pem" 2>/dev/null
}

# pki_make: the test CA, the broker's certificate for 127.0.0.1, a client
# and a device certificate; and a second CA with a client of its own,
# which the broker does not trust.
pki_make() {
	ca_make ca && ca_make rogue-ca &&
		cert_make server ca localhost "IP:127.0.0.1,DNS:localhost" &&
		cert_make client ca smpctl && cert_make device ca dev1 &&
		cert_make rogue rogue-ca smpctl
}

# broker_start [config lines...]: mosquitto on loopback with TLS (client
# certificates required) on BROKER_PORT, and a plain listener with a
# password (user "fleet", password "s3cret") on BROKER_PLAIN_PORT. Picks
# free ports, or reuses BROKER_PORT and BROKER_PLAIN_PORT when set (a
# restart). The ports are picked below the kernel's ephemeral range, so
# that no connection takes one while the broker restarts; tests running
# side by side that pick the same one try another.
broker_start() {
	conf=$WORK/mosquitto.conf
	[ -f "$WORK/passwd" ] || {
		: >"$WORK/passwd"
		mosquitto_passwd -b "$WORK/passwd" fleet s3cret 2>/dev/null
	}
	low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
	[ "$low" -gt 12000 ] 2>/dev/null || low=32768
	tries=0
	while [ $tries -lt $((T_WAIT_S * 5)) ]; do
		tries=$((tries + 1))
		if [ -z "$BROKER_KEEP_PORTS" ]; then
			[ $tries -gt 20 ] && break
			rnd=$(od -An -N2 -tu2 /dev/urandom | tr -d " ")
			BROKER_PORT=$((10000 + (rnd + tries * 7919) % (low - 10002)))
			BROKER_PLAIN_PORT=$((BROKER_PORT + 1))
		fi
		{
			echo "per_listener_settings true"
			echo "persistence false"
			echo "user $(id -un)"
			echo "log_dest stderr"
			echo "log_type error"
			echo "log_type warning"
			echo "log_type notice"
			echo "log_type information"
			echo "listener $BROKER_PORT 127.0.0.1"
			echo "set_tcp_nodelay true"
			echo "cafile $WORK/pki/ca.pem"
			echo "certfile $WORK/pki/server.pem"
			echo "keyfile $WORK/pki/server.key"
			echo "require_certificate true"
			echo "allow_anonymous true"
			echo "listener $BROKER_PLAIN_PORT 127.0.0.1"
			echo "set_tcp_nodelay true"
			echo "allow_anonymous false"
			echo "password_file $WORK/passwd"
			for line in "$@"; do echo "$line"; done
		} >"$conf"
		"$MOSQUITTO" -c "$conf" >"$WORK/broker.log" 2>&1 &
		BROKER_PID=$!
		wait_line "$WORK/broker.log" running "$BROKER_PID" && return 0
		kill "$BROKER_PID" 2>/dev/null
		wait "$BROKER_PID" 2>/dev/null
		BROKER_PID=""
		# Port taken: try others, or, for a restart that must keep
		# them, the same again until the old sockets are gone.
		[ -n "$BROKER_KEEP_PORTS" ] && sleep 0.2
	done
	echo "FAIL broker_start: mosquitto did not start: $(tail -3 "$WORK/broker.log")"
	exit 1
}

# broker_restart: stops the broker and starts it again on the same ports.
broker_restart() {
	broker_stop
	BROKER_KEEP_PORTS=1 broker_start "$@"
}

TLS_URL() { echo "mqtts://127.0.0.1:$BROKER_PORT/$1"; }
CLIENT_TLS="--cafile $WORK/pki/ca.pem --cert $WORK/pki/client.pem --cert-key $WORK/pki/client.key"
DEVICE_TLS="--mqtt-cafile $WORK/pki/ca.pem --mqtt-cert $WORK/pki/device.pem --mqtt-key $WORK/pki/device.key"

# sim_start_mqtt DEVICE-ID [simdev options...]: the device on the TLS
# listener under prefix "fleet".
sim_start_mqtt() {
	id=$1
	shift
	sim_launch mqtt --mqtt "$(TLS_URL fleet)" --device-id "$id" $DEVICE_TLS "$@"
}

# mq ARGS...: t_run smpctl through the broker to fleet/dev1.
mq() {
	t_run "$SMPCTL" --mqtt "$(TLS_URL fleet/dev1)" $CLIENT_TLS "$@"
}
