#include "smp/grp_os.h"

int smp_os_echo_req(struct smp_cbor_writer *w, const char *text)
{
	smp_cbor_map(w, 1);
	smp_put_text(w, "d", text);
	return smp_cbor_done(w);
}

int smp_os_reset_req(struct smp_cbor_writer *w, bool force, int boot_mode)
{
	smp_cbor_map(w, (size_t)force + (boot_mode >= 0));
	if (force)
		smp_put_bool(w, "force", true);
	if (boot_mode >= 0)
		smp_put_uint(w, "boot_mode", (uint64_t)boot_mode);
	return smp_cbor_done(w);
}

int smp_os_info_req(struct smp_cbor_writer *w, const char *format)
{
	smp_cbor_map(w, format ? 1 : 0);
	if (format)
		smp_put_text(w, "format", format);
	return smp_cbor_done(w);
}

static int text_field(const struct smp_cbor *rsp, const char *key, struct smp_cbor *out,
		      const char **why, const char *missing)
{
	if (smp_map_find(rsp, key, out) != SMP_GET_OK || smp_cbor_type(out) != SMP_CBOR_TEXT) {
		*why = missing;
		return -1;
	}
	return 0;
}

int smp_os_echo_rsp(const struct smp_cbor *rsp, struct smp_cbor *text, const char **why)
{
	return text_field(rsp, "r", text, why, "answer has no text field \"r\"");
}

int smp_os_info_rsp(const struct smp_cbor *rsp, struct smp_cbor *output, const char **why)
{
	return text_field(rsp, "output", output, why, "answer has no text field \"output\"");
}

int smp_os_params_rsp(const struct smp_cbor *rsp, struct smp_os_params *p, const char **why)
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
