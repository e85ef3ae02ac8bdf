#!/bin/sh
# Fails when a name of the portable core could collide with an
# application's: an object exports a symbol without the smp_ prefix, a
# header declares a type, function, macro or enumerator without smp_ /
# SMP_, or a header names something Zephyr's mcumgr headers also declare
# (the list in NAMES), which a Zephyr application that is also an SMP
# server could then not include beside the core.
#   check-core-names.sh NM NAMES DIR [OBJ...]
# Prints one line per offending name and exits 1; exits 0 when clean.
set -u
nm=$1 names=$2 dir=$3
shift 3

# C text without comments, string and character literals (emptied), so
# that only code is read.
strip_c() {
	awk '
	{ text = text $0 "\n" }
	END {
		n = length(text); out = ""; st = 0
		for (i = 1; i <= n; i++) {
			c = substr(text, i, 1); d = substr(text, i + 1, 1)
			if (st == 0) {
				if (c == "/" && d == "*") { st = 1; i++; out = out " "; continue }
				if (c == "/" && d == "/") { st = 2; i++; continue }
				if (c == "\"") { st = 3; out = out c; continue }
				if (c == "\047") { st = 4; out = out c; continue }
				out = out c
			} else if (st == 1) {
				if (c == "*" && d == "/") { st = 0; i++ }
				else if (c == "\n") out = out c
			} else if (st == 2) {
				if (c == "\n") { st = 0; out = out c }
			} else {
				if (c == "\\") { i++; continue }
				if ((st == 3 && c == "\"") || (st == 4 && c == "\047")) { st = 0; out = out c }
				else if (c == "\n") { st = 0; out = out c }
			}
		}
		printf "%s", out
	}' "$1"
}

# "KIND NAME" for every name a header declares at file scope: macros,
# struct/union/enum tags, enumerators, typedefs, functions and variables.
# Struct members are the struct's own and left out.
declared() {
	strip_c "$1" | awk '
	function emit(kind, name) { print kind, name }
	/^[ \t]*#/ {
		if (match($0, /^[ \t]*#[ \t]*define[ \t]+[A-Za-z_][A-Za-z0-9_]*/)) {
			s = substr($0, RSTART, RLENGTH); sub(/.*[ \t]/, "", s)
			emit("macro", s)
		}
		cont = /\\$/
		next
	}
	cont { cont = /\\$/; next }
	{
		line = $0
		while (match(line, /[A-Za-z_][A-Za-z0-9_]*|[^ \t]/)) {
			tok[++nt] = substr(line, RSTART, RLENGTH)
			line = substr(line, RSTART + RLENGTH)
		}
	}
	END {
		depth = 0; paren = 0; in_typedef = 0; tdname = ""; enum_depth = -1
		for (i = 1; i <= nt; i++) {
			t = tok[i]; nx = tok[i + 1]
			ident = t ~ /^[A-Za-z_]/
			if (t == "{") {
				depth++
				if (pending_enum) { enum_depth = depth; expect_enumerator = 1 }
				pending_enum = 0
				continue
			}
			if (t == "}") { if (depth == enum_depth) enum_depth = -1; depth--; continue }
			if (t == "(") { paren++; continue }
			if (t == ")") { paren--; continue }
			if (depth == enum_depth && paren == 0) {
				if (t == ",") { expect_enumerator = 1; continue }
				if (ident && expect_enumerator) emit("enumerator", t)
				expect_enumerator = 0
				continue
			}
			if ((t == "struct" || t == "union" || t == "enum") && nx ~ /^[A-Za-z_]/) {
				if (tok[i + 2] == "{" || tok[i + 2] == ";") emit("tag", nx)
				if (t == "enum" && tok[i + 2] == "{") pending_enum = 1
				i++
				continue
			}
			if (t == "enum" && nx == "{") { pending_enum = 1; continue }
			if (depth > 0) continue
			if (t == "typedef") { in_typedef = 1; tdname = ""; tdfixed = 0; continue }
			if (t == ";" && paren == 0) {
				if (in_typedef && tdname != "") emit("typedef", tdname)
				in_typedef = 0
				continue
			}
			if (!ident) continue
			if (in_typedef) {
				# typedef T NAME; or typedef T (*NAME)(...);
				if (paren == 1 && tok[i - 1] == "*" && tok[i - 2] == "(") {
					tdname = t; tdfixed = 1
				} else if (paren == 0 && !tdfixed) {
					tdname = t
				}
				continue
			}
			if (paren > 0 || t == "__attribute__") continue
			if (nx == "(") emit("function", t)
			else if (nx == ";" || nx == "[" || nx == "=" || nx == ",") emit("variable", t)
		}
	}'
}

bad=0
for h in "$dir"/*.h; do
	[ -e "$h" ] || continue
	for name in $(declared "$h" | awk '{ print $2 }' | sort -u); do
		case $name in
		smp_* | SMP_*) ;;
		*)
			echo "$h: declares $name, which lacks the core's smp_ / SMP_ prefix"
			bad=1
			;;
		esac
	done
	# Every identifier the header's code names, against Zephyr's list.
	for name in $(strip_c "$h" | tr -c 'A-Za-z0-9_' '\n' | grep '^[A-Za-z_]' | sort -u |
		grep -Fxf - "$names"); do
		echo "$h: names $name, which Zephyr's mcumgr headers also declare"
		bad=1
	done
done

for o in "$@"; do
	for sym in $("$nm" --defined-only -g "$o" | awk 'NF == 3 { print $3 }'); do
		case $sym in
		smp_*) ;;
		*)
			echo "$o: exports $sym, which lacks the core's smp_ prefix"
			bad=1
			;;
		esac
	done
done
exit $bad
