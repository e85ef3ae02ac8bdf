#!/bin/sh
# Go mcumgr's own command lines, run through smpctl installed as `mcumgr`
# (and with --mcumgr-compat) against the simulated device, over UDP and a
# serial pseudo-terminal; each result is checked: the output, the exit
# code and the device's state afterwards. Every line names where it comes
# from:
#   [GO]  apache/mynewt-mcumgr-cli README.md, "Examples" (its BLE lines run
#         here over UDP: only the connection flags differ)
#   [ZS]  zephyr samples/subsys/mgmt/mcumgr/smp_svr/README.rst, "Sample
#         image: hello mcumgr" (echo over serial and UDP, IPv4 and IPv6)
#   [NCS] nrfconnect/sdk-nrf doc/nrf/app_dev/bootloaders_dfu/
#         dfu_tools_mcumgr_cli.rst (conn add, -c, image, stat, fs, options)
#   [NT]  apache/mynewt-site docs/newtmgr/command_list/newtmgr_datetime.md
#         and newtmgr_mpstats.md (mcumgr's README: "a thin wrapper over
#         newtmgr", whose documentation applies); flags after the command
# Addresses and file names are the simulator's; nothing else is changed.
. tests/e2e/lib.sh
. tests/e2e/serial_lib.sh

mkdir -p "$WORK/bin" "$WORK/fs"
ln -s "$SMPCTL" "$WORK/bin/mcumgr"
MCUMGR="$WORK/bin/mcumgr"
V1="$IMAGES/app_100k_ed25519_v1_0_0.bin"
V2="$IMAGES/app_100k_ed25519_v2.bin"
H1=4ea43c490105f0fe938883e3973eefa19116180729c16323a8645847d90c06ff
H2=ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81

mcumgr() { t_run "$MCUMGR" "$@"; }
# The Go output's "hash:" of image=0 slot=N, as scripts pick it out.
slot_hash() { printf '%s\n' "$OUT" | awk -v s="slot=$1" '$2 == s { f = 1 } f && /hash:/ { print $2; exit }'; }
slot_flags() { printf '%s\n' "$OUT" | awk -v s="slot=$1" '$2 == s { f = 1 } f && /flags:/ { sub(/^ *flags: */, ""); print; exit }'; }
slot_version() { printf '%s\n' "$OUT" | awk -v s="slot=$1" '$2 == s { f = 1 } f && /version:/ { print $2; exit }'; }
# Asks the device itself, in smpctl's JSON, what slot N holds.
dev_slot() { "$SMPCTL" $CONN --json image list | jq -r ".images[] | select(.slot == $1) | $2"; }

# ---- UDP ----
sim_start --primary "$V1" --fs-root "$WORK/fs" --mpstat
CONN="--udp $SIM_ADDR"
ip=${SIM_ADDR%:*}

# [ZS] mcumgr --conntype udp --connstring=[192.168.1.1]:1337 echo hello
mcumgr --conntype udp --connstring="[$ip]:$SIM_PORT" echo hello
expect zs_udp_echo '[ $RC -eq 0 ] && [ "$OUT" = hello ]'

# [GO] 1. mcumgr --conntype ble --connstring 'peer_name=Zephyr' image list
mcumgr --conntype udp --connstring "$SIM_ADDR" image list
expect go_image_list '[ $RC -eq 0 ] && [ "$(printf "%s\n" "$OUT" | head -1)" = Images: ] &&
	[ "$(slot_version 0)" = 1.0.0 ] && [ "$(slot_flags 0)" = "active confirmed" ] &&
	[ "$(slot_hash 0)" = $H1 ] && printf "%s" "$OUT" | grep -qx "Split status: N/A (0)"'

# [GO] 2. mcumgr --conntype ble --connstring 'peer_name=Zephyr' image upload <filename>
mcumgr --conntype udp --connstring "$SIM_ADDR" image upload "$V2"
expect go_image_upload '[ $RC -eq 0 ] && [ "$(dev_slot 1 .hash)" = $H2 ] &&
	printf "%s" "$ERR" | grep -q "no erase before the upload"'

# [GO] 5. (and [NCS] "mcumgr -c acm0 image list" after the upload)
mcumgr --conntype udp --connstring "$SIM_ADDR" image list
expect go_list_after_upload '[ "$(slot_version 1)" = 2.0.0 ] && [ "$(slot_flags 1)" = "" ] &&
	[ "$(slot_hash 1)" = $H2 ]'
hash=$(slot_hash 1)

