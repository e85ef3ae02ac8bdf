/* The learned-link cache (cli/link_cache.c): what one transfer learned
 * of a connection, for the next to start from. */
#ifndef CLI_LINK_CACHE_H
#define CLI_LINK_CACHE_H

#include <stddef.h>

#include "smp/xfer_ctl.h"

/* The cache file: $XDG_CACHE_HOME/smpctl/links/<hash of key>. */
int link_cache_load(const char *key, struct smp_xfer_link *out);
int link_cache_store(const char *key, const struct smp_xfer_link *in);
/* The file's path for key into buf; -1 when there is no cache dir. */
int link_cache_path(const char *key, char *buf, size_t cap);

#endif
