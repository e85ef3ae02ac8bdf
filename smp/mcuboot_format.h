/* MCUboot's image format as numbers: magics, header size, flags and TLV
 * types (boot/bootutil/include/bootutil/image.h). Shared by the core's
 * streaming image check (smp/image_check.h) and the host's full image
 * analysis (host/mcuboot.h). */
#ifndef SMP_MCUBOOT_FORMAT_H
#define SMP_MCUBOOT_FORMAT_H

#include <stdint.h>

#define SMP_MCUBOOT_IMAGE_MAGIC 0x96f3b83du
#define SMP_MCUBOOT_IMAGE_MAGIC_V1 0x96f3b83cu
#define SMP_MCUBOOT_TLV_INFO_MAGIC 0x6907u
#define SMP_MCUBOOT_TLV_PROT_INFO_MAGIC 0x6908u
#define SMP_MCUBOOT_HEADER_SIZE 32u
#define SMP_MCUBOOT_HASH_MAX 64	     /* SHA-512 */
#define SMP_MCUBOOT_TLV_LABEL_MAX 24 /* mcuboot_tlv_label() buffer: longest name + NUL */

/* Header flags (IMAGE_F_*). */
enum smp_mcuboot_flag {
	SMP_MCUBOOT_F_PIC = 0x00000001,
	SMP_MCUBOOT_F_ENCRYPTED_AES128 = 0x00000004,
	SMP_MCUBOOT_F_ENCRYPTED_AES256 = 0x00000008,
	SMP_MCUBOOT_F_NON_BOOTABLE = 0x00000010,
	SMP_MCUBOOT_F_RAM_LOAD = 0x00000020,
	SMP_MCUBOOT_F_ROM_FIXED = 0x00000100,
	SMP_MCUBOOT_F_COMPRESSED_LZMA1 = 0x00000200,
	SMP_MCUBOOT_F_COMPRESSED_LZMA2 = 0x00000400,
	SMP_MCUBOOT_F_COMPRESSED_ARM_THUMB = 0x00000800,
};

/* TLV types (IMAGE_TLV_*). 0xXXa0-0xXXff are vendor-reserved. */
enum smp_mcuboot_tlv_type {
	SMP_MCUBOOT_TLV_KEYHASH = 0x01,
	SMP_MCUBOOT_TLV_PUBKEY = 0x02,
	SMP_MCUBOOT_TLV_SHA256 = 0x10,
	SMP_MCUBOOT_TLV_SHA384 = 0x11,
	SMP_MCUBOOT_TLV_SHA512 = 0x12,
	SMP_MCUBOOT_TLV_RSA2048_PSS = 0x20,
	SMP_MCUBOOT_TLV_ECDSA224 = 0x21,
	SMP_MCUBOOT_TLV_ECDSA_SIG = 0x22,
	SMP_MCUBOOT_TLV_RSA3072_PSS = 0x23,
	SMP_MCUBOOT_TLV_ED25519 = 0x24,
	SMP_MCUBOOT_TLV_SIG_PURE = 0x25,
	SMP_MCUBOOT_TLV_ENC_RSA2048 = 0x30,
	SMP_MCUBOOT_TLV_ENC_KW = 0x31,
	SMP_MCUBOOT_TLV_ENC_EC256 = 0x32,
	SMP_MCUBOOT_TLV_ENC_X25519 = 0x33,
	SMP_MCUBOOT_TLV_ENC_X25519_SHA512 = 0x34,
	SMP_MCUBOOT_TLV_DEPENDENCY = 0x40,
	SMP_MCUBOOT_TLV_SEC_CNT = 0x50,
	SMP_MCUBOOT_TLV_BOOT_RECORD = 0x60,
	SMP_MCUBOOT_TLV_DECOMP_SIZE = 0x70,
	SMP_MCUBOOT_TLV_DECOMP_SHA = 0x71,
	SMP_MCUBOOT_TLV_DECOMP_SIGNATURE = 0x72,
	SMP_MCUBOOT_TLV_COMP_DEC_SIZE = 0x73,
	SMP_MCUBOOT_TLV_UUID_VID = 0x80,
	SMP_MCUBOOT_TLV_UUID_CID = 0x81,
};

/* The image header (struct image_header), as stored: little-endian. */
struct smp_mcuboot_header {
	uint32_t magic;
	uint32_t load_addr;
	uint16_t hdr_size;
	uint16_t protect_tlv_size;
	uint32_t img_size;
	uint32_t flags;
	uint8_t ver_major, ver_minor;
	uint16_t ver_revision;
	uint32_t ver_build;
};

/* Reads the SMP_MCUBOOT_HEADER_SIZE bytes at buf into h. Judges nothing:
 * the magic and the sizes are the caller's to check. */
void smp_mcuboot_header_decode(const uint8_t *buf, struct smp_mcuboot_header *h);

#endif