# [GO] 3. mcumgr --conntype ble --connstring 'peer_name=Zephyr' image test <image-hash>
mcumgr --conntype udp --connstring "$SIM_ADDR" image test "$hash"
expect go_image_test '[ $RC -eq 0 ] && [ "$(slot_flags 1)" = pending ] &&
	[ "$(dev_slot 1 .pending)" = true ]'

# [GO] 4. mcumgr --conntype ble --connstring 'peer_name=Zephyr' reset
B=$(sim_boots)
mcumgr --conntype udp --connstring "$SIM_ADDR" reset
expect go_reset '[ $RC -eq 0 ]'

# [NCS] -t and -r: "mcumgr -c acm0 image list" with a longer timeout and
# more tries; [GO] 5. ensure the new image runs. The device answers for
# CONFIG_MCUMGR_GRP_OS_RESET_MS before it reboots, so the list is asked
# once it has.
sim_rebooted "$B"
mcumgr -t 1 -r 10 --conntype udp --connstring "$SIM_ADDR" image list
expect go_list_after_reset '[ $RC -eq 0 ] && [ "$(slot_version 0)" = 2.0.0 ] &&
	[ "$(slot_flags 0)" = active ] && [ "$(slot_flags 1)" = confirmed ]'

# [GO] 6. mcumgr --conntype ble --connstring 'peer_name=Zephyr' image confirm
mcumgr --conntype udp --connstring "$SIM_ADDR" image confirm
expect go_image_confirm '[ $RC -eq 0 ] && [ "$(slot_flags 0)" = "active confirmed" ] &&
	[ "$(dev_slot 0 .confirmed)" = true ]'

# [NCS] mcumgr <connection-options> image confirm ""
mcumgr --conntype udp --connstring "$SIM_ADDR" image confirm ""
expect ncs_confirm_empty_hash '[ $RC -eq 0 ] && [ "$(slot_flags 0)" = "active confirmed" ]'

# [NCS] mcumgr <connection-options> image confirm <hash>: a hash the
# device lacks is a device error, and says so in the exit code.
mcumgr --conntype udp --connstring "$SIM_ADDR" image confirm 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
expect ncs_confirm_unknown_hash_exit_1 '[ $RC -eq 1 ] && [ -n "$ERR" ]'

# [NCS] mcumgr <connection-options> image erase
mcumgr --conntype udp --connstring "$SIM_ADDR" image erase
expect ncs_image_erase '[ $RC -eq 0 ] && [ -z "$(dev_slot 1 .hash)" ]'

# [NCS] mcumgr <connection-options> image upload [-n] [-e] [-u] [-w] <signed-bin>:
# -u refuses an older image, and the exit code says so.
mcumgr --conntype udp --connstring "$SIM_ADDR" image upload -e -n 0 -u "$V1"
expect ncs_upload_upgrade_only_refused '[ $RC -eq 1 ] && [ -z "$(dev_slot 1 .hash)" ]'
mcumgr --conntype udp --connstring "$SIM_ADDR" image upload -e -n 0 -w 1 "$V1"
expect ncs_upload_flags '[ $RC -eq 0 ] && [ "$(dev_slot 1 .hash)" = $H1 ] &&
	! printf "%s" "$ERR" | grep -q "no erase"'

# [NCS] mcumgr --conn acm0 stat list / mcumgr --conn acm0 stat my_stats
mcumgr --conntype udp --connstring "$SIM_ADDR" stat list
expect ncs_stat_list '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q smp_svr_stats'
mcumgr --conntype udp --connstring "$SIM_ADDR" stat smp_svr_stats
expect ncs_stat_group '[ $RC -eq 0 ] && [ -n "$OUT" ]'
mcumgr --conntype udp --connstring "$SIM_ADDR" stat no_such_group
expect ncs_stat_missing_group '[ $RC -eq 1 ]'

# [NCS] mcumgr -c acm0 fs upload foo.txt /lfs/foo.txt (here with --connstring)
printf 'twenty-five bytes of it\n' >"$WORK/foo.txt"
mcumgr --conntype udp --connstring "$SIM_ADDR" fs upload "$WORK/foo.txt" /lfs/foo.txt
expect ncs_fs_upload '[ $RC -eq 0 ] && cmp -s "$WORK/foo.txt" "$WORK/fs/foo.txt"'
# [NCS] mcumgr -c acm0 fs download /lfs/bar.txt bar.txt (over a stale bar.txt,
# which Go mcumgr replaces)
printf 'ABCD1234\n' >"$WORK/fs/bar.txt"
echo stale >"$WORK/bar.txt"
mcumgr --conntype udp --connstring "$SIM_ADDR" fs download /lfs/bar.txt "$WORK/bar.txt"
expect ncs_fs_download '[ $RC -eq 0 ] && cmp -s "$WORK/fs/bar.txt" "$WORK/bar.txt"'

