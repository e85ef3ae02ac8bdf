/* What a device that updates another needs to know about an MCUboot
 * image before sending it, read through a source (smp/image_src.h) so the
 * image may sit in external flash: the header, both TLV areas, the image
 * hash (the one "image list" reports and "image test" takes), checked
 * against a digest computed in pieces, the signature when the crypto
 * context holds a key, and the SHA-256 of the whole file (the upload's
 * "sha"). The host's full offline analysis (every TLV rule MCUboot
 * applies, keys from PEM files, trailers) is host/mcuboot.h. */
#ifndef SMP_IMAGE_CHECK_H
#define SMP_IMAGE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/crypto.h"
#include "smp/image_src.h"
#include "smp/mcuboot_format.h"

enum smp_image_err {
	SMP_IMG_OK = 0,
	SMP_IMG_READ,	    /* the source failed */
	SMP_IMG_CRYPTO,	    /* the crypto context failed */
	SMP_IMG_BAD_HEADER, /* magic, hdr_size, sizes past the end */
	SMP_IMG_BAD_TLV,    /* a TLV area's magic, size, or a TLV past its end */
	SMP_IMG_NO_HASH,
	SMP_IMG_HASH_MISMATCH,
	SMP_IMG_BAD_SIGNATURE,
};

enum smp_sig_check {
	SMP_SIG_ABSENT,	     /* the image is unsigned */
	SMP_SIG_NOT_CHECKED, /* no verify_hash_sig, or the image is encrypted */
	SMP_SIG_GOOD,
	SMP_SIG_UNCHECKABLE, /* the key or the platform cannot check this type */
};

struct smp_image_info {
	struct smp_mcuboot_header hdr; /* as stored */
	uint32_t image_end;	       /* end of the TLV area */
	bool encrypted;		       /* the hash covers the plaintext: not checkable */

	uint16_t hash_type; /* SMP_MCUBOOT_TLV_SHA256/384/512 */
	size_t hash_len;
	uint8_t hash[SMP_HASH_MAX]; /* as stored in the image */
	uint16_t sig_type;	    /* first signature TLV's type; 0: none */
	enum smp_sig_check sig;
	uint8_t file_sha256[32]; /* of all src->size bytes */

	enum smp_image_err err;
	char why[120]; /* one line, for err != SMP_IMG_OK */
};

/* 0 when the image is fit to send (hash right; signature good, absent or
 * not checked), else -1 with info->err and info->why. */
int smp_image_check(const struct smp_image_src *src, const struct smp_crypto *c,
		    struct smp_image_info *info);

#endif
