#!/bin/sh
# Fails when a file includes a project header from a room above its own.
# The rooms, from the ground up, and what each may include:
#   smp/         smp/ only: the portable core
#   host/        smp/ and host/
#   transport/   smp/ and transport/
#   cli/ui/      the above, cli/ui/ and cli/cli.h: output, progress, escaping
#   cli/         the above and cli/ (the floor: dispatcher, options,
#                connection, profiles, device state, shell)
#   cli/fleet/   the floor and cli/fleet/
#   cli/cmd/     the floor, cli/fleet/ and cli/cmd/
#   cli/mcumgr/  the floor and cli/mcumgr/
#   cli/main.c   anything: it assembles the program
#   zephyr/      smp/ and zephyr/: the Zephyr module's glue and samples,
#                which stand on the core alone
#   check-layers.sh [ROOT]   (default: the current directory)
# Prints one line per offending include and exits 1; exits 0 when clean.
set -u
root=${1:-.}
cd "$root" || exit 2

find smp host transport cli zephyr -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort |
xargs -r awk '
# The room of a path: its folder, the floor of cli/ being "cli".
function room(p) {
	if (p == "cli/main.c")
		return "cli/main"
	if (p ~ /^cli\/[^\/]+\//)
		return substr(p, 1, index(substr(p, 5), "/") + 3)
	if (p ~ /\//)
		return substr(p, 1, index(p, "/") - 1)
	return "none"
}
BEGIN {
	low = " smp host transport "
	may["smp"] = " smp "
	may["host"] = " smp host "
	may["transport"] = " smp transport "
	may["cli/ui"] = low "cli/ui "
	may["cli"] = low "cli/ui cli "
	may["cli/fleet"] = low "cli/ui cli cli/fleet "
	may["cli/cmd"] = low "cli/ui cli cli/fleet cli/cmd "
	may["cli/mcumgr"] = low "cli/ui cli cli/mcumgr "
	may["cli/main"] = " any "
	may["zephyr"] = " smp zephyr "
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
	name = $0
	sub(/^[^"]*"/, "", name)
	sub(/".*/, "", name)
	from = room(FILENAME)
	to = room(name)
	ok = may[from]
	if (to == "none" || ok ~ / any / || index(ok, " " to " "))
		next
	# cli/cli.h, the face of the floor, is every cli room'"'"'s.
	if (name == "cli/cli.h" && from ~ /^cli/)
		next
	sub(/ $/, "", ok)
	printf "%s: includes \"%s\": %s/ may include only%s\n", FILENAME, name, from, ok
}' | { grep . && exit 1; exit 0; }
