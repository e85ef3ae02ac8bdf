#!/bin/sh
# Bluetooth LE through bluetoothd: what users hit, each in one line that
# says what to do: the adapter off, the device not found, the SMP
# characteristic needing a paired link, another program holding its
# notifications; and the fallback to the kernel when bluetoothd is not on
# the bus.
. tests/e2e/lib.sh
. tests/e2e/ble_lib.sh
. tests/e2e/ble_dbus_lib.sh

bus_start
sim_start_att --att-mtu 247

# bluetoothd is not on the bus yet: the automatic choice is the kernel.
bled -v --timeout 0.5 echo x
expect dbus_absent_falls_back '[ $RC -ne 0 ] && printf "%s" "$ERR" | grep -q "the kernel.s sockets: bluetoothd (org.bluez) is not on the system D-Bus"'
bled --ble-backend dbus echo x
expect dbus_forced_absent '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "not on the system D-Bus: start it.*--ble-backend kernel"'

standin_start --powered-off
bled echo x
expect dbus_adapter_off '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "hci0 is off: turn it on with .bluetoothctl power on.*rfkill"'
t_run as_user "$SMPCTL" --timeout 0.5 scan
expect dbus_scan_adapter_off '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "bluetoothctl power on"'
bled --hci 1 echo x
expect dbus_no_such_adapter '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "no adapter hci1"'

standin_start --hidden
bled echo x
expect dbus_not_found '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "no device named \"smp-sim\" found within 10 s"'

standin_start --notify-held
bled echo x
expect dbus_notify_held '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "another program holds the SMP characteristic.*NotPermitted: Notify acquired"'
standin_start --notify-started
bled echo x
expect dbus_notify_session_elsewhere '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "another program holds the SMP characteristic.*InProgress"'
# smpctl disconnected what it connected: the device, which serves one
# central at a time, takes the next one (here the kernel path's socket).
t_run "$SMPCTL" --ble "unix:$WORK/att.sock" --timeout 2 echo again
expect dbus_left_disconnected '[ $RC -eq 0 ] && [ "$OUT" = again ]'

sim_stop
sim_start_att --att-mtu 247 --att-db auth
standin_start
bled echo x
expect dbus_not_paired '[ $RC -eq 3 ] && one_line && printf "%s" "$ERR" | grep -q "is not paired.*bluetoothctl pair C0:FF:EE:00:00:01.*agent"'

exit $T_FAILED