# [NCS] taskstat (its command list); the device's threads come back.
mcumgr --conntype udp --connstring "$SIM_ADDR" taskstat
expect ncs_taskstat '[ $RC -eq 0 ] && [ "$(printf "%s\n" "$OUT" | wc -l)" -ge 2 ]'
# [NCS] shell: "Executes a command in the remote shell".
mcumgr --conntype udp --connstring "$SIM_ADDR" shell exec kernel version
expect ncs_shell_exec '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -qi zephyr'

# [NT] newtmgr datetime 2017-03-01T22:44:00 -c profile01, then
#      newtmgr datetime -c profile01 (mcumgr conn add, as [NCS] shows)
mcumgr conn add profile01 type=udp connstring="$SIM_ADDR"
mcumgr datetime 2017-03-01T22:44:00 -c profile01
expect nt_datetime_set '[ $RC -eq 0 ]'
mcumgr datetime -c profile01
expect nt_datetime_read '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "2017-03-01T22:44:0"'
# [NT] newtmgr datetime 2017-03-01T22:44:00-08:00 -c profile01
mcumgr datetime 2017-03-01T22:44:00-08:00 -c profile01
mcumgr datetime -c profile01
expect nt_datetime_set_offset '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "2017-03-02T06:44:0"'
# [NT] newtmgr mpstat -c profile01
mcumgr mpstat -c profile01
expect nt_mpstat '[ $RC -eq 0 ] && [ "$(printf "%s\n" "$OUT" | wc -l)" -ge 2 ]'
mcumgr --bogus echo x
expect unknown_go_flag '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "unknown flag .--bogus."'

# A device that does not answer: Go mcumgr's timeout, smpctl's exit code 3.
mcumgr -t 0.3 -r 1 --conntype udp --connstring=127.0.0.1:9 echo hello
expect udp_no_answer_exit_3 '[ $RC -eq 3 ] && [ -z "$OUT" ]'
mcumgr --conntype serial --connstring "dev=/dev/null,speed=9600" echo hello
expect bad_connstring_key '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "unknown serial key .speed."'
mcumgr --conntype can --connstring x echo hello
expect bad_conntype '[ $RC -eq 2 ]'
mcumgr --conntype udp --connstring "$SIM_ADDR" log show
expect unsupported_command '[ $RC -eq 2 ] && [ "$(printf "%s\n" "$ERR" | wc -l)" -eq 1 ]'

# --mcumgr-compat: the same front end without the mcumgr name.
t_run "$SMPCTL" --mcumgr-compat --conntype udp --connstring "$SIM_ADDR" echo via flag
expect compat_flag '[ $RC -eq 0 ] && [ "$OUT" = "via flag" ]'

# Other tools' spellings, in smpctl's own mode: one line, exit 2.
t_run "$SMPCTL" --udp "$SIM_ADDR" os echo hi
expect hint_smpmgr_os_echo '[ $RC -eq 2 ] && [ "$ERR" = "smpctl: '"'"'os echo'"'"' is smpmgr'"'"'s spelling; did you mean: smpctl --udp $SIM_ADDR echo hi" ]'
t_run "$SMPCTL" --ip 192.0.2.1 image state-read
expect hint_smpmgr_ip '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "did you mean: smpctl --udp 192.0.2.1 image list$"'
t_run "$SMPCTL" --port /dev/ttyACM0 os reset
expect hint_smpmgr_port '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "did you mean: smpctl --serial /dev/ttyACM0 reset$"'
t_run "$SMPCTL" -d /dev/ttyACM0 upload app.bin
expect hint_mcumgr_client '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q "mcumgr-client.s spelling; did you mean: smpctl --serial /dev/ttyACM0 upgrade app.bin$"'
# smpctl's own conn add, by option names; bad settings are refused at once.
t_run "$SMPCTL" conn add lab udp="$SIM_ADDR" timeout=2
t_run "$SMPCTL" -p lab echo from profile
expect conn_add_own_keys '[ $RC -eq 0 ] && [ "$OUT" = "from profile" ]'
cp "$HOME/.config/smpctl/config" "$WORK/config.before"
t_run "$SMPCTL" conn add bad udp="$SIM_ADDR" colour=blue
expect conn_add_bad_key '[ $RC -eq 2 ] && cmp -s "$WORK/config.before" "$HOME/.config/smpctl/config"'
t_run "$SMPCTL" conn add bad timeout=soon
expect conn_add_bad_value '[ $RC -eq 2 ] && cmp -s "$WORK/config.before" "$HOME/.config/smpctl/config"'
t_run "$SMPCTL" conn add "bad]name" udp="$SIM_ADDR"
expect conn_add_bad_name '[ $RC -eq 2 ] && cmp -s "$WORK/config.before" "$HOME/.config/smpctl/config"'
t_run "$SMPCTL" conn delete nosuch
expect conn_delete_missing '[ $RC -eq 2 ]'
# ... and Go's connection flags work there too.
t_run "$SMPCTL" --conntype udp --connstring "$SIM_ADDR" echo plain
expect plain_mode_conntype '[ $RC -eq 0 ] && [ "$OUT" = plain ]'
sim_stop

