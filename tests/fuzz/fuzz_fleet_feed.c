/* The factory line's parent reading a board's pipe (cli/fleet/fleet_feed.c):
 * the input comes in reads of the sizes its first byte picks, is cut into
 * lines in the board's buffer as the parent cuts it (a line longer than
 * the buffer dropped), each line read; then the board's object for the
 * --json report is built from what was kept, as at the end of the line. */
#include <stdlib.h>
#include <string.h>

#include "cli/fleet/fleet.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fleet_board b;
	size_t step, at, n;
	json_t *o;

	if (size < 1)
		return 0;
	step = (size_t)data[0] * 64 + 1;
	memset(&b, 0, sizeof(b));
	b.conn = "udp:192.0.2.1";
	for (at = 1; at < size; at += n) {
		n = size - at < step ? size - at : step;
		fleet_feed(NULL, &b, (const char *)data + at, n, NULL);
	}
	o = fleet_board_json(&b);
	json_decref(o);
	json_decref(b.result);
	return 0;
}
