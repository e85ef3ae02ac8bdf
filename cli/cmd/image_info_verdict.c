/* The verdict of image info: which image of a file or bundle fails, and
 * the one word (or the phrase for people) that sums up them all. Shared
 * by the text and --json renderings, below the command that runs them. */
#include <stddef.h>

#include "cli/cmd/image_info.h"
#include "cli/image_file.h"

#define UNDECIDABLE "undecidable-without-device-key"

/* The library's name for a verdict, or "undecidable-without-device-key"
 * for an encrypted image it could check no further. */
static const char *verdict_name(const struct mcuboot_verdict *v)
{
	return cli_verdict_undecidable(v) ? UNDECIDABLE : mcuboot_verdict_name(v);
}

const struct mcuboot_err *image_view_failure(const struct image_view *w)
{
	if (!w->parsed)
		return &w->err;
	return w->v.err.kind != MCUBOOT_OK ? &w->v.err : NULL;
}

const char *image_view_verdict(const struct image_view *w)
{
	return w->parsed ? verdict_name(&w->v) : mcuboot_err_verdict(w->err.kind);
}

const struct image_view *image_info_failing(const struct image_info *in)
{
	size_t i;

	for (i = 0; i < in->nviews; i++)
		if (image_view_failure(&in->views[i]))
			return &in->views[i];
	return NULL;
}

/* The worst image's status (the enum runs from best to worst). */
static const struct image_view *worst_view(const struct image_info *in)
{
	const struct image_view *worst = NULL;
	size_t i;

	for (i = 0; i < in->nviews; i++)
		if (!worst || in->views[i].v.status > worst->v.status)
			worst = &in->views[i];
	return worst;
}

const char *image_info_verdict(const struct image_info *in)
{
	const struct image_view *bad = image_info_failing(in);
	const struct image_view *worst = worst_view(in);

	if (in->load_failed)
		return mcuboot_err_verdict(in->load_err.kind);
	if (bad)
		return image_view_verdict(bad);
	return worst ? verdict_name(&worst->v) : "valid";
}

const char *image_info_verdict_words(const struct image_info *in)
{
	const struct image_view *worst = worst_view(in);

	if (in->load_failed || image_info_failing(in) || !worst)
		return image_info_verdict(in);
	if (worst->v.status == MCUBOOT_VALID_ENCRYPTED)
		return "undecidable without the device's private key (encrypted; signature ok, "
		       "the hash covers the plaintext)";
	if (worst->v.status == MCUBOOT_ENCRYPTED_UNCHECKED)
		return "undecidable without the device's private key (encrypted; signature not "
		       "checked, no --key)";
	return mcuboot_verdict_words(&worst->v);
}
