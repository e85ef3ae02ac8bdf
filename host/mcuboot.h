/* MCUboot image files, offline: header, protected and unprotected TLV
 * areas, image hash, signature and key checks, slot trailers, as MCUboot's
 * bootutil (boot/bootutil/include/bootutil/image.h, src/image_validate.c)
 * and imgtool define them.
 *
 * Layout: 32-byte little-endian header (padded to hdr_size), img_size bytes
 * of body, then the protected TLV area (magic 0x6908, protect_tlv_size
 * bytes, only if that is non-zero), then the TLV area (magic 0x6907). The
 * image hash covers header + body + protected TLV area. A file padded to a
 * slot by imgtool --pad/--confirm/--test ends in a boot trailer.
 *
 * Use: mcuboot_load_file() (binary or Intel HEX), mcuboot_parse() (layout
 * and hashes; fails only on a structurally broken image), then
 * mcuboot_verify() (hash, key and signature verdict). */
#ifndef HOST_MCUBOOT_H
#define HOST_MCUBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smp/mcuboot_format.h"

/* Every way an image (or the files around it) can fail, each with its own
 * name, verdict class and one-line description (mcuboot_err_*()). */
enum mcuboot_err_kind {
	MCUBOOT_OK = 0,
	MCUBOOT_ERR_EMPTY,	      /* zero-length file */
	MCUBOOT_ERR_TRUNCATED_HEADER, /* shorter than 32 bytes */
	MCUBOOT_ERR_BAD_MAGIC,
	MCUBOOT_ERR_HDR_SIZE,	    /* hdr_size < 32 */
	MCUBOOT_ERR_SIZE_OVERFLOW,  /* hdr_size + img_size + protect_tlv_size > 4 GiB */
	MCUBOOT_ERR_TRUNCATED_BODY, /* file ends inside header padding or body */
	MCUBOOT_ERR_NO_TLV_AREA,    /* file ends where the TLV area starts */
	MCUBOOT_ERR_BAD_PROT_TLV_MAGIC,
	MCUBOOT_ERR_PROT_SIZE_MISMATCH, /* protected area size != protect_tlv_size */
	MCUBOOT_ERR_BAD_TLV_MAGIC,
	MCUBOOT_ERR_TRUNCATED_TLV_AREA, /* file ends inside a TLV area */
	MCUBOOT_ERR_TLV_PAST_END,	/* a TLV runs past the end of its area */
	MCUBOOT_ERR_NO_HASH,
	MCUBOOT_ERR_HASH_LEN,		 /* hash TLV of the wrong size */
	MCUBOOT_ERR_HASH_MISMATCH,	 /* a hash TLV (any of them) does not match */
	MCUBOOT_ERR_TLV_NOT_ALLOWED,	 /* unprotected TLV off MCUboot's allow list */
	MCUBOOT_ERR_ENC_FLAGS,		 /* both ENCRYPTED_AES128 and _AES256 */
	MCUBOOT_ERR_ENC_NO_KEY_TLV,	 /* flagged encrypted, no ENC_* TLV */
	MCUBOOT_ERR_ENC_TLV_LEN,	 /* ENC_* TLV size wrong for the flag's AES key */
	MCUBOOT_ERR_KEY_TLV_LEN,	 /* KEYHASH longer than the image hash */
	MCUBOOT_ERR_DECOMP_TLVS,	 /* compressed, DECOMP_* TLVs missing or wrong */
	MCUBOOT_ERR_NO_SIGNATURE,	 /* a key was given, the image is unsigned */
	MCUBOOT_ERR_KEY_MISMATCH,	 /* the image was signed with another key */
	MCUBOOT_ERR_SIG_WITHOUT_KEY_TLV, /* no KEYHASH/PUBKEY before the signature */
	MCUBOOT_ERR_BAD_SIGNATURE,
	MCUBOOT_ERR_UNSUPPORTED_SIG, /* e.g. ECDSA224, or pure non-Ed25519 */
	MCUBOOT_ERR_BAD_KEY,	     /* the key file is not a usable PEM key */
	MCUBOOT_ERR_IO,		     /* cannot open or read a file */
	MCUBOOT_ERR_NOMEM,
	MCUBOOT_ERR_BAD_HEX,		 /* malformed Intel HEX (line in the message) */
	MCUBOOT_ERR_CRYPTO,		 /* OpenSSL failed for no reason of the image */
	MCUBOOT_ERR_BAD_BUNDLE,		 /* nRF Connect SDK zip: bad zip or manifest.json */
	MCUBOOT_ERR_NON_BOOTABLE,	 /* header flag NON_BOOTABLE */
	MCUBOOT_ERR_NEEDS_BUILD,	 /* needs a feature the device's MCUboot lacks */
	MCUBOOT_ERR_PLAINTEXT_ENCRYPTED, /* flagged encrypted, stored as plaintext */
	MCUBOOT_ERR_SIG_PADDING,	 /* ECDSA signature with bytes after its DER */
	MCUBOOT_ERR_SIG_UNCHECKED,	 /* a signature was required, none was checked */
	MCUBOOT_ERR_COUNT
};

