/* Diagnostics for -v: a message formatted for a callback, when the caller
 * gave one. */
#ifndef SMP_SAY_H
#define SMP_SAY_H

typedef void (*smp_say_fn)(void *arg, const char *msg);

void smp_sayf(smp_say_fn fn, void *arg, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
