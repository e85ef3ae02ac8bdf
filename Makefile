# smpctl — build, test and install.
#   make            build build/smpctl and the simulated device
#   make check      build with ASan/UBSan and run every test
#   make demo       start the simulated device and upgrade it over UDP
#   make bench      upload benchmarks against the simulated device
#   make fuzz       build the libFuzzer harnesses with clang and run each for
#                   FUZZ_SECONDS (default 60); FUZZ_TARGETS=engine picks some
#   make install PREFIX=/usr/local

PREFIX ?= /usr/local
# zsh's directory for completions; Debian's is /usr/share/zsh/vendor-completions.
ZSHDIR ?= $(PREFIX)/share/zsh/site-functions
DESTDIR ?=
BUILD ?= build
CC ?= cc
PKGS := libcbor jansson openssl bluez libzip libmosquitto inih
OPT ?= -O2

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter -Wno-format-truncation
CFLAGS_ALL := -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) -I. $(shell pkg-config --cflags libzip) $(SANITIZE) $(CFLAGS)
LDLIBS_ALL := -lcbor -ljansson -lssl -lcrypto -lbluetooth -lreadline $(shell pkg-config --libs libzip) \
	$(shell pkg-config --libs libmosquitto 2>/dev/null || echo -lmosquitto) -lpthread -linih $(LDLIBS)
LDFLAGS_ALL := $(SANITIZE) $(LDFLAGS)

SMP_SRC := $(wildcard smp/*.c)
TRANSPORT_SRC := $(wildcard transport/*.c)
CLI_SRC := $(filter-out cli/main.c,$(wildcard cli/*.c))
SIM_SRC := $(filter-out tests/sim/main.c,$(wildcard tests/sim/*.c))
UNIT_SRC := $(wildcard tests/unit/*.c)
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_COMMON := tests/fuzz/null_stream.c tests/fuzz/script_link.c

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB_OBJ := $(call obj,$(SMP_SRC) $(TRANSPORT_SRC) $(CLI_SRC))
SIM_OBJ := $(call obj,$(SIM_SRC))

# Each fuzz harness is also linked with a plain main that replays its
# corpus and regression inputs once, for make check (no clang needed).
REPLAY_BINS := $(patsubst %,$(BUILD)/fuzz-replay/%,$(FUZZ_TARGETS))
BINS := $(BUILD)/smpctl $(BUILD)/smp-simdev $(BUILD)/unit-tests $(BUILD)/smp-scripted \
	$(REPLAY_BINS)

.PHONY: all check demo bench fuzz fuzzers install uninstall clean deps
all: $(BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(BUILD)/smpctl: $(call obj,cli/main.c) $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/smp-simdev: $(call obj,tests/sim/main.c) $(SIM_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL) -lutil

$(BUILD)/unit-tests: $(call obj,$(UNIT_SRC)) $(SIM_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL) -lutil

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

deps:
	@sh scripts/ensure-deps.sh

# Sanitizers make every test slower but catch what a plain build hides.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check: deps
	@$(MAKE) --no-print-directory -j$$(nproc) BUILD=build/san OPT=-O1 SANITIZE="$(SAN_FLAGS)" all
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		sh tests/run.sh build/san

demo: deps
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

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
