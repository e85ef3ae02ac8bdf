#!/bin/sh
# Answers no well-behaved device gives, from the scripted device
# (smp-scripted, next to smp-simdev): each must end in a one-line error and
# an exit code, never an abort, a memory blow-up or raw escape sequences on
# the terminal. The inputs are the ones the fuzzer found.
. "$(dirname "$0")/lib.sh"
SCRIPTED=$(dirname "$SIMDEV")/smp-scripted

# scripted GROUP:ID:HEX...: (re)starts the scripted device; sets SIM_ADDR.
scripted() {
	sim_stop
	rm -f "$WORK/sim.out"
	"$SCRIPTED" "$@" >"$WORK/sim.out" 2>"$WORK/sim.err" &
	SIM_PID=$!
	wait_line "$WORK/sim.out" '^ready udp ' "$SIM_PID" ||
		{ echo "FAIL scripted_start: $(cat "$WORK/sim.err")"; exit 1; }
	SIM_ADDR=$(sed -n 's/^ready udp //p' "$WORK/sim.out")
}

one_line() { [ -n "$ERR" ] && [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]; }
# has_byte OCTAL: true when OUT or ERR holds that byte (e.g. 033 for ESC).
raw_byte() { printf '%s%s' "$OUT" "$ERR" | od -An -c | grep -q "$1"; }

# A float where "active" (a boolean) belongs; libcbor's cbor_is_bool
# asserts on floats (libcbor issue 352).
scripted 1:0:a166696d6167657381a364736c6f74006776657273696f6e65312e302e3066616374697665fb3ff8000000000000
smp image list
expect float_for_bool_is_a_protocol_error '[ $RC -eq 4 ] && one_line && printf "%s" "$ERR" | grep -q "flag that is not a boolean"'
smp -vv image list
expect trace_prints_the_float '[ $RC -eq 4 ] && printf "%s" "$ERR" | grep -q "\"active\":1.5"'

# A float on the request side: -vv decodes smpctl's own request, float included.
sim_start
smp -vv raw 64 0 '{"f": 1.5}'
expect raw_float_request_traced '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "{\"f\":1.5}"'
scripted 64:0:a16166fb3ff8000000000000
smp raw 64 0 '{"f": 1.5}'
expect raw_float_answer_as_json '[ $RC -eq 0 ] && [ "$(jqr .f)" = 1.5 ]'

# 8 bytes declaring an array of 2^28 (then 2^30) elements: refused by
# the length pre-scan, before libcbor reserves gigabytes for it.
for big in 10000000 40000000; do
	scripted "1:0:a161619a$big"
	smp image list
	expect "declared_length_0x${big}_refused" \
		'[ $RC -eq 4 ] && one_line && printf "%s" "$ERR" | grep -q "CBOR length larger than the payload"'
	smp -vv image list
	expect "tracer_refuses_0x${big}_too" \
		'[ $RC -eq 4 ] && printf "%s" "$ERR" | grep -q "len 8: CBOR length larger than the payload"'
done

# Maps keyed by maps, 26 deep. Each level used to escape the JSON of
# the level below again: output and time doubled per level. The fuzzer's
# input (a1 x 26, 00 x 29) is one such map and two bytes more.
NESTED=$(printf 'a1%.0s' $(seq 26))$(printf '00%.0s' $(seq 27))
scripted "64:0:$NESTED"
smp raw 64 0
expect nested_map_keys_linear '[ $RC -eq 0 ] && [ ${#OUT} -lt 2000 ] && printf "%s" "$OUT" | grep -qF "\"{{{{{{{{{{{{{{{{{{{{{{{{{0:0}:0}"'
scripted "64:0:${NESTED}0000"
smp raw 64 0
expect nested_map_with_trailing_bytes_refused '[ $RC -eq 4 ] && one_line && printf "%s" "$ERR" | grep -q "trailing bytes"'
# Deeper than the pre-scan allows: refused, not recursed into.
scripted 64:0:$(printf 'a1%.0s' $(seq 40))$(printf '00%.0s' $(seq 41))
smp raw 64 0
expect nesting_depth_bounded '[ $RC -eq 4 ] && one_line && printf "%s" "$ERR" | grep -q "nested too deeply"'

# Device text with escape sequences (a title-setting OSC, CSI colour,
# a C1 CSI) reaches the terminal escaped; --json keeps JSON's own escapes.
scripted 0:0:a2627263036372736e6a1b5d303b70776e656407
smp echo x
expect rsn_escaped '[ $RC -ne 0 ] && one_line && ! raw_byte 033 && ! raw_byte 007 && printf "%s" "$ERR" | grep -qF "\\x1b]0;pwned\\x07"'
# An rsn that is not UTF-8 is malformed CBOR text: refused as a bad answer,
# and --json still prints its one failure document.
scripted 0:0:a2627263036372736e6361ff62
smp --json echo x
expect json_error_not_utf8 '[ $RC -eq 4 ] && [ "$(printf "%s" "$OUT" | jq -r .ok)" = false ] &&
	[ "$(printf "%s" "$OUT" | jq -r .error.kind)" = protocol ]'
scripted 0:0:a161726a611b5b33316d62c29b63
smp echo x
expect echo_escaped '[ $RC -eq 0 ] && ! raw_byte 033 && [ "$OUT" = "a\\x1b[31mb\\u009bc" ]'
smp --json echo x
expect json_keeps_its_escapes '[ $RC -eq 0 ] && [ "$(jqr .echo | od -An -tx1 | tr -d " \n")" = "611b5b33316d62c29b630a" ]'
scripted 1:0:a166696d6167657381a364736c6f74006776657273696f6e69312e301b5d303b780766616374697665f5
smp image list
expect version_escaped '[ $RC -eq 0 ] && ! raw_byte 033 && printf "%s" "$OUT" | grep -qF "1.0\\x1b]0;x\\x07"'
# A thread named ESC ] 2 ; t BEL, a statistics group named a ESC [ K b.
scripted 0:2:a1657461736b73a1661b5d323b7407a7647072696f016374696402657374617465006673746b757365016673746b73697a0266637377636e74006772756e74696d6500 \
	2:1:a169737461745f6c6973748165611b5b4b62
smp taskstat
expect task_name_escaped '[ $RC -eq 0 ] && ! raw_byte 033 && printf "%s" "$OUT" | grep -qF "\\x1b]2;t\\x07 "'
smp stat list
expect stat_name_escaped '[ $RC -eq 0 ] && ! raw_byte 033 && [ "$OUT" = "a\\x1b[Kb" ]'
scripted 9:0:a2616f6c6f6e650a1b5b324a74776f0a6372657400
smp shell exec ls
expect shell_output_escaped_lines_kept '[ $RC -eq 0 ] && ! raw_byte 033 && [ "$(printf "%s" "$OUT" | sed -n 2p)" = "\\x1b[2Jtwo" ]'

exit $T_FAILED
