/* Every response decoder of smp/grp_*.c and the status parser, over one
 * device answer's CBOR payload: the input is what follows the SMP header.
 * The payload is checked whole first, as the engine checks an answer. */
#include <stdlib.h>

#include "smp/cbor_read.h"
#include "smp/grp_basic.h"
#include "smp/grp_enum.h"
#include "smp/grp_fs.h"
#include "smp/grp_img.h"
#include "smp/grp_os.h"
#include "smp/grp_settings.h"
#include "smp/grp_shell.h"
#include "smp/grp_stat.h"
#include "smp/status.h"
#include "tests/fuzz/fuzz.h"

static void img(const struct smp_cbor *m)
{
	static struct smp_img_slot_info info;
	static struct smp_img_state st;
	const char *why;

	if (smp_img_state_rsp(m, &st, &why) == 0 && st.count)
		smp_img_state_find(&st, st.slots[0].hash, st.slots[0].hash_len);
	smp_img_slot_info_rsp(m, &info, &why);
}

/* The walks' callbacks touch what they are given, as a host would. */
static int see_task(void *arg, const struct smp_os_task *t)
{
	char state[96];

	smp_os_thread_state_text(t->state, state, sizeof(state));
	return t->name[0] == '\xff' ? -1 : 0;
}

static int see_pool(void *arg, const struct smp_os_mpool *m)
{
	return m->name[0] == '\xff' ? -1 : 0;
}

static void os(const struct smp_cbor *m)
{
	struct smp_os_params p;
	struct smp_os_bootloader b;
	struct smp_cbor text;
	char datetime[SMP_OS_DATETIME_MAX];
	const char *why;

	smp_os_echo_rsp(m, &text, &why);
	smp_os_info_rsp(m, &text, &why);
	smp_os_datetime_rsp(m, datetime, sizeof(datetime), &why);
	smp_os_params_rsp(m, &p, &why);
	smp_os_taskstat_rsp(m, see_task, NULL, &why);
	smp_os_mpstat_rsp(m, see_pool, NULL, &why);
	if (smp_os_bootloader_rsp(m, &b, &why) == 0 && b.has_mode)
		smp_os_boot_mode_name(b.mode);
}

static int see_data(void *arg, const uint8_t *p, size_t n)
{
	return n && p[0] == 0xff && p[n - 1] == 0xfe ? -1 : 0;
}

static void fs(const struct smp_cbor *m)
{
	static struct smp_fs_hash_types types;
	struct smp_fs_chunk c;
	struct smp_fs_hash h;
	uint64_t n;
	const char *why;

	if (smp_fs_download_rsp(m, &c, &why) == 0)
		smp_fs_chunk_data(&c, see_data, NULL);
	smp_fs_upload_rsp(m, &n, &why);
	smp_fs_stat_rsp(m, &n, &why);
	smp_fs_hash_rsp(m, &h, &why);
	smp_fs_hashes_rsp(m, &types, &why);
}

static int see_field(void *arg, const struct smp_stat_field *f)
{
	return f->name[0] == '\xff' ? -1 : 0;
}

static int see_name(void *arg, const char *name)
{
	return name[0] == '\xff' ? -1 : 0;
}

static void others(const struct smp_cbor *m)
{
	static struct smp_enum_list list;
	static struct smp_enum_details details;
	struct smp_settings_value v;
	struct smp_shell_result r;
	struct smp_status st;
	uint64_t count;
	uint16_t group;
	bool last;
	char name[SMP_STAT_NAME_MAX], *copy;
	const char *why;

	smp_basic_erase_rsp(m, &why);
	smp_enum_count_rsp(m, &count, &why);
	smp_enum_list_rsp(m, &list, &why);
	smp_enum_single_rsp(m, &group, &last, &why);
	smp_enum_details_rsp(m, &details, &why);
	if (smp_settings_read_rsp(m, &v, &why) == 0 && (copy = malloc(v.len + 1))) {
		smp_item_bytes(&v.val, (uint8_t *)copy, v.len, &v.len);
		free(copy);
	}
	if (smp_shell_exec_rsp(m, &r, &why) == 0 && (copy = malloc(r.text_len + 1))) {
		smp_item_text(&r.text, copy, r.text_len + 1);
		free(copy);
	}
	smp_stat_show_rsp(m, name, see_field, NULL, &why);
	smp_stat_list_rsp(m, see_name, NULL, &why);
	smp_status_parse(m, &st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smp_cbor m;
	const char *why;

	if (smp_cbor_decode_map(data, size, &m, &why) != 0)
		return 0;
	img(&m);
	os(&m);
	fs(&m);
	others(&m);
	return 0;
}
