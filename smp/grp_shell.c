#include "smp/grp_shell.h"

#include <string.h>

int smp_shell_exec_req(struct smp_cbor_writer *w, int argc, char *const argv[])
{
	if (argc < 0)
		return -1;
	smp_cbor_map(w, 1);
	smp_cbor_text(w, "argv");
	smp_cbor_array(w, (size_t)argc);
	for (int i = 0; i < argc; i++)
		smp_cbor_text(w, argv[i]);
	return smp_cbor_done(w);
}

int smp_shell_exec_rsp(const struct smp_cbor *rsp, struct smp_shell_result *r, const char **why)
{
	struct smp_cbor ret;

	memset(r, 0, sizeof(*r));
	if (smp_map_find(rsp, "o", &r->text) != SMP_GET_OK ||
	    smp_item_text_len(&r->text, &r->text_len) != SMP_GET_OK) {
		memset(r, 0, sizeof(*r));
		*why = "answer has no text \"o\"";
		return -1;
	}
	if (smp_get_int(rsp, "ret", &r->ret) == SMP_GET_OK)
		return 0;
	if (smp_map_find(rsp, "ret", &ret) == SMP_GET_ABSENT &&
	    smp_get_int(rsp, "rc", &r->ret) == SMP_GET_OK) {
		r->legacy_rc = true;
		return 0;
	}
	*why = "answer has no integer \"ret\"";
	return -1;
}
