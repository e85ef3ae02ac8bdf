#!/bin/sh
# What a linked firmware image holds, per input object, from the linker's
# map file (ld -Map, after --gc-sections: only what is reached). Flash is
# code, read-only data and the initial values of .data; RAM is .data and
# .bss. Three kinds of object:
#   core     smp/*.c: the portable core a DFU host links (engine, image
#            group, transfer controller, the upgrade machine, one link
#            codec, status names, the CBOR reader and writer); counted
#   libcbor  libcbor's sources (LIBCBOR_SRC) or the stand-in
#            (tests/embedded/libcbor_subset.c); counted, shown apart
#   check    the MCUboot image check the example runs before it sends
#            (smp/image_check.c and its crypto seam and format): core
#            code a host may leave out; shown and totalled, not counted
#   platform the board, its glue, the example and newlib/libgcc: what
#            every firmware has its own of; shown, not counted
# Fails when core + libcbor flash exceeds the budget.
#   image-size.sh MAP BUDGET_BYTES
set -eu
map=$1 budget=$2
awk -v budget="$budget" '
function hex(s,    v, i) {
	# mawk has no strtonum
	v = 0; s = tolower(substr(s, 3))
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
# Merged strings (SHF_MERGE) overlap the section before them in the map:
# only bytes past the highest end so far are new.
function add(file, addr, size,    name, kind, end) {
	end = addr + size
	size = end - (addr > top ? addr : top)
	if (end > top)
		top = end
	if (!(out in counted) || size <= 0)
		return
	name = file
	if (name ~ /libcbor_subset\.o$/) {
		kind = "libcbor"; name = "stand-in (tests/embedded/libcbor_subset.c)"
	} else if (name ~ /\/libcbor\//) {
		kind = "libcbor"; sub(".*/libcbor/", "", name); sub("\\.o$", ".c", name)
	} else if (name ~ /\/obj\/smp\/(image_check|crypto|mcuboot_format)\.o$/) {
		kind = "check"; sub(".*/obj/", "", name); sub("\\.o$", ".c", name)
	} else if (name ~ /\/obj\/smp\//) {
		kind = "core"; sub(".*/obj/", "", name); sub("\\.o$", ".c", name)
	} else if (name ~ /\/obj\//) {
		kind = "platform"; sub(".*/obj/", "", name); sub("\\.o$", ".c", name)
	} else if (name == "") {
		kind = "platform"; name = "(alignment)"
	} else {
		kind = "platform"; sub("\\(.*", "", name); sub(".*/", "", name)
		name = "newlib/libgcc: " name
	}
	key = kind SUBSEP name
	kinds[key] = kind; names[key] = name
	if (out != ".bss") flash[key] += size
	if (out == ".data" || out == ".bss") ram[key] += size
}
BEGIN {
	counted[".text"]; counted[".ARM.exidx"]; counted[".init_array"]; counted[".data"]
	counted[".bss"]
}
/^Linker script and memory map/ { inmap = 1; next }
!inmap { next }
/^[^ ]/ { out = $1; pending = ""; top = 0; next }
# an input section: name, address, size, file (wrapped after a long name)
/^ [.A-Za-z*]/ && NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/ { add($4, hex($2), hex($3)); pending = ""; next }
/^ \*fill\*/ && NF == 3 { add("", hex($2), hex($3)); next }
/^ [.A-Za-z]/ && NF == 1 { pending = $1; next }
pending != "" && NF == 3 && $1 ~ /^0x/ && $2 ~ /^0x/ { add($3, hex($1), hex($2)); pending = ""; next }
{ pending = "" }
END {
	order["core"] = 1; order["libcbor"] = 2; order["check"] = 3; order["platform"] = 4
	n = 0
	for (k in kinds)
		rows[++n] = k
	# by kind, then by flash, largest first
	for (i = 2; i <= n; i++)
		for (j = i; j > 1; j--) {
			a = rows[j - 1]; b = rows[j]
			if (order[kinds[a]] > order[kinds[b]] ||
			    (kinds[a] == kinds[b] && flash[a] < flash[b])) {
				rows[j - 1] = b; rows[j] = a
			} else break
		}
	printf "%-9s %-44s %7s %7s\n", "kind", "object", "flash", "ram"
	for (i = 1; i <= n; i++) {
		k = rows[i]
		printf "%-9s %-44s %7d %7d\n", kinds[k], names[k], flash[k], ram[k]
		tf[kinds[k]] += flash[k]; tr[kinds[k]] += ram[k]
	}
	printf "\n%-54s %7d %7d\n", "core", tf["core"], tr["core"]
	printf "%-54s %7d %7d\n", "libcbor", tf["libcbor"], tr["libcbor"]
	printf "%-54s %7d %7d\n", "image check (not counted)", tf["check"], tr["check"]
	printf "%-54s %7d %7d\n", "platform (not counted)", tf["platform"], tr["platform"]
	used = tf["core"] + tf["libcbor"]
	printf "budget: core + libcbor = %d bytes of flash (%.1f KiB of %.0f KiB)\n", used,
		used / 1024, budget / 1024
	printf "with the image check: %d bytes (%.1f KiB)\n", used + tf["check"],
		(used + tf["check"]) / 1024
	if (used > budget) {
		printf "size: %d bytes over the budget\n", used - budget
		exit 1
	}
}' "$map"
