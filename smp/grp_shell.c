#include "smp/grp_shell.h"

#include <stdlib.h>
#include <string.h>

#include "smp/cbor_util.h"

cbor_item_t *smp_shell_exec_req(int argc, char *const argv[])
{
	cbor_item_t *m = cbor_new_definite_map(1), *arr = cbor_new_definite_array((size_t)argc);

	if (!m || !arr)
		goto fail;
	for (int i = 0; i < argc; i++) {
		cbor_item_t *s = cbor_build_string(argv[i]);
		bool ok = s && cbor_array_push(arr, s);

		if (s)
			cbor_decref(&s);
		if (!ok)
			goto fail;
	}
	if (smp_put_item(m, "argv", arr) == 0)
		return m;
	arr = NULL;
fail:
	if (arr)
		cbor_decref(&arr);
	if (m)
		cbor_decref(&m);
	return NULL;
}

int smp_shell_exec_rsp(const cbor_item_t *rsp, struct smp_shell_result *r, const char **why)
{
	memset(r, 0, sizeof(*r));
	if (smp_get_text(rsp, "o", &r->output) != SMP_GET_OK) {
		*why = "answer has no text \"o\"";
		return -1;
	}
	if (smp_get_int(rsp, "ret", &r->ret) == SMP_GET_OK)
		return 0;
	if (smp_map_get(rsp, "ret") == NULL && smp_get_int(rsp, "rc", &r->ret) == SMP_GET_OK) {
		r->legacy_rc = true;
		return 0;
	}
	smp_shell_result_free(r);
	*why = "answer has no integer \"ret\"";
	return -1;
}

void smp_shell_result_free(struct smp_shell_result *r)
{
	free(r->output);
	r->output = NULL;
}
