# smpctl — build, test and install.
#   make            build build/smpctl and the simulated device
#   make check      check the rooms' includes (scripts/check-layers.sh), build
#                   with ASan/UBSan and run every test
#   make unit       the unit tests alone; make e2e T=51_fs one e2e file
#   make demo       start the simulated device and upgrade it over UDP
#   make bench      upload benchmarks against the simulated device
#   make fuzz       build the libFuzzer harnesses with clang and run each for
#                   FUZZ_SECONDS (default 60); FUZZ_TARGETS=engine picks some
#   make cross      cross-compile the portable core (smp/) for Cortex-M33
#   make size       what the DFU host image links per object (core, libcbor,
#                   platform), and the core + libcbor flash budget
#   make embedded-check  the DFU host on QEMU's mps2-an505 (Cortex-M33)
#                   upgrades the simulated device over its UART;
#                   LIBCBOR_SRC=/path/to/libcbor/src links libcbor's own
#                   sources instead of the stand-in
#   make lint       clang-format's check over the C files, cppcheck and
#                   clang-tidy over smp/ host/ transport/ (scripts/lint.sh)
#   make format     rewrite the tracked C files with clang-format
#   make install PREFIX=/usr/local

PREFIX ?= /usr/local
# zsh's directory for completions; Debian's is /usr/share/zsh/vendor-completions.
ZSHDIR ?= $(PREFIX)/share/zsh/site-functions
DESTDIR ?=
BUILD ?= build
CC ?= cc
PKGS := libcbor jansson openssl bluez libzip libmosquitto inih libsystemd
OPT ?= -O2

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter -Wno-format-truncation
CFLAGS_ALL := -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) -I. $(shell pkg-config --cflags libzip 2>/dev/null) $(SANITIZE) $(CFLAGS)
LDLIBS_ALL := -lcbor -ljansson -lssl -lcrypto -lbluetooth -lsystemd -lreadline $(shell pkg-config --libs libzip 2>/dev/null || echo -lzip) \
	$(shell pkg-config --libs libmosquitto 2>/dev/null || echo -lmosquitto) -lpthread -linih $(LDLIBS)
LDFLAGS_ALL := $(SANITIZE) $(LDFLAGS)

