#!/bin/sh
# Installed as `mcumgr`, smpctl prints on stdout what Go mcumgr prints,
# byte for byte. Each expected output below is built with Go's own format
# string, from apache/mynewt-newtmgr newtmgr/cli/ at 60b2da78788c (the
# newtmgr that apache/mynewt-mcumgr-cli's go.mod pins), the file and
# function named beside it; the values are the simulated device's
# (tests/sim/), named likewise. The exit codes stay smpctl's.
. tests/e2e/lib.sh

export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_STATE_HOME="$WORK/state" \
	XDG_CACHE_HOME="$WORK/cache"
unset SMPCTL_CONFIG SMPCTL_PROFILE
mkdir -p "$WORK/bin" "$HOME" "$WORK/fs"
ln -s "$SMPCTL" "$WORK/bin/mcumgr"
V1="$IMAGES/app_100k_ed25519_v1_0_0.bin"
V2="$IMAGES/app_100k_ed25519_v2.bin"
H1=4ea43c490105f0fe938883e3973eefa19116180729c16323a8645847d90c06ff

mcumgr() { t_run "$WORK/bin/mcumgr" "$@"; }
dev() { t_run "$WORK/bin/mcumgr" --conntype udp --connstring "$SIM_ADDR" "$@"; }
# stdout, byte for byte, against $WORK/exp.
same() { cmp -s "$WORK/out" "$WORK/exp"; }

sim_start --primary "$V1" --fs-root "$WORK/fs" --mpstat

# image.go imageStatePrintRsp: "Images:", " image=%d slot=%d",
# "    version: %s", "    bootable: %v", "    flags: %s", "    hash: %x",
# "Split status: %s (%d)" (nmp/image.go SplitStatus.String: N/A).
dev image list
{ printf 'Images:\n'; printf ' image=%d slot=%d\n' 0 0; printf '    version: %s\n' 1.0.0
  printf '    bootable: %s\n' true; printf '    flags: %s\n' "active confirmed"
  printf '    hash: %s\n' $H1; printf 'Split status: %s (%d)\n' N/A 0; } >"$WORK/exp"
expect image_list_bytes '[ $RC -eq 0 ] && same'

# image.go imageUploadCmd: the bar (only to a terminal; here a file), then
# fmt.Printf("Done\n").
dev image upload -e "$V2"
printf 'Done\n' >"$WORK/exp"
expect image_upload_done '[ $RC -eq 0 ] && same'

# image.go imageStateTestCmd prints the new state (imageStatePrintRsp).
dev image test ef5da6ad19d003eb0a22cada919446bcf0c9218c3e2f6aea1a259548df75bc81
expect image_test_state '[ $RC -eq 0 ] && printf "%s\n" "$OUT" | grep -qx "    flags: pending" &&
	printf "%s\n" "$OUT" | grep -qx "    version: 2.0.0"'

# image.go imageEraseCmd: fmt.Printf("Done\n")
dev image confirm $H1
dev image erase
printf 'Done\n' >"$WORK/exp"
expect image_erase_done '[ $RC -eq 0 ] && same'

# echo.go echoRunCmd: fmt.Println(eres.Rsp.Payload)
dev echo hello
printf '%s\n' hello >"$WORK/exp"
expect echo_bytes '[ $RC -eq 0 ] && same'

# datetime.go dateTimeWrite: fmt.Printf("Done\n"); dateTimeRead:
# fmt.Println("Datetime(RFC 3339 format):", sres.Rsp.DateTime), the
# device's text as it sent it.
dev datetime 2017-03-01T22:44:00
printf 'Done\n' >"$WORK/exp"
expect datetime_set_done '[ $RC -eq 0 ] && same'
dev datetime
expect datetime_read_bytes '[ $RC -eq 0 ] &&
	printf "%s\n" "$OUT" | grep -Eqx "Datetime\(RFC 3339 format\): 2017-03-01T22:44:0[0-9](\.[0-9]+)?" &&
	[ "$(wc -l <"$WORK/out")" -eq 1 ]'
# datetime now: fmt.Printf("Setting time to %s\n", time.Now().Format(time.RFC3339))
TZ=UTC dev datetime now
expect datetime_now '[ $RC -eq 0 ] && printf "%s\n" "$OUT" | sed -n 1p |
	grep -Eqx "Setting time to [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z" &&
	[ "$(printf "%s\n" "$OUT" | sed -n 2p)" = Done ]'

