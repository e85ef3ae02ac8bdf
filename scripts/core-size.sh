#!/bin/sh
# Prints the cross-compiled core's flash (text + data) and RAM (data +
# bss) per object, marks with * the objects of the budget set, and fails
# when the set's flash exceeds the budget. Whole objects are counted, so
# the figure is an upper bound: a linker with --gc-sections keeps less.
#   core-size.sh SIZE BUDGET_BYTES "BUDGET_OBJS" OBJ...
set -eu
size=$1 budget=$2 set_objs=" $3 "
shift 3
"$size" -B "$@" | awk -v set="$set_objs" -v budget="$budget" '
NR == 1 { printf "%-28s %7s %7s   %s\n", "object", "flash", "ram", "(bytes; * = budget set)"; next }
{
	name = $6; sub(".*/obj/", "", name); sub("\\.o$", ".c", name)
	flash = $1 + $2; ram = $2 + $3
	mark = index(set, " " $6 " ") ? "*" : " "
	printf "%s %-26s %7d %7d\n", mark, name, flash, ram
	all_f += flash; all_r += ram
	if (mark == "*") { set_f += flash; set_r += ram }
}
END {
	printf "%-28s %7d %7d\n", "  core total", all_f, all_r
	printf "%-28s %7d %7d   budget %d (%.1f KiB of %.0f KiB flash)\n", "  budget set", set_f, set_r,
		budget, set_f / 1024, budget / 1024
	if (set_f > budget) {
		printf "size: the budget set needs %d bytes of flash, over the %d-byte budget\n", set_f, budget
		exit 1
	}
}'