SMP_SRC := $(wildcard smp/*.c)
HOST_SRC := $(wildcard host/*.c)
TRANSPORT_SRC := $(wildcard transport/*.c)
CLI_SRC := $(filter-out cli/main.c,$(wildcard cli/*.c cli/*/*.c))
SIM_SRC := $(filter-out tests/sim/main.c,$(wildcard tests/sim/*.c))
UNIT_SRC := $(wildcard tests/unit/*.c)
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_COMMON := tests/fuzz/null_stream.c tests/fuzz/script_link.c

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB_OBJ := $(call obj,$(SMP_SRC) $(HOST_SRC) $(TRANSPORT_SRC) $(CLI_SRC))
SIM_OBJ := $(call obj,$(SIM_SRC))

# Each fuzz harness is also linked with a plain main that replays its
# corpus and regression inputs once, for make check (no clang needed).
REPLAY_BINS := $(patsubst %,$(BUILD)/fuzz-replay/%,$(FUZZ_TARGETS))
BINS := $(BUILD)/smpctl $(BUILD)/smp-simdev $(BUILD)/unit-tests $(BUILD)/smp-scripted \
	$(BUILD)/smp-bluez-standin \
	$(BUILD)/embedded-example $(REPLAY_BINS)

.PHONY: all check unit e2e cross size embedded-check standin-covers standin-or-libcbor demo bench fuzz fuzzers install uninstall clean deps lint \
	lint-tidy format version FORCE
all: $(BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# The commit the binary is built from, for --version: "-modified" when the
# tree differs from it; "unknown" in a tree without git (a tarball).
# version.h is rewritten only when that changes, so main.c is rebuilt
# exactly then.
SMPCTL_COMMIT := $(shell [ -e .git ] && git rev-parse --short=12 HEAD 2>/dev/null)
SMPCTL_COMMIT := $(if $(SMPCTL_COMMIT),$(SMPCTL_COMMIT)$(shell git diff --quiet HEAD -- 2>/dev/null || echo -modified),unknown)
$(BUILD)/gen/version.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define SMPCTL_COMMIT "%s"\n' '$(SMPCTL_COMMIT)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(call obj,cli/main.c): $(BUILD)/gen/version.h
$(call obj,cli/main.c): CFLAGS_ALL += -I$(BUILD)/gen
FORCE:

version:
	@echo $(SMPCTL_COMMIT)

$(BUILD)/smpctl: $(call obj,cli/main.c) $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/smp-simdev: $(call obj,tests/sim/main.c) $(SIM_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL) -lutil

# The device-side example, with its host glue, against the simulated device.
$(BUILD)/embedded-example: $(call obj,tests/embedded_example.c tests/embedded/host_glue.c) $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

# The unit tests bring their own clock (tests/unit/unit.c): a scripted
# device's time must not depend on how busy the machine is.
$(BUILD)/unit-tests: $(call obj,$(UNIT_SRC)) $(SIM_OBJ) $(filter-out $(call obj,host/clock_posix.c),$(LIB_OBJ)) \
		$(BUILD)/obj/tests/unit/libcbor_standin.o
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL) -lutil

# The libcbor stand-in of the target images, its names prefixed standin_
# so that it links beside the host's libcbor for the differential test; a
# name it defines that escaped the renaming would silently replace
# libcbor's, so none may (the sanitizers' own __ names aside).
$(BUILD)/obj/tests/unit/libcbor_standin.o: tests/embedded/libcbor_subset.c tests/unit/libcbor_standin_names.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -include tests/unit/libcbor_standin_names.h -MMD -MP -c -o $@ $<
	@! nm -g --defined-only $@ | awk '$$3 !~ /^(standin_|__)/ { print $$3 }' | grep . || \
		{ echo "error: the names above escaped tests/unit/libcbor_standin_names.h" >&2; rm -f $@; exit 1; }

# bluetoothd's D-Bus API on a private bus, in front of the simulated device.
$(BUILD)/smp-bluez-standin: $(call obj,tests/bluez/standin.c) $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/smp-scripted: $(call obj,tests/scripted/main.c) $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/fuzz-replay/%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(call obj,tests/fuzz/replay.c $(FUZZ_COMMON)) $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/fuzzer/%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(call obj,$(FUZZ_COMMON)) $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -fsanitize=fuzzer -o $@ $^ $(LDLIBS_ALL)

.PRECIOUS: $(BUILD)/obj/%.o

fuzzers: $(patsubst %,$(BUILD)/fuzzer/%,$(FUZZ_TARGETS))

# The portable core, cross-compiled for an nRF5340's Cortex-M33 against
# newlib's headers and libcbor's headers alone (no host include path), with
# the host's warnings. Debian's libcbor headers suit any target:
# cbor/configuration.h holds only the version and feature switches.
# The Zephyr module's PSA Crypto seam (zephyr/src/crypto_psa.c) compiles
# too, against a small stand-in psa/crypto.h (tests/embedded/psa).
CROSS_CC ?= arm-none-eabi-gcc
CROSS_NM ?= arm-none-eabi-nm
CROSS_SIZE ?= arm-none-eabi-size
# LIBCBOR_SRC=/path/to/libcbor/src builds libcbor's own sources into the
# target image (as a firmware tree with libcbor in it does), against its
# own headers; otherwise the core compiles against Debian's libcbor headers
# and the image links tests/embedded/libcbor_subset.c, a stand-in for the
# entry points the core calls (Debian ships no libcbor for the target).
LIBCBOR_SRC ?=
# One build directory per libcbor tree: objects of another never mix in.
CROSS_DIR := $(BUILD)/cross$(if $(LIBCBOR_SRC),-libcbor$(subst /,_,$(abspath $(LIBCBOR_SRC))))
# A DFU host names only the errors of the groups it speaks (smp/status.c).
CROSS_CFLAGS := -std=c11 -mcpu=cortex-m33 -mthumb -Os -ffreestanding -ffunction-sections \
	-fdata-sections $(WARN) -I. -isystem $(CROSS_DIR)/include -DSMP_STATUS_DFU_NAMES \
	$(if $(LIBCBOR_SRC),-isystem $(CROSS_DIR)/cfg)
CORE_SRC := $(SMP_SRC)
CROSS_EXTRA_SRC := zephyr/src/crypto_psa.c tests/embedded_example.c
# The DFU host image's own sources (below), compiled by make cross too.
QEMU_SRC := tests/embedded/qemu/board.c tests/embedded/qemu/main.c \
	tests/embedded/qemu/uart_link.c tests/embedded/qemu/sha256.c tests/embedded_example.c
cross_obj = $(patsubst %.c,$(CROSS_DIR)/obj/%.o,$(1))
CROSS_OBJ := $(call cross_obj,$(CORE_SRC))
# The flash budget of what a DFU host links, libcbor counted
# (scripts/image-size.sh says which objects count).
BUDGET_FLASH := 24576

CBOR_HDR := $(if $(LIBCBOR_SRC),$(abspath $(LIBCBOR_SRC)),/usr/include)
$(CROSS_DIR)/include/cbor.h:
	@mkdir -p $(dir $@)
	ln -sf $(CBOR_HDR)/cbor.h $(CROSS_DIR)/include/cbor.h
	ln -sfn $(CBOR_HDR)/cbor $(CROSS_DIR)/include/cbor
	$(if $(LIBCBOR_SRC),sh scripts/libcbor-config.sh $(LIBCBOR_SRC) $(CROSS_DIR)/cfg)

$(CROSS_DIR)/obj/%.o: %.c | $(CROSS_DIR)/include/cbor.h
	@mkdir -p $(dir $@)
	$(CROSS_CC) $(CROSS_CFLAGS) -MMD -MP -c -o $@ $<

# The PSA mapping compiles against the stand-in psa/crypto.h.
$(CROSS_DIR)/obj/zephyr/src/crypto_psa.o: CROSS_CFLAGS += -Itests/embedded -Izephyr/include \
	-DCONFIG_SMPCTL_CRYPTO_PSA

# The stand-in has libcbor 0.8's API: with another libcbor's headers it is
# not built.
cross: $(CROSS_OBJ) $(call cross_obj,$(CROSS_EXTRA_SRC) $(QEMU_SRC) \
		$(if $(LIBCBOR_SRC),,tests/embedded/libcbor_subset.c))
	@sh scripts/check-core-headers.sh smp
	@sh scripts/check-core-symbols.sh $(CROSS_NM) $(CROSS_OBJ) \
		$(call cross_obj,tests/embedded_example.c)
	@sh scripts/check-core-names.sh $(CROSS_NM) tests/zephyr-mcumgr-names.txt smp $(CROSS_OBJ)
	@echo "cross: $(words $(CROSS_OBJ)) core objects built for Cortex-M33, headers, symbols and names clean"

# The DFU host image for QEMU's mps2-an505 (a Cortex-M33): the example's
# update flow (tests/embedded_example.c) with its board, UART link and
# SHA-256 (tests/embedded/qemu), the core, and libcbor (LIBCBOR_SRC's or
# the stand-in), newlib with semihosting for its output and the image
# file. --gc-sections keeps what is reached; the map file says from
# which object (scripts/image-size.sh).
LIBCBOR_C := $(if $(LIBCBOR_SRC),$(wildcard $(LIBCBOR_SRC)/*.c $(LIBCBOR_SRC)/cbor/*.c \
	$(LIBCBOR_SRC)/cbor/internal/*.c),tests/embedded/libcbor_subset.c)
LIBCBOR_OBJ := $(if $(LIBCBOR_SRC),$(patsubst $(LIBCBOR_SRC)/%.c,$(CROSS_DIR)/libcbor/%.o,$(LIBCBOR_C)),$(call cross_obj,$(LIBCBOR_C)))
DFU_HOST := $(CROSS_DIR)/dfu-host.elf
QEMU_LD := tests/embedded/qemu/an505.ld
QEMU_LDFLAGS := -mcpu=cortex-m33 -mthumb --specs=nano.specs --specs=rdimon.specs -nostartfiles \
	-T $(QEMU_LD) -Wl,--gc-sections -Wl,--no-warn-rwx-segments

# libcbor's own sources, with its own warnings' worth of slack.
$(CROSS_DIR)/libcbor/%.o: $(LIBCBOR_SRC)/%.c | $(CROSS_DIR)/include/cbor.h
	@mkdir -p $(dir $@)
	$(CROSS_CC) $(filter-out $(WARN),$(CROSS_CFLAGS)) -w -I$(LIBCBOR_SRC) -MMD -MP -c -o $@ $<

$(DFU_HOST): $(call cross_obj,$(QEMU_SRC)) $(CROSS_OBJ) $(LIBCBOR_OBJ) $(QEMU_LD)
	$(CROSS_CC) $(QEMU_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^)

# Without LIBCBOR_SRC the image links only when the stand-in has every
# libcbor function the core and the example call; the names it lacks are
# said (scripts/libcbor-standin-covers.sh).
STANDIN_OBJ := $(call cross_obj,tests/embedded/libcbor_subset.c)
STANDIN_COVERS := sh scripts/libcbor-standin-covers.sh $(CROSS_NM) $(STANDIN_OBJ) $(CROSS_OBJ) \
	$(call cross_obj,$(QEMU_SRC))
STANDIN_SHORT = { echo "$(1): the core calls libcbor functions the stand-in lacks"; \
	echo "$(1): ($$(tr '\n' ' ' <$(CROSS_DIR)/standin-missing))"; \
	echo "$(1): only a real libcbor links it: make $(1) LIBCBOR_SRC=/path/to/libcbor/src"; }

# What the DFU host links, from the image's map: the core's objects and
# libcbor's (real or stand-in) counted against the budget, the example's
# image check and the platform shown apart (scripts/image-size.sh).
size: standin-or-libcbor $(CROSS_OBJ) $(call cross_obj,$(QEMU_SRC))
	@$(MAKE) --no-print-directory -s $(DFU_HOST)
	@sh scripts/image-size.sh $(DFU_HOST:.elf=.map) $(BUDGET_FLASH)

# The stand-in must have every libcbor function the core calls: one it
# lacks is named, and only a real libcbor links the image then.
standin-covers: $(CROSS_OBJ) $(STANDIN_OBJ) $(call cross_obj,$(QEMU_SRC))
	@$(STANDIN_COVERS) >$(CROSS_DIR)/standin-missing || { $(call STANDIN_SHORT,embedded-check); exit 1; }

# The packages first (qemu-system-arm and the Arm toolchain), then the
# build: a fresh machine has neither.
embedded-check:
	@sh scripts/ensure-deps.sh embedded
	@$(MAKE) --no-print-directory -j$$(nproc) $(BUILD)/smpctl $(BUILD)/smp-simdev standin-or-libcbor
	@$(MAKE) --no-print-directory $(DFU_HOST)
	@sh tests/embedded/qemu/check.sh $(BUILD) $(DFU_HOST)

standin-or-libcbor: $(if $(LIBCBOR_SRC),$(LIBCBOR_OBJ),standin-covers)

deps:
	@sh scripts/ensure-deps.sh

# Sanitizers make every test slower but catch what a plain build hides.
# make unit and make e2e T="51_fs 22_upload_faults" run a part, alike.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_BUILD := $(MAKE) --no-print-directory -j$$(nproc) BUILD=build/san OPT=-O1 SANITIZE="$(SAN_FLAGS)"
SAN_RUN := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	sh tests/run.sh build/san
check: deps
	@sh scripts/check-layers.sh
	@$(MAKE) --no-print-directory -j$$(nproc) cross size
	@$(SAN_BUILD) all
	@$(SAN_RUN)

unit: deps
	@$(SAN_BUILD) build/san/unit-tests
	@$(SAN_RUN) unit

e2e: deps
	@$(SAN_BUILD) all
	@$(SAN_RUN) e2e $(T)

# The demo installs only what it builds and runs with (not the Arm
# toolchain nor the packaging tools that check needs).
demo:
	@sh scripts/ensure-deps.sh demo
	@$(MAKE) --no-print-directory -j$$(nproc) all
	@sh scripts/demo.sh $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory -j$$(nproc) all
	@sh tests/bench/bench.sh $(BUILD)

# libFuzzer needs clang; the library is built with the fuzzer's coverage
# instrumentation, each harness linked with libFuzzer's main.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fuzz:
	@sh scripts/ensure-deps.sh fuzz
	@$(MAKE) --no-print-directory -j$$(nproc) BUILD=build/fuzz CC=$(FUZZ_CC) OPT=-O1 \
		SANITIZE="$(FUZZ_SAN)" CFLAGS=-Wno-unknown-warning-option \
		FUZZ_TARGETS="$(FUZZ_TARGETS)" fuzzers
	@sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# .clang-format, .clang-tidy and scripts/lint.sh hold the rules. clang-tidy
# is given the build's flags directly, so no compile_commands.json is
# needed; a stamp per file that came out clean skips it the next time
# unless it, a header or the rules changed.
LINT_SRC := $(SMP_SRC) $(HOST_SRC) $(TRANSPORT_SRC)
LINT_HDR := $(wildcard smp/*.h host/*.h transport/*.h)
LINT_CFLAGS := -std=c11 -D_GNU_SOURCE -I. $(shell pkg-config --cflags libzip 2>/dev/null)
lint: deps
	@sh scripts/lint.sh $(BUILD)

lint-tidy: $(patsubst %.c,$(BUILD)/lint/%.tidy,$(LINT_SRC))

$(BUILD)/lint/%.tidy: %.c .clang-tidy $(LINT_HDR)
	@mkdir -p $(dir $@)
	@clang-tidy --quiet $< -- $(LINT_CFLAGS) 2>/dev/null && touch $@

format:
	@git ls-files -z -- 'smp/*.[ch]' 'host/*.[ch]' 'transport/*.[ch]' 'cli/*.[ch]' \
		'tests/*.[ch]' | xargs -0 -P$$(nproc) -n16 clang-format -i

install: $(BUILD)/smpctl
	install -D -m 755 $(BUILD)/smpctl $(DESTDIR)$(PREFIX)/bin/smpctl
	install -D -m 644 man/smpctl.1 $(DESTDIR)$(PREFIX)/share/man/man1/smpctl.1
	install -D -m 644 completions/smpctl.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/smpctl
	install -D -m 644 completions/_smpctl $(DESTDIR)$(ZSHDIR)/_smpctl
	install -D -m 644 completions/smpctl.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/smpctl.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/smpctl $(DESTDIR)$(PREFIX)/share/man/man1/smpctl.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/smpctl \
		$(DESTDIR)$(ZSHDIR)/_smpctl \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/smpctl.fish

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(CROSS_DIR)/obj $(CROSS_DIR)/libcbor -name '*.d' 2>/dev/null)