struct mcuboot_err {
	enum mcuboot_err_kind kind;
	char msg[320]; /* one line with the specifics, no trailing newline */
};

/* "bad-magic", "hash-mismatch", ... (stable, for JSON). */
const char *mcuboot_err_name(enum mcuboot_err_kind kind);
/* Verdict class, as in the test MANIFEST: "valid", "bad-magic",
 * "truncated", "bad-hash", "bad-signature", "key-mismatch", "unsigned",
 * "malformed", "tlv-not-allowed", "bad-encryption", "unsupported",
 * "bad-key", "unreadable". */
const char *mcuboot_err_verdict(enum mcuboot_err_kind kind);
/* Generic one-line description ("not an MCUboot image (bad header magic)"). */
const char *mcuboot_err_desc(enum mcuboot_err_kind kind);
/* Sets *err (kind and a printf-formatted message) and returns -1: for
 * every host reader whose failures are told as MCUboot errors (bundles). */
int mcuboot_fail(struct mcuboot_err *err, enum mcuboot_err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Reads a whole file into a malloc'd buffer (errors: IO, NOMEM; messages
 * without the path). */
int mcuboot_read_file(const char *path, uint8_t **data, size_t *len, struct mcuboot_err *err);

struct mcuboot_version {
	uint8_t major;
	uint8_t minor;
	uint16_t revision;
	uint32_t build;
};

struct mcuboot_tlv {
	uint16_t type;
	uint16_t len;
	uint32_t off; /* of the value, from the start of the image */
	bool protected_area;
};

/* Boot trailer at the end of a file imgtool padded to a slot. Flag bytes
 * read 0xff when unset; image_ok 0x01 means confirmed (--confirm). */
struct mcuboot_trailer {
	bool present;
	uint32_t max_align; /* 8 for the classic magic, else from the magic */
	size_t magic_off;   /* the 16 magic bytes end the file */
	uint8_t image_ok;
	uint8_t copy_done;
	uint8_t swap_info;
};

struct mcuboot_image {
	/* Header, as read (valid as soon as the file has 32 bytes). */
	uint32_t magic;
	uint32_t load_addr;
	uint16_t hdr_size;
	uint16_t protect_tlv_size;
	uint32_t img_size;
	uint32_t flags;
	struct mcuboot_version version;
	bool have_header; /* 32 bytes read and magic right */

	/* Layout (offsets from the start of the image). */
	uint32_t body_end;  /* hdr_size + img_size: protected area start */
	uint32_t tlv_off;   /* unprotected TLV info header */
	uint16_t tlv_size;  /* it_tlv_tot, info header included */
	uint32_t image_end; /* end of the TLV area: the image proper */
	size_t ntlv;	    /* both areas; walk them with mcuboot_tlv_next() */

