/* Shared by the fuzz harnesses in this folder. Each harness defines
 * LLVMFuzzerTestOneInput, as OSS-Fuzz expects; `make fuzz` links it with
 * libFuzzer (clang), and `make check` links it with replay.c (any C
 * compiler) to run every corpus and regression input once. */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A stream that discards what is written: the output code runs in full,
 * nothing reaches the terminal. Opened once per process. */
FILE *fuzz_null_stream(void);

#endif
