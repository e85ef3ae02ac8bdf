#!/bin/sh
# scripts/check-layers.sh keeps the rooms' order: clean on the tree, and
# one failing line, naming the file, for each include planted upward.
. tests/e2e/lib.sh

# A copy of the product rooms, with one line added to one file.
plant() {
	rm -rf "$WORK/tree"
	mkdir -p "$WORK/tree"
	cp -r smp host transport cli "$WORK/tree/"
	printf '#include "%s"\n' "$2" >>"$WORK/tree/$1"
	t_run sh scripts/check-layers.sh "$WORK/tree"
}

t_run sh scripts/check-layers.sh .
expect layers_tree_clean '[ $RC -eq 0 ] && [ -z "$OUT" ]'
plant smp/header.c cli/cli.h
expect layers_core_includes_cli '[ $RC -eq 1 ] && [ "$(printf "%s\n" "$OUT" | wc -l)" -eq 1 ] &&
	printf "%s" "$OUT" | grep -q "^smp/header.c: includes \"cli/cli.h\""'
plant host/ihex.c transport/udp.h
expect layers_host_includes_transport '[ $RC -eq 1 ] &&
	printf "%s" "$OUT" | grep -q "^host/ihex.c: includes \"transport/udp.h\""'
plant transport/udp.c host/ihex.h
expect layers_transport_includes_host '[ $RC -eq 1 ] &&
	printf "%s" "$OUT" | grep -q "^transport/udp.c: includes \"host/ihex.h\""'
plant cli/connect.c cli/cmd/commands.h
expect layers_floor_includes_commands '[ $RC -eq 1 ] &&
	printf "%s" "$OUT" | grep -q "^cli/connect.c: includes \"cli/cmd/commands.h\""'
plant cli/ui/output.c cli/opts.h
expect layers_ui_includes_floor '[ $RC -eq 1 ] &&
	printf "%s" "$OUT" | grep -q "^cli/ui/output.c: includes \"cli/opts.h\""'
plant cli/fleet/fleet.c cli/cmd/upgrade.h
expect layers_fleet_includes_commands '[ $RC -eq 1 ] &&
	printf "%s" "$OUT" | grep -q "^cli/fleet/fleet.c: includes \"cli/cmd/upgrade.h\""'
plant cli/cmd/cmd_os.c cli/mcumgr/mcumgr_compat.h
expect layers_commands_include_mcumgr '[ $RC -eq 1 ] &&
	printf "%s" "$OUT" | grep -q "^cli/cmd/cmd_os.c: includes \"cli/mcumgr/mcumgr_compat.h\""'
# Downward includes stay allowed.
plant cli/cmd/cmd_os.c cli/fleet/fleet.h
expect layers_downward_allowed '[ $RC -eq 0 ] && [ -z "$OUT" ]'
exit $T_FAILED