	/* Hash: stored (from the first hash TLV) and computed over header +
	 * body + protected TLVs with the same algorithm. hash_matches covers
	 * every hash TLV, each with its own algorithm. */
	uint16_t hash_type; /* SMP_MCUBOOT_TLV_SHA256/384/512 */
	size_t hash_len;
	uint8_t hash_stored[SMP_MCUBOOT_HASH_MAX];
	uint8_t hash_computed[SMP_MCUBOOT_HASH_MAX];
	size_t nhash; /* hash TLVs */
	bool hash_matches;
	uint32_t hash_bad_off; /* first hash TLV that does not match (value offset) */
	uint16_t hash_bad_type;

	uint16_t sig_type;     /* first signature TLV's type, 0 if unsigned */
	uint16_t key_tlv_type; /* first KEYHASH or PUBKEY TLV's type, 0 if none */
	bool pure;	       /* SIG_PURE: signature over the image, not its hash */
	bool encrypted;	       /* flags ENCRYPTED_AES128/256: hash covers plaintext */
	bool compressed;       /* LZMA flags: hashed as stored */

	struct mcuboot_trailer trailer;
	size_t trailing_bytes;	 /* after the TLV area and not a trailer */
	size_t size;		 /* bytes given to mcuboot_parse */
	uint8_t data_sha256[32]; /* of those bytes: an upload's "sha" */
};

/* Parses an image in memory and computes its hashes. Returns 0, or -1 with
 * *err set when the image is structurally broken (img keeps what was read
 * before, e.g. the header). A wrong hash is not a parse error:
 * mcuboot_verify() reports it. */
int mcuboot_parse(const uint8_t *buf, size_t len, struct mcuboot_image *img,
		  struct mcuboot_err *err);

/* Walks the TLVs of a parsed image (buf is the parsed buffer), protected
 * ones first, as bootutil_tlv_iter_next() does:
 *   struct mcuboot_tlv_iter it = { 0 }; struct mcuboot_tlv t;
 *   while (mcuboot_tlv_next(img, buf, &it, &t)) ...
 * There is no limit on their number: MCUboot has none. */
struct mcuboot_tlv_iter {
	uint32_t next; /* 0: not started */
};
bool mcuboot_tlv_next(const struct mcuboot_image *img, const uint8_t *buf,
		      struct mcuboot_tlv_iter *it, struct mcuboot_tlv *out);

/* TLV helpers. */
/* The first TLV of that type into *out (if out is not NULL); false if none. */
bool mcuboot_tlv_find(const struct mcuboot_image *img, const uint8_t *buf, uint16_t type,
		      struct mcuboot_tlv *out);
const char *mcuboot_tlv_name(uint16_t type); /* "SHA256"; NULL if unknown */
/* "SHA256" or "0x00a0" for unknown types, into buf. */
const char *mcuboot_tlv_label(uint16_t type, char *buf, size_t cap);
/* A short reading of a known TLV's value ("counter 0x03000201",
 * "image 1 >= 1.0.0+0", "262144 bytes"); "" when hex says it best. */
void mcuboot_tlv_describe(const uint8_t *buf, const struct mcuboot_tlv *t, char *out, size_t cap);

/* Fills names[] with up to max names ("RAM_LOAD", ...) of the set flag
 * bits, in bit order; returns how many, and sets *unknown to the set bits
 * that have no name. */
size_t mcuboot_flag_names(uint32_t flags, const char **names, size_t max, uint32_t *unknown);
/* "1.2.3+4". */
void mcuboot_version_format(const struct mcuboot_version *v, char *buf, size_t cap);
/* "ED25519", "ECDSA_SIG", ... for the signature TLV; NULL if unsigned. */
const char *mcuboot_sig_name(const struct mcuboot_image *img);
/* "AES-128", "AES-256", or NULL. */
const char *mcuboot_encryption_name(const struct mcuboot_image *img);