# taskstat.go taskStatRunCmd: the names sorted (sort.Strings), header
# "  %8s %3s %3s %8s %8s %8s %8s %8s %8s", rows "  %8s %3d %3d %8d ...";
# values from tests/sim/sim_os.c sim_threads[] (tid: its index; no
# runtime, cswcnt or checkins: Go's map gives 0).
dev taskstat
{ printf '  %8s %3s %3s %8s %8s %8s %8s %8s %8s\n' task pri tid runtime csw stksz stkuse \
	last_checkin next_checkin
  row() { printf '  %8s %3d %3d %8d %8d %8d %8d %8d %8d\n' "$1" "$2" "$3" 0 0 "$4" "$5" 0 0; }
  row idle 15 4 80 18; row logging 14 3 192 50; row main 0 5 256 120
  row net_mgmt -1 1 192 60; row smp_udp4 0 0 256 98; row sysworkq -1 2 512 220; } >"$WORK/exp"
expect taskstat_bytes '[ $RC -eq 0 ] && same'

# mpstat.go mempoolStatRunCmd: "%32s %5s %4s %4s %4s" and
# "%32s %5d %4d %4d %4d"; tests/sim/sim_os_mpstat.c sim_heaps[].
dev mpstat
{ printf '%32s %5s %4s %4s %4s\n' name blksz cnt free min
  printf '%32s %5d %4d %4d %4d\n' 0 1 16384 12032 9728 1 1 4096 4096 3584; } >"$WORK/exp"
expect mpstat_bytes '[ $RC -eq 0 ] && same'

# stat.go statsListRunCmd: "stat groups:\n" and "    %s\n", sorted;
# tests/sim/sim_stat.c lists smp_svr_stats, then smp_sim_stats.
dev stat list
{ printf 'stat groups:\n'; printf '    %s\n' smp_sim_stats smp_svr_stats; } >"$WORK/exp"
expect stat_list_bytes '[ $RC -eq 0 ] && same'

# stat.go statsRunCmd: "stat group: %s\n", then "%10d %s\n" by sorted
# name; the counters as the device's own JSON gives them.
boots=$("$SMPCTL" --udp "$SIM_ADDR" --json stat read smp_sim_stats | jq -r .fields.boots)
dev stat smp_sim_stats
{ printf 'stat group: %s\n' smp_sim_stats; printf '%10d %s\n' "$boots" boots; } >"$WORK/exp.head"
expect stat_group_bytes '[ $RC -eq 0 ] && [ "$(wc -l <"$WORK/out")" -eq 3 ] &&
	head -2 "$WORK/out" | cmp -s - "$WORK/exp.head" &&
	sed -n 3p "$WORK/out" | grep -Eqx "[ 0-9]{10} uptime_ms"'
# A device's error code: Go prints "Error: %d" and exits 0 (stat.go);
# smpctl leaves stdout empty and exits 1.
dev stat no_such_group
expect stat_missing_group '[ $RC -eq 1 ] && [ -z "$OUT" ] &&
	printf "%s" "$ERR" | grep -q "(see mcumgr stat list)"'

# shell.go shellExecCmd: "status=%d\n" (the answer's "rc": 0 from a
# server that answers "ret"), then the output with a line end added.
dev shell exec kernel version
printf 'status=%d\n%s\n' 0 "Zephyr version 3.7.0" >"$WORK/exp"
expect shell_exec_bytes '[ $RC -eq 0 ] && same'

# fs.go fsUploadRunCmd / fsDownloadRunCmd: fmt.Printf("%d\n", rsp.Off)
# per answer, then "Done\n". One chunk: the upload's answer gives the new
# end (3), the download's the chunk's start (0).
printf abc >"$WORK/abc.txt"
dev fs upload "$WORK/abc.txt" /lfs/abc.txt
printf '%d\nDone\n' 3 >"$WORK/exp"
expect fs_upload_bytes '[ $RC -eq 0 ] && same && cmp -s "$WORK/abc.txt" "$WORK/fs/abc.txt"'
dev fs download /lfs/abc.txt "$WORK/back.txt"
printf '%d\nDone\n' 0 >"$WORK/exp"
expect fs_download_bytes '[ $RC -eq 0 ] && same && cmp -s "$WORK/abc.txt" "$WORK/back.txt"'

# reset.go resetRunCmd: fmt.Printf("Done\n")
dev reset
printf 'Done\n' >"$WORK/exp"
expect reset_done '[ $RC -eq 0 ] && same'

