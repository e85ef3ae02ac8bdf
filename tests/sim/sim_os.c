/* OS management group (0), after Zephyr's os_mgmt.c as built for smp_svr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host/cbor_tree.h"
#include "tests/sim/sim_priv.h"

enum os_err {
	OS_ERR_UNKNOWN = 1,
	OS_ERR_INVALID_FORMAT = 2,
	OS_ERR_QUERY_YIELDS_NO_ANSWER = 3,
	OS_ERR_RTC_NOT_SET = 4,
	OS_ERR_RTC_COMMAND_FAILED = 5,
};

static int os_echo(struct sim_req *req)
{
	struct sim_str d = { (const uint8_t *)"", 0 };
	struct sim_key keys[] = { { "d", SIM_K_TSTR, &d, false } };
	size_t decoded;
	cbor_item_t *r;

	if (sim_decode_bulk(req, keys, 1, &decoded) != 0)
		return MGMT_ERR_EINVAL;
	r = cbor_build_stringn((const char *)d.ptr, d.len);
	return r && sim_rsp_put(req, "r", r) == 0 ? 0 : MGMT_ERR_ENOMEM;
}

struct sim_thread {
	const char *name;
	int prio;
	unsigned state, stksiz, stkuse;
};

/* What smp_svr built for UDP shows (stack figures in 4-byte words). */
static const struct sim_thread sim_threads[] = {
	{ "smp_udp4", 0, 2, 256, 98 },	 { "net_mgmt", -1, 2, 192, 60 },
	{ "sysworkq", -1, 0, 512, 220 }, { "logging", 14, 2, 192, 50 },
	{ "idle", 15, 0, 80, 18 },	 { "main", 0, 8, 256, 120 },
};

static cbor_item_t *os_task_map(const struct sim_thread *t, unsigned tid)
{
	cbor_item_t *m = cbor_new_indefinite_map();

	if (!m)
		return NULL;
	if (tree_put_int(m, "prio", t->prio) || tree_put_uint(m, "tid", tid) ||
	    tree_put_uint(m, "state", t->state) || tree_put_uint(m, "stksiz", t->stksiz) ||
	    tree_put_uint(m, "stkuse", t->stkuse) || tree_put_uint(m, "runtime", 0) ||
	    tree_put_uint(m, "cswcnt", 0) || tree_put_uint(m, "last_checkin", 0) ||
	    tree_put_uint(m, "next_checkin", 0))
		cbor_decref(&m);
	return m;
}

static int os_taskstat(struct sim_req *req)
{
	cbor_item_t *tasks = cbor_new_indefinite_map();

	if (!tasks)
		return MGMT_ERR_ENOMEM;
	for (unsigned i = 0; i < sizeof(sim_threads) / sizeof(sim_threads[0]); i++) {
		cbor_item_t *t = os_task_map(&sim_threads[i], i);

		if (!t || tree_put_item(tasks, sim_threads[i].name, t) != 0) {
			cbor_decref(&tasks);
			return MGMT_ERR_ENOMEM;
		}
	}
	return sim_rsp_put(req, "tasks", tasks) ? MGMT_ERR_ENOMEM : 0;
}

