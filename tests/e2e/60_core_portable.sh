#!/bin/sh
# The portable core stays portable. The header and symbol checks that make
# cross runs pass on smp/ and fail on a file that includes <unistd.h>, an
# OpenSSL header, stdio.h or a host header, or on an object that calls
# what a Cortex-M build lacks; and make size reports the budget.
. tests/e2e/lib.sh

HDR=scripts/check-core-headers.sh
SYM=scripts/check-core-symbols.sh
CROSS_CC=${CROSS_CC:-arm-none-eabi-gcc}
CROSS_NM=${CROSS_NM:-arm-none-eabi-nm}

t_run sh "$HDR" smp
expect core_headers_clean '[ $RC -eq 0 ] && [ -z "$OUT" ]'

# one offending file at a time, in a copy of the layout the check expects
bad_include() {
	mkdir -p "$WORK/h/smp"
	rm -f "$WORK/h/smp/"*
	printf '#include <string.h>\n#include %s\nint f(void);\n' "$2" >"$WORK/h/smp/$1"
	(cd "$WORK/h" && sh "$OLDPWD/$HDR" smp) >"$WORK/out" 2>"$WORK/err"
	RC=$?
	OUT=$(cat "$WORK/out")
}
bad_include posix.c '<unistd.h>'
expect core_headers_refuse_unistd '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "^smp/posix.c: includes <unistd.h>"'
bad_include ossl.h '<openssl/evp.h>'
expect core_headers_refuse_openssl '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "^smp/ossl.h: includes <openssl/evp.h>"'
bad_include io.c '<stdio.h>'
expect core_headers_refuse_stdio '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "<stdio.h>"'
bad_include spaced.c '<sys/socket.h>  /* a comment */'
expect core_headers_refuse_sys '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "<sys/socket.h>"'
bad_include layer.c '"host/mcuboot.h"'
expect core_headers_refuse_host_header '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "\"host/mcuboot.h\""'
bad_include fine.c '"smp/engine.h"'
expect core_headers_accept_core '[ $RC -eq 0 ]'

# An object that needs time() and printf() fails the symbol check, and so
# does one that takes the heap (malloc) or builds a libcbor tree
# (cbor_load); one on the string family and libcbor's allocation-free
# encoders and streaming decoder passes.
printf '#include <stdio.h>\n#include <time.h>\nint f(void);\nint f(void) { return printf("%%ld", (long)time(0)); }\n' >"$WORK/bad.c"
printf '#include <stdlib.h>\n#include <string.h>\nvoid *h(const char *s);\nvoid *h(const char *s) { return memcpy(malloc(strlen(s)), s, 1); }\n' >"$WORK/heap.c"
printf '#include <stddef.h>\nvoid *cbor_load(const unsigned char *, size_t, void *);\nvoid *t(const unsigned char *p);\nvoid *t(const unsigned char *p) { return cbor_load(p, 1, 0); }\n' >"$WORK/tree.c"
printf '#include <string.h>\nstruct res { size_t read; int status; size_t required; };\nsize_t cbor_encode_uint(unsigned long long, unsigned char *, size_t);\nstruct res cbor_stream_decode(const unsigned char *, size_t, const void *, void *);\nsize_t g(unsigned char *b, const char *s);\nsize_t g(unsigned char *b, const char *s) { memcpy(b, s, strlen(s)); return cbor_encode_uint(1, b, 9) + cbor_stream_decode(b, 9, 0, 0).read; }\n' >"$WORK/good.c"
if "$CROSS_CC" -mcpu=cortex-m33 -mthumb -Os -c -o "$WORK/bad.o" "$WORK/bad.c" &&
   "$CROSS_CC" -mcpu=cortex-m33 -mthumb -Os -c -o "$WORK/heap.o" "$WORK/heap.c" &&
   "$CROSS_CC" -mcpu=cortex-m33 -mthumb -Os -c -o "$WORK/tree.o" "$WORK/tree.c" &&
   "$CROSS_CC" -mcpu=cortex-m33 -mthumb -Os -c -o "$WORK/good.o" "$WORK/good.c"; then
	t_run sh "$SYM" "$CROSS_NM" "$WORK/bad.o"
	expect core_symbols_refuse_libc '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "needs time" &&
		printf "%s" "$OUT" | grep -q "needs printf"'
	t_run sh "$SYM" "$CROSS_NM" "$WORK/heap.o"
	expect core_symbols_refuse_heap '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "needs malloc"'
	t_run sh "$SYM" "$CROSS_NM" "$WORK/tree.o"
	expect core_symbols_refuse_cbor_tree '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "needs cbor_load"'
	t_run sh "$SYM" "$CROSS_NM" "$WORK/good.o"
	expect core_symbols_accept_string_cbor_stream '[ $RC -eq 0 ]'