/* Public keys, from PEM (a private key PEM works too: its public half is
 * used; an encrypted one is refused, never prompted for). Error messages
 * do not repeat the path: callers prefix it. Errors: IO, BAD_KEY, NOMEM. */
struct mcuboot_key;
int mcuboot_key_load_file(const char *path, struct mcuboot_key **key, struct mcuboot_err *err);
int mcuboot_key_load_pem(const char *pem, size_t len, struct mcuboot_key **key,
			 struct mcuboot_err *err);
void mcuboot_key_free(struct mcuboot_key *key);
/* "RSA-2048", "RSA-3072", "ECDSA P-256", "ECDSA P-384", "Ed25519". */
const char *mcuboot_key_desc(const struct mcuboot_key *key);

/* Ordered from best to worst. An image is called valid only when
 * everything MCUboot would check was checked: a signed image without a
 * key given is HASH_OK ("hash ok, signature not checked"). */
enum mcuboot_status {
	MCUBOOT_VALID,		     /* hash and signature ok; or unsigned, hash ok */
	MCUBOOT_VALID_ENCRYPTED,     /* structure and signature fine, hash unknowable */
	MCUBOOT_HASH_OK,	     /* signed, hash ok, signature not checked */
	MCUBOOT_ENCRYPTED_UNCHECKED, /* encrypted, no key: signature not checked */
	MCUBOOT_INVALID,
};

enum mcuboot_check {
	MCUBOOT_CHECK_OK,
	MCUBOOT_CHECK_FAILED,
	MCUBOOT_CHECK_SKIPPED,	   /* no key given */
	MCUBOOT_CHECK_ABSENT,	   /* nothing in the image to check */
	MCUBOOT_CHECK_UNCHECKABLE, /* encrypted: covers the plaintext */
};

struct mcuboot_verdict {
	enum mcuboot_status status;
	enum mcuboot_check hash;
	enum mcuboot_check key; /* KEYHASH/PUBKEY against the given key */
	enum mcuboot_check signature;
	struct mcuboot_err err; /* why INVALID; kind MCUBOOT_OK otherwise */
};

/* What the device's MCUboot is built with, where that changes the
 * verdict. All-zero is MCUboot's Zephyr default build (boot/zephyr/Kconfig):
 * each field names the Kconfig option that changes it. */
enum mcuboot_build_enc {
	MCUBOOT_BUILD_ENC_NONE,	  /* CONFIG_BOOT_ENCRYPT_IMAGE=n (default) */
	MCUBOOT_BUILD_ENC_AES128, /* CONFIG_BOOT_ENCRYPT_IMAGE=y */
	MCUBOOT_BUILD_ENC_AES256, /* ... and CONFIG_BOOT_ENCRYPT_ALG_AES_256=y */
};

struct mcuboot_verify_opts {
	/* CONFIG_MCUBOOT_USE_TLV_ALLOW_LIST=n: any TLV type may stand in the
	 * unprotected area. */
	bool no_tlv_allow_list;
	/* Hash TLV type (CONFIG_BOOT_IMG_HASH_ALG_SHA256/384/512); 0: the
	 * Kconfig default, SHA256, or SHA384 for an ECDSA P-384 signature. */
	uint16_t hash;
	/* Signature TLV type (CONFIG_BOOT_SIGNATURE_TYPE_*); 0: the type of
	 * the key given (the build that holds it). */
	uint16_t sig;
	bool pure; /* CONFIG_BOOT_SIGNATURE_TYPE_PURE */
	enum mcuboot_build_enc enc;
	/* ENC_* TLV type the build unwraps (CONFIG_BOOT_ENCRYPT_RSA/_EC256/
	 * _X25519/_KW, MCUBOOT_HMAC_SHA512 for ENC_X25519_SHA512); 0: any. */
	uint16_t enc_tlv;
	bool decompression; /* CONFIG_BOOT_DECOMPRESSION (sdk-mcuboot) */
	bool hw_key;	    /* CONFIG_BOOT_HW_KEY: PUBKEY TLV, not KEYHASH */
	/* CONFIG_BOOT_ECDSA_TINYCRYPT: bytes after the DER ECDSA signature
	 * are ignored (imgtool --pad-sig); the default backend refuses them. */
	bool ecdsa_padding;
	/* Every feature on: what some build accepts (mcuboot_verify()). */
	bool any_build;
};

