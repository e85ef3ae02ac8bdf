/* Every response decoder of smp/grp_*.c and the status parser, over one
 * device answer's CBOR payload: the input is what follows the SMP header. */
#include <stdlib.h>

#include "smp/cbor_util.h"
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
	static struct img_slot_info info;
	struct img_state st;
	const char *why;

	if (img_state_rsp(m, &st, &why) == 0) {
		if (st.count)
			img_state_find(&st, st.slots[0].hash, st.slots[0].hash_len);
		img_state_free(&st);
	}
	img_slot_info_rsp(m, &info, &why);
}

static void os(const cbor_item_t *m)
{
	struct os_params p;
	struct os_tasks t;
	struct os_mpools mp;
	struct os_bootloader b;
	char *text = NULL, state[96];
	const char *why;

	if (os_echo_rsp(m, &text, &why) == 0)
		free(text);
	text = NULL;
	if (os_info_rsp(m, &text, &why) == 0)
		free(text);
	text = NULL;
	if (os_datetime_rsp(m, &text, &why) == 0)
		free(text);
	os_params_rsp(m, &p, &why);
	if (os_taskstat_rsp(m, &t, &why) == 0) {
		for (size_t i = 0; i < t.count; i++)
			os_thread_state_text(t.tasks[i].state, state, sizeof(state));
		os_tasks_free(&t);
	}
	if (os_mpstat_rsp(m, &mp, &why) == 0)
		os_mpools_free(&mp);
	if (os_bootloader_rsp(m, &b, &why) == 0) {
		if (b.has_mode)
			os_boot_mode_name(b.mode);
		os_bootloader_free(&b);
	}
}

static void fs(const cbor_item_t *m)
{
	static struct fs_hash_types types;
	struct fs_chunk c;
	struct fs_hash h;
	uint64_t n;
	const char *why;

	if (fs_download_rsp(m, &c, &why) == 0)
		free(c.data);
	fs_upload_rsp(m, &n, &why);
	fs_stat_rsp(m, &n, &why);
	fs_hash_rsp(m, &h, &why);
	fs_hashes_rsp(m, &types, &why);
}

static void others(const cbor_item_t *m)
{
	static struct enum_list list;
	static struct enum_details details;
	struct settings_value v;
	struct shell_result r;
	struct stat_group g;
	struct stat_list l;
	struct smp_status st;
	uint64_t count;
	uint16_t group;
	bool last;
	const char *why;

	basic_erase_rsp(m, &why);
	enum_count_rsp(m, &count, &why);
	enum_list_rsp(m, &list, &why);
	enum_single_rsp(m, &group, &last, &why);
	enum_details_rsp(m, &details, &why);
	if (settings_read_rsp(m, &v, &why) == 0)
		settings_value_free(&v);
	if (shell_exec_rsp(m, &r, &why) == 0)
		shell_result_free(&r);
	if (stat_show_rsp(m, &g, &why) == 0)
		stat_group_free(&g);
	if (stat_list_rsp(m, &l, &why) == 0)
		stat_list_free(&l);
	smp_status_parse(m, &st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why;
	cbor_item_t *m = smp_cbor_decode_map(data, size, &why);

	if (!m)
		return 0;
	img(m);
	os(m);
	fs(m);
	others(m);
	cbor_decref(&m);
	return 0;
}