# [ZS] mcumgr --conntype udp --connstring=[2001:db8::1]:1337 echo hello
rm -f "$WORK/flash.bin"
sim_start --udp6 --primary "$V1"
mcumgr --conntype udp --connstring="$SIM_ADDR" echo hello
expect zs_udp6_echo '[ $RC -eq 0 ] && [ "$OUT" = hello ] && case "$SIM_ADDR" in "[::1]"*) true;; *) false;; esac'
sim_stop

# ---- serial ----
rm -f "$WORK/flash.bin"
sim_start_pty --primary "$V1"
CONN="--serial $SIM_TTY"

# [ZS] mcumgr --conntype serial --connstring "/dev/ttyACM0,baud=115200" echo hello
mcumgr --conntype serial --connstring "$SIM_TTY,baud=115200" echo hello
expect zs_serial_echo '[ $RC -eq 0 ] && [ "$OUT" = hello ]'

# [NCS] mcumgr conn add acm0 type="serial" connstring="dev=/dev/ttyACM0,baud=115200,mtu=512"
mcumgr conn add acm0 type="serial" connstring="dev=$SIM_TTY,baud=115200,mtu=512"
expect ncs_conn_add '[ $RC -eq 0 ] && grep -qx "serial = $SIM_TTY" "$HOME/.config/smpctl/config" &&
	grep -qx "mtu = 512" "$HOME/.config/smpctl/config"'

# [NCS] mcumgr -c acm0 image list
mcumgr -c acm0 image list
expect ncs_c_image_list '[ $RC -eq 0 ] && [ "$(slot_hash 0)" = $H1 ]'

# [NCS] mcumgr -c acm0 image upload -e build/zephyr/zephyr.signed.bin
mcumgr -c acm0 image upload -e "$V2"
expect ncs_c_image_upload '[ $RC -eq 0 ] && [ "$(dev_slot 1 .hash)" = $H2 ]'

# [NCS] mcumgr -c acm0 image test e8cf0dce...
mcumgr -c acm0 image test $H2
expect ncs_c_image_test '[ $RC -eq 0 ] && [ "$(slot_flags 1)" = pending ] && [ "$(dev_slot 1 .pending)" = true ]'

# [NCS] -lDEBUG "to capture packet data"
mcumgr -c acm0 -lDEBUG echo debug
expect ncs_log_debug '[ $RC -eq 0 ] && [ "$OUT" = debug ] && [ -n "$ERR" ]'

# [NCS] mcumgr --conn acm0 stat list
mcumgr --conn acm0 stat list
expect ncs_conn_stat_list '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q smp_svr_stats'

# conn show / delete, and a symlink where the profile file should be.
mcumgr conn show acm0
expect conn_show '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -q "acm0: serial=$SIM_TTY, baud=115200, mtu=512"'
mcumgr conn delete acm0
expect conn_delete '[ $RC -eq 0 ] && ! grep -q acm0 "$HOME/.config/smpctl/config"'
mcumgr -c acm0 echo gone
expect conn_deleted_profile '[ $RC -eq 2 ]'
echo '# keep' >"$WORK/target"
rm -f "$HOME/.config/smpctl/config"
ln -s "$WORK/target" "$HOME/.config/smpctl/config"
mcumgr conn add acm1 type=serial connstring="dev=$SIM_TTY"
expect conn_add_refuses_symlink '[ $RC -eq 6 ] && [ "$(cat "$WORK/target")" = "# keep" ] && [ -L "$HOME/.config/smpctl/config" ]'
sim_stop
exit $T_FAILED