/* Parses a --mcuboot list "key=value,..." (hash=, sig=, pure, enc=,
 * enc-key=, decompression, hw-key, tlv-allow-list=, ecdsa=, default, any)
 * onto *o. Returns 0, or -1 with the bad part in why. */
int mcuboot_build_parse(const char *list, struct mcuboot_verify_opts *o, char *why, size_t cap);

/* Checks a parsed image as bootutil_img_validate() and its callers do:
 * encryption flags against the ENC_* TLV, the unprotected TLV allow list,
 * every hash TLV, then with a key the key TLV and the signature (over the
 * stored hash, or over the image for SIG_PURE). key may be NULL: then the
 * signature is not checked and the best status is HASH_OK. Returns 0 when
 * the status is not INVALID, -1 with v->err otherwise. opts may be NULL
 * (the defaults); mcuboot_verify() is mcuboot_verify_with(..., NULL, v). */
int mcuboot_verify_with(const struct mcuboot_image *img, const uint8_t *buf, size_t len,
			const struct mcuboot_key *key, const struct mcuboot_verify_opts *opts,
			struct mcuboot_verdict *v);
int mcuboot_verify(const struct mcuboot_image *img, const uint8_t *buf, size_t len,
		   const struct mcuboot_key *key, struct mcuboot_verdict *v);

/* One signature TLV's value over a hash with key, for the core's crypto
 * interface (host/crypto_openssl.h): 0 good, 1 bad, -1 when the key does
 * not fit the type or the type is unsupported. */
int mcuboot_verify_hash_sig(const struct mcuboot_key *key, uint16_t sig_type, const uint8_t *hash,
			    size_t hash_len, const uint8_t *sig, size_t sig_len);

/* "valid", "valid-encrypted", "hash-ok", "encrypted-unchecked", or the
 * error's verdict class. */
const char *mcuboot_verdict_name(const struct mcuboot_verdict *v);
/* One line for people: "valid", "hash ok, signature not checked (no
 * --key)", ...; for INVALID, the error's generic description. */
const char *mcuboot_verdict_words(const struct mcuboot_verdict *v);
/* "ok", "failed", "skipped", "absent", "not-checkable". */
const char *mcuboot_check_name(enum mcuboot_check c);

/* A file from disk: raw binary, or Intel HEX turned into binary. */
struct mcuboot_file {
	uint8_t *data; /* the binary image, malloc'd */
	size_t len;
	bool from_hex;
	uint32_t hex_base;	 /* lowest address of the HEX data */
	size_t file_size;	 /* bytes on disk */
	uint8_t file_sha256[32]; /* of the bytes on disk */
};

/* Reads path; Intel HEX is recognised by content. Errors: IO, NOMEM,
 * BAD_HEX (message names the line; file_size, file_sha256 and from_hex
 * are still set, data is NULL); messages do not repeat the path. f needs
 * mcuboot_file_free() whatever the result. */
int mcuboot_load_file(const char *path, struct mcuboot_file *f, struct mcuboot_err *err);
void mcuboot_file_free(struct mcuboot_file *f);

/* SHA-256 helper for callers that hash other buffers (0 on success). */
int mcuboot_sha256(const uint8_t *buf, size_t len, uint8_t out[32]);

#endif