# commands.go versCmd: fmt.Printf("%s %s\n", LongName, VersionString),
# with mcumgr-cli's mcumgr/mcumgr.go ToolInfo ("mcumgr", "0.0.0-dev").
mcumgr version
printf '%s %s\n' mcumgr 0.0.0-dev >"$WORK/exp"
expect version_bytes '[ $RC -eq 0 ] && same'

# connprofile.go: conn add/show/delete on ~/.mcumgr.cp.json, written as
# config/connprofile.go save() does: json.MarshalIndent(list, "", "    ")
# sorted by name, no newline at the end.
mcumgr conn show
printf 'No connection profiles found!\n' >"$WORK/exp"
expect conn_show_none '[ $RC -eq 0 ] && same'
mcumgr conn add sim type=udp connstring="$SIM_ADDR"
printf 'Connection profile %s successfully added\n' sim >"$WORK/exp"
expect conn_add_bytes '[ $RC -eq 0 ] && same'
mcumgr conn add acm0 type=serial "connstring=dev=/dev/ttyACM0,baud=115200"
printf '[\n    {\n        "MyName": "acm0",\n        "MyType": "serial",\n        "MyConnString": "dev=/dev/ttyACM0,baud=115200"\n    },\n    {\n        "MyName": "sim",\n        "MyType": "udp",\n        "MyConnString": "%s"\n    }\n]' "$SIM_ADDR" >"$WORK/exp"
expect conn_file_bytes '[ $RC -eq 0 ] && cmp -s "$HOME/.mcumgr.cp.json" "$WORK/exp"'
mcumgr conn show
{ printf 'Connection profiles: \n'
  printf "  %s: type=%s, connstring='%s'\n" acm0 serial "dev=/dev/ttyACM0,baud=115200" sim udp "$SIM_ADDR"; } >"$WORK/exp"
expect conn_show_bytes '[ $RC -eq 0 ] && same'
mcumgr conn show nosuch
printf 'No connection profiles found matching %s\n' nosuch >"$WORK/exp"
expect conn_show_no_match '[ $RC -eq 0 ] && same'
# -c NAME reads Go's file.
mcumgr -c sim echo from-go-profile
expect c_reads_go_file '[ $RC -eq 0 ] && [ "$OUT" = from-go-profile ]'
mcumgr conn delete acm0
printf 'Connection profile %s successfully deleted.\n' acm0 >"$WORK/exp"
expect conn_delete_bytes '[ $RC -eq 0 ] && same && ! grep -q acm0 "$HOME/.mcumgr.cp.json"'
mcumgr conn add bad type=can connstring=x
expect conn_add_bad_type '[ $RC -eq 2 ] && [ -z "$OUT" ] && ! grep -q bad "$HOME/.mcumgr.cp.json"'
# A file Go wrote by hand-edit gone wrong: one line, no crash.
cp "$HOME/.mcumgr.cp.json" "$WORK/cp.good"
printf '[{"MyName": 5}]' >"$HOME/.mcumgr.cp.json"
mcumgr -c sim echo x
expect bad_go_file '[ $RC -eq 2 ] && [ "$(printf "%s\n" "$ERR" | wc -l)" -eq 1 ]'
cp "$WORK/cp.good" "$HOME/.mcumgr.cp.json"

# A device that does not answer: nothing on stdout, smpctl's exit code 3
# (usage.go nmUsage: Go says so on stderr and exits 1).
mcumgr -t 0.3 -r 1 --conntype udp --connstring=127.0.0.1:9 reset
expect no_answer_nothing_on_stdout '[ $RC -eq 3 ] && [ -z "$OUT" ]'
sim_stop

# A version with a build number: Zephyr's img_mgmt_ver_str (and the
# simulator) send "1.2.3.4"; image.go imageStatePrintRsp prints it as
# sent, for list and for confirm alike (imgtool's --version 1.2.3+4).
rm -f "$WORK/flash.bin"
sim_start --primary "$IMAGES/app_1k_rsa2048.bin"
dev image list
expect version_build_list '[ $RC -eq 0 ] && printf "%s\n" "$OUT" | grep -qx "    version: 1.2.3.4"'
dev image confirm
expect version_build_confirm '[ $RC -eq 0 ] && printf "%s\n" "$OUT" | grep -qx "    version: 1.2.3.4"'
"$SMPCTL" --udp "$SIM_ADDR" image list >"$WORK/own" 2>&1
expect own_mode_keeps_mcuboot_form 'grep -q "1.2.3+4" "$WORK/own"'
sim_stop
exit $T_FAILED
