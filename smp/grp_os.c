#include "smp/grp_os.h"

#include "smp/cbor_util.h"

cbor_item_t *smp_os_echo_req(const char *text)
{
	cbor_item_t *m = cbor_new_definite_map(1);

	if (m && smp_put_text(m, "d", text) != 0)
		cbor_decref(&m);
	return m;
}

cbor_item_t *smp_os_reset_req(bool force, int boot_mode)
{
	cbor_item_t *m = cbor_new_definite_map((size_t)force + (boot_mode >= 0));

	if (!m)
		return NULL;
	if ((force && smp_put_bool(m, "force", true) != 0) ||
	    (boot_mode >= 0 && smp_put_uint(m, "boot_mode", (uint64_t)boot_mode) != 0))
		cbor_decref(&m);
	return m;
}

cbor_item_t *smp_os_info_req(const char *format)
{
	cbor_item_t *m = cbor_new_definite_map(format ? 1 : 0);

	if (m && format && smp_put_text(m, "format", format) != 0)
		cbor_decref(&m);
	return m;
}

static int text_field(const cbor_item_t *rsp, const char *key, char **out, const char **why,
		      const char *missing)
{
	if (smp_get_text(rsp, key, out) != SMP_GET_OK) {
		*why = missing;
		return -1;
	}
	return 0;
}

int smp_os_echo_rsp(const cbor_item_t *rsp, char **text, const char **why)
{
	return text_field(rsp, "r", text, why, "answer has no text field \"r\"");
}

int smp_os_info_rsp(const cbor_item_t *rsp, char **output, const char **why)
{
	return text_field(rsp, "output", output, why, "answer has no text field \"output\"");
}

int smp_os_params_rsp(const cbor_item_t *rsp, struct smp_os_params *p, const char **why)
{
	if (smp_get_uint(rsp, "buf_size", &p->buf_size) != SMP_GET_OK) {
		*why = "answer has no unsigned \"buf_size\"";
		return -1;
	}
	if (smp_get_uint(rsp, "buf_count", &p->buf_count) != SMP_GET_OK) {
		*why = "answer has no unsigned \"buf_count\"";
		return -1;
	}
	return 0;
}