static int os_datetime_read(struct sim_req *req)
{
	time_t now;
	struct tm tm;
	char buf[32];

	if (!req->dev->rtc_set)
		return sim_add_cmd_err(req, SIM_GROUP_OS, OS_ERR_RTC_NOT_SET);
	now = time(NULL) + (time_t)req->dev->rtc_offset_s;
	gmtime_r(&now, &tm);
	snprintf(buf, sizeof(buf), "%4d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return tree_put_text(req->rsp, "datetime", buf) ? MGMT_ERR_ENOMEM : 0;
}

/* Zephyr's parser: six numbers, each followed by one delimiter; whatever
 * follows the seconds (fraction, zone) is ignored. */
static int os_parse_datetime(const char *s, size_t len, struct tm *tm)
{
	static const int lo[6] = { 1900, 1, 1, 0, 0, 0 }, hi[6] = { 11899, 12, 31, 23, 59, 59 };
	int v[6];
	const char *pos = s;
	char *end;

	for (int i = 0; i < 6; i++) {
		if (pos >= s + len)
			return -1;
		v[i] = (int)strtol(pos, &end, 10);
		if (end == pos || v[i] < lo[i] || v[i] > hi[i])
			return -1;
		pos = end + 1;
	}
	*tm = (struct tm){ .tm_year = v[0] - 1900,
			   .tm_mon = v[1] - 1,
			   .tm_mday = v[2],
			   .tm_hour = v[3],
			   .tm_min = v[4],
			   .tm_sec = v[5] };
	return 0;
}

static int os_datetime_write(struct sim_req *req)
{
	struct sim_str dt = { NULL, 0 };
	struct sim_key keys[] = { { "datetime", SIM_K_TSTR, &dt, false } };
	char buf[32];
	struct tm tm, check;
	size_t decoded;
	time_t t;

	if (sim_decode_bulk(req, keys, 1, &decoded) != 0 || dt.len < 19 || dt.len >= 26)
		return MGMT_ERR_EINVAL;
	memcpy(buf, dt.ptr, dt.len);
	buf[dt.len] = '\0';
	if (os_parse_datetime(buf, dt.len, &tm) != 0)
		return MGMT_ERR_EINVAL;
	check = tm;
	t = timegm(&check);
	/* The RTC driver refuses dates that do not exist (31 February). */
	if (t == (time_t)-1 || check.tm_mday != tm.tm_mday || check.tm_mon != tm.tm_mon)
		return sim_add_cmd_err(req, SIM_GROUP_OS, OS_ERR_RTC_COMMAND_FAILED);
	req->dev->rtc_set = true;
	req->dev->rtc_offset_s = (int64_t)t - (int64_t)time(NULL);
	return 0;
}

static int os_reset(struct sim_req *req)
{
	bool force = false;
	uint32_t boot_mode = 0;
	struct sim_key keys[] = { { "force", SIM_K_BOOL, &force, false },
				  { "boot_mode", SIM_K_UINT32, &boot_mode, false } };
	size_t decoded;

	/* A core command: undecodable arguments are ignored. */
	(void)sim_decode_bulk(req, keys, 2, &decoded);
	sim_device_schedule_reset(req->dev);
	return 0;
}

static int os_params(struct sim_req *req)
{
	if (tree_put_uint(req->rsp, "buf_size", req->dev->cfg.buf_size) ||
	    tree_put_uint(req->rsp, "buf_count", req->dev->cfg.buf_count))
		return MGMT_ERR_ENOMEM;
	return 0;
}

/* os info: the letters in output order, and what each prints. */
struct os_info_part {
	char letter;
	const char *text;
};

static const struct os_info_part os_info_parts[] = {
	{ 's', "Zephyr" }, { 'n', "unknown" },	 { 'r', "v3.7.0" },	{ 'v', "3.7.0" },
	{ 'm', "arm" },	   { 'p', "cortex-m4" }, { 'i', "nrf52840dk" }, { 'o', "Zephyr" },
};

#define OS_INFO_PARTS (sizeof(os_info_parts) / sizeof(os_info_parts[0]))

static int os_info(struct sim_req *req)
{
	struct sim_str fmt = { NULL, 0 };
	struct sim_key keys[] = { { "format", SIM_K_TSTR, &fmt, false } };
	bool want[OS_INFO_PARTS] = { false }, any = false;
	char out[256] = "";
	size_t decoded, valid = 0;

	if (sim_decode_bulk(req, keys, 1, &decoded) != 0)
		return MGMT_ERR_EINVAL;
	for (size_t i = 0; i < fmt.len; i++) {
		for (size_t p = 0; p < OS_INFO_PARTS; p++) {
			if (fmt.ptr[i] == 'a' || fmt.ptr[i] == os_info_parts[p].letter) {
				want[p] = true;
				any = true;
			}
		}
		valid += fmt.ptr[i] == 'a' || memchr("snrvmpio", fmt.ptr[i], 8) != NULL;
	}
	if (valid != fmt.len)
		return sim_add_cmd_err(req, SIM_GROUP_OS, OS_ERR_INVALID_FORMAT);
	if (!any)
		want[0] = true;
	for (size_t p = 0; p < OS_INFO_PARTS; p++) {
		if (!want[p])
			continue;
		if (out[0])
			strcat(out, " ");
		strcat(out, os_info_parts[p].text);
	}
	return tree_put_text(req->rsp, "output", out) ? MGMT_ERR_ENOMEM : 0;
}

static int os_bootloader_info(struct sim_req *req)
{
	struct sim_str query = { NULL, 0 };
	struct sim_key keys[] = { { "query", SIM_K_TSTR, &query, false } };
	size_t decoded;

	if (sim_decode_bulk(req, keys, 1, &decoded) != 0)
		return MGMT_ERR_EINVAL;
	if (decoded == 0)
		return tree_put_text(req->rsp, "bootloader", "MCUboot") ? MGMT_ERR_ENOMEM : 0;
	if (query.len != 4 || memcmp(query.ptr, "mode", 4) != 0)
		return OS_ERR_QUERY_YIELDS_NO_ANSWER; /* Zephyr returns it as an rc */
	if (tree_put_int(req->rsp, "mode", req->dev->cfg.boot_mode))
		return MGMT_ERR_ENOMEM;
	if (req->dev->cfg.no_downgrade && tree_put_bool(req->rsp, "no-downgrade", true))
		return MGMT_ERR_ENOMEM;
	return 0;
}

static int os_translate(uint16_t err)
{
	switch (err) {
	case OS_ERR_INVALID_FORMAT:
		return MGMT_ERR_EINVAL;
	case OS_ERR_QUERY_YIELDS_NO_ANSWER:
	case OS_ERR_RTC_NOT_SET:
		return MGMT_ERR_ENOENT;
	default:
		return MGMT_ERR_EUNKNOWN;
	}
}

static const struct sim_handler os_handlers[] = {
	[0] = { os_echo, os_echo },    [2] = { os_taskstat, NULL },
	[3] = { sim_os_mpstat, NULL }, [4] = { os_datetime_read, os_datetime_write },
	[5] = { NULL, os_reset },      [6] = { os_params, NULL },
	[7] = { os_info, NULL },       [8] = { os_bootloader_info, NULL },
};

const struct sim_group sim_os_group = {
	.id = SIM_GROUP_OS,
	.handlers = os_handlers,
	.count = sizeof(os_handlers) / sizeof(os_handlers[0]),
	.translate = os_translate,
};
