/* Every response decoder of smp/grp_*.c and the status parser, over one
 * device answer's CBOR payload: the input is what follows the SMP header. */
#include <stdlib.h>

#include "host/cbor_tree.h"
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

static void img(const cbor_item_t *m)
{
	static struct smp_img_slot_info info;
	struct smp_img_state st;
	const char *why;

	if (smp_img_state_rsp(m, &st, &why) == 0) {
		if (st.count)
			smp_img_state_find(&st, st.slots[0].hash, st.slots[0].hash_len);
		smp_img_state_free(&st);
	}
	smp_img_slot_info_rsp(m, &info, &why);
}

static void os(const cbor_item_t *m)
{
	struct smp_os_params p;
	struct smp_os_tasks t;
	struct smp_os_mpools mp;
	struct smp_os_bootloader b;
	char *text = NULL, state[96];
	const char *why;

	if (smp_os_echo_rsp(m, &text, &why) == 0)
		free(text);
	text = NULL;
	if (smp_os_info_rsp(m, &text, &why) == 0)
		free(text);
	text = NULL;
	if (smp_os_datetime_rsp(m, &text, &why) == 0)
		free(text);
	smp_os_params_rsp(m, &p, &why);
	if (smp_os_taskstat_rsp(m, &t, &why) == 0) {
		for (size_t i = 0; i < t.count; i++)
			smp_os_thread_state_text(t.tasks[i].state, state, sizeof(state));
		smp_os_tasks_free(&t);
	}
	if (smp_os_mpstat_rsp(m, &mp, &why) == 0)
		smp_os_mpools_free(&mp);
	if (smp_os_bootloader_rsp(m, &b, &why) == 0) {
		if (b.has_mode)
			smp_os_boot_mode_name(b.mode);
		smp_os_bootloader_free(&b);
	}
}

static void fs(const cbor_item_t *m)
{
	static struct smp_fs_hash_types types;
	struct smp_fs_chunk c;
	struct smp_fs_hash h;
	uint64_t n;
	const char *why;

	if (smp_fs_download_rsp(m, &c, &why) == 0)
		free(c.data);
	smp_fs_upload_rsp(m, &n, &why);
	smp_fs_stat_rsp(m, &n, &why);
	smp_fs_hash_rsp(m, &h, &why);
	smp_fs_hashes_rsp(m, &types, &why);
}

static void others(const cbor_item_t *m)
{
	static struct smp_enum_list list;
	static struct smp_enum_details details;
	struct smp_settings_value v;
	struct smp_shell_result r;
	struct smp_stat_group g;
	struct smp_stat_list l;
	struct smp_status st;
	uint64_t count;
	uint16_t group;
	bool last;
	const char *why;

	smp_basic_erase_rsp(m, &why);
	smp_enum_count_rsp(m, &count, &why);
	smp_enum_list_rsp(m, &list, &why);
	smp_enum_single_rsp(m, &group, &last, &why);
	smp_enum_details_rsp(m, &details, &why);
	if (smp_settings_read_rsp(m, &v, &why) == 0)
		smp_settings_value_free(&v);
	if (smp_shell_exec_rsp(m, &r, &why) == 0)
		smp_shell_result_free(&r);
	if (smp_stat_show_rsp(m, &g, &why) == 0)
		smp_stat_group_free(&g);
	if (smp_stat_list_rsp(m, &l, &why) == 0)
		smp_stat_list_free(&l);
	smp_status_parse(m, &st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why;
	cbor_item_t *m = tree_decode_map(data, size, &why);

	if (!m)
		return 0;
	img(m);
	os(m);
	fs(m);
	others(m);
	cbor_decref(&m);
	return 0;
}