else
	echo "FAIL core_cross_compiler: $CROSS_CC cannot build for Cortex-M33"
	T_FAILED=1
fi

# Names: every symbol the core exports starts with smp_, every name its
# headers declare with smp_ / SMP_, and none is one of Zephyr's mcumgr
# names. A planted unprefixed export, declaration or Zephyr name fails;
# one in a comment or a string does not. The planted names are none of
# the core's former names, which a rename run over the tree would rewrite.
NAMES="sh scripts/check-core-names.sh $CROSS_NM tests/zephyr-mcumgr-names.txt"
t_run $NAMES smp
expect core_names_clean '[ $RC -eq 0 ] && [ -z "$OUT" ]'
plant_header() {
	mkdir -p "$WORK/n/smp"
	rm -f "$WORK/n/smp/"*
	printf '%s\n' "$2" >"$WORK/n/smp/$1"
	t_run $NAMES "$WORK/n/smp"
}
plant_header dev.h 'enum dev_cmd { DEV_ECHO = 0 };
struct dev_params { int buf_size; };
#define DEV_MAX 8
typedef int (*dev_fn)(void *arg);
int dev_echo_req(const char *text);'
lacks_prefix() {
	for n; do
		printf '%s' "$OUT" | grep -q "dev.h: declares $n, which lacks" || return 1
	done
}
expect core_names_refuse_unprefixed '[ $RC -eq 1 ] &&
	lacks_prefix dev_cmd DEV_ECHO dev_params DEV_MAX dev_fn dev_echo_req &&
	! printf "%s" "$OUT" | grep -q buf_size'
plant_header status.h 'enum smp_mgmt_err { MGMT_ERR_EOK = 0 };'
expect core_names_refuse_zephyr_status '[ $RC -eq 1 ] &&
	printf "%s" "$OUT" | grep -q "declares MGMT_ERR_EOK, which lacks" &&
	printf "%s" "$OUT" | grep -q "names MGMT_ERR_EOK, which Zephyr.s mcumgr headers also declare"'
plant_header stream.h 'struct smp_streamer;
#define SMP_MCUMGR_VERSION_2 1
int smp_transport_init(struct smp_streamer *s);'
expect core_names_refuse_zephyr_names '[ $RC -eq 1 ] &&
	printf "%s" "$OUT" | grep -q "names smp_streamer, which Zephyr" &&
	printf "%s" "$OUT" | grep -q "names SMP_MCUMGR_VERSION_2, which Zephyr" &&
	printf "%s" "$OUT" | grep -q "names smp_transport_init, which Zephyr" &&
	! printf "%s" "$OUT" | grep -q "lacks"'
plant_header quiet.h '/* Zephyr calls its own struct smp_streamer and MGMT_ERR_EOK. */
#define SMP_QUIET_NOTE "dev_echo_req, smp_streamer"
int smp_quiet(void);'
expect core_names_ignore_comments_strings '[ $RC -eq 0 ] && [ -z "$OUT" ]'
printf 'int dev_echo_req(void);\nint dev_echo_req(void) { return 1; }\nint smp_ok(void);\nint smp_ok(void) { return 0; }\n' >"$WORK/names.c"
if "$CROSS_CC" -mcpu=cortex-m33 -mthumb -Os -c -o "$WORK/names.o" "$WORK/names.c"; then
	t_run $NAMES "$WORK/n/smp" "$WORK/names.o"
	expect core_names_refuse_unprefixed_export '[ $RC -eq 1 ] &&
		printf "%s" "$OUT" | grep -q "names.o: exports dev_echo_req, which lacks the core.s smp_ prefix" &&
		! printf "%s" "$OUT" | grep -q smp_ok'
else
	echo "FAIL core_names_cross_compiler: $CROSS_CC cannot build for Cortex-M33"
	T_FAILED=1
fi

# The budget figure: the DFU host image's map, a row per object and the
# budget line; the same map against a 1000-byte budget fails.
t_run make --no-print-directory -s size
expect core_size_within_budget '[ $RC -eq 0 ] && printf "%s" "$OUT" | grep -Eq "^core +smp/engine.c +[0-9]+" &&
	printf "%s" "$OUT" | grep -Eq "^libcbor +stand-in" &&
	printf "%s" "$OUT" | grep -Eq "^budget: core \+ libcbor = [0-9]+ bytes of flash \([0-9.]+ KiB of 24 KiB\)$"'
map=$(ls build/cross/dfu-host.map 2>/dev/null)
t_run sh scripts/image-size.sh "$map" 1000
expect core_size_fails_over_budget '[ $RC -eq 1 ] && printf "%s" "$OUT" | grep -q "bytes over the budget"'

exit $T_FAILED
