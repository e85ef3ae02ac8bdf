#include "smp/status.h"

#include <stdlib.h>
#include <string.h>

#include "smp/cbor_read.h"
#include "smp/fmt.h"

struct err_table {
	uint16_t group;
	const char *const *names; /* indexed by rc, [0] is the OK name */
	size_t count;
};

static const char *const mgmt_names[] = {
	"MGMT_ERR_EOK",
	"MGMT_ERR_EUNKNOWN",
	"MGMT_ERR_ENOMEM",
	"MGMT_ERR_EINVAL",
	"MGMT_ERR_ETIMEOUT",
	"MGMT_ERR_ENOENT",
	"MGMT_ERR_EBADSTATE",
	"MGMT_ERR_EMSGSIZE",
	"MGMT_ERR_ENOTSUP",
	"MGMT_ERR_ECORRUPT",
	"MGMT_ERR_EBUSY",
	"MGMT_ERR_EACCESSDENIED",
	"MGMT_ERR_UNSUPPORTED_TOO_OLD",
	"MGMT_ERR_UNSUPPORTED_TOO_NEW",
};

#ifndef SMP_STATUS_DFU_NAMES
static const char *const mgmt_descs[] = {
	"no error",
	"unknown error",
	"device out of memory",
	"invalid argument",
	"operation timed out on the device",
	"no such entry",
	"device is in a state that does not allow this",
	"message too large for the device",
	"not supported by the device",
	"corrupt data",
	"device busy",
	"access denied",
	"protocol version too old for the device",
	"protocol version too new for the device",
};
#endif

/* Tables follow the enums in Zephyr's include/zephyr/mgmt/mcumgr/grp/. */
static const char *const os_names[] = {
	"OS_MGMT_ERR_OK",
	"OS_MGMT_ERR_UNKNOWN",
	"OS_MGMT_ERR_INVALID_FORMAT",
	"OS_MGMT_ERR_QUERY_YIELDS_NO_ANSWER",
	"OS_MGMT_ERR_RTC_NOT_SET",
	"OS_MGMT_ERR_RTC_COMMAND_FAILED",
	"OS_MGMT_ERR_QUERY_RESPONSE_VALUE_NOT_VALID",
	"OS_MGMT_ERR_HEAP_STATS_FETCH_FAILED",
};

static const char *const img_names[] = {
	"IMG_MGMT_ERR_OK",
	"IMG_MGMT_ERR_UNKNOWN",
	"IMG_MGMT_ERR_FLASH_CONFIG_QUERY_FAIL",
	"IMG_MGMT_ERR_NO_IMAGE",
	"IMG_MGMT_ERR_NO_TLVS",
	"IMG_MGMT_ERR_INVALID_TLV",
	"IMG_MGMT_ERR_TLV_MULTIPLE_HASHES_FOUND",
	"IMG_MGMT_ERR_TLV_INVALID_SIZE",
	"IMG_MGMT_ERR_HASH_NOT_FOUND",
	"IMG_MGMT_ERR_NO_FREE_SLOT",
	"IMG_MGMT_ERR_FLASH_OPEN_FAILED",
	"IMG_MGMT_ERR_FLASH_READ_FAILED",
	"IMG_MGMT_ERR_FLASH_WRITE_FAILED",
	"IMG_MGMT_ERR_FLASH_ERASE_FAILED",
	"IMG_MGMT_ERR_INVALID_SLOT",
	"IMG_MGMT_ERR_NO_FREE_MEMORY",
	"IMG_MGMT_ERR_FLASH_CONTEXT_ALREADY_SET",
	"IMG_MGMT_ERR_FLASH_CONTEXT_NOT_SET",
	"IMG_MGMT_ERR_FLASH_AREA_DEVICE_NULL",
	"IMG_MGMT_ERR_INVALID_PAGE_OFFSET",
	"IMG_MGMT_ERR_INVALID_OFFSET",
	"IMG_MGMT_ERR_INVALID_LENGTH",
	"IMG_MGMT_ERR_INVALID_IMAGE_HEADER",
	"IMG_MGMT_ERR_INVALID_IMAGE_HEADER_MAGIC",
	"IMG_MGMT_ERR_INVALID_HASH",
	"IMG_MGMT_ERR_INVALID_FLASH_ADDRESS",
	"IMG_MGMT_ERR_VERSION_GET_FAILED",
	"IMG_MGMT_ERR_CURRENT_VERSION_IS_NEWER",
	"IMG_MGMT_ERR_IMAGE_ALREADY_PENDING",
	"IMG_MGMT_ERR_INVALID_IMAGE_VECTOR_TABLE",
	"IMG_MGMT_ERR_INVALID_IMAGE_TOO_LARGE",
	"IMG_MGMT_ERR_INVALID_IMAGE_DATA_OVERRUN",
	"IMG_MGMT_ERR_IMAGE_CONFIRMATION_DENIED",
	"IMG_MGMT_ERR_IMAGE_SETTING_TEST_TO_ACTIVE_DENIED",
	"IMG_MGMT_ERR_ACTIVE_SLOT_NOT_KNOWN",
};

/* SMP_STATUS_DFU_NAMES: a DFU host, which speaks only the OS and image
 * groups, names only them, their errors and the management ones, without the
 * management ones' descriptions; another group's error prints as its
 * numbers ("group 8: error 5"). It saves some 2.5 KiB of flash. */
#ifndef SMP_STATUS_DFU_NAMES
static const char *const stat_names[] = {
	"STAT_MGMT_ERR_OK",
	"STAT_MGMT_ERR_UNKNOWN",
	"STAT_MGMT_ERR_INVALID_GROUP",
	"STAT_MGMT_ERR_INVALID_STAT_NAME",
	"STAT_MGMT_ERR_INVALID_STAT_SIZE",
	"STAT_MGMT_ERR_WALK_ABORTED",
};

static const char *const settings_names[] = {
	"SETTINGS_MGMT_ERR_OK",
	"SETTINGS_MGMT_ERR_UNKNOWN",
	"SETTINGS_MGMT_ERR_KEY_TOO_LONG",
	"SETTINGS_MGMT_ERR_KEY_NOT_FOUND",
	"SETTINGS_MGMT_ERR_READ_NOT_SUPPORTED",
	"SETTINGS_MGMT_ERR_ROOT_KEY_NOT_FOUND",
	"SETTINGS_MGMT_ERR_WRITE_NOT_SUPPORTED",
	"SETTINGS_MGMT_ERR_DELETE_NOT_SUPPORTED",
	"SETTINGS_MGMT_ERR_SAVE_NOT_SUPPORTED",
};

static const char *const fs_names[] = {
	"FS_MGMT_ERR_OK",
	"FS_MGMT_ERR_UNKNOWN",
	"FS_MGMT_ERR_FILE_INVALID_NAME",
	"FS_MGMT_ERR_FILE_NOT_FOUND",
	"FS_MGMT_ERR_FILE_IS_DIRECTORY",
	"FS_MGMT_ERR_FILE_OPEN_FAILED",
	"FS_MGMT_ERR_FILE_SEEK_FAILED",
	"FS_MGMT_ERR_FILE_READ_FAILED",
	"FS_MGMT_ERR_FILE_TRUNCATE_FAILED",
	"FS_MGMT_ERR_FILE_DELETE_FAILED",
	"FS_MGMT_ERR_FILE_WRITE_FAILED",
	"FS_MGMT_ERR_FILE_OFFSET_NOT_VALID",
	"FS_MGMT_ERR_FILE_OFFSET_LARGER_THAN_FILE",
	"FS_MGMT_ERR_CHECKSUM_HASH_NOT_FOUND",
	"FS_MGMT_ERR_MOUNT_POINT_NOT_FOUND",
	"FS_MGMT_ERR_READ_ONLY_FILESYSTEM",
	"FS_MGMT_ERR_FILE_EMPTY",
	"FS_MGMT_ERR_FILE_CLOSE_FAILED",
};

static const char *const shell_names[] = {
	"SHELL_MGMT_ERR_OK",
	"SHELL_MGMT_ERR_UNKNOWN",
	"SHELL_MGMT_ERR_COMMAND_TOO_LONG",
	"SHELL_MGMT_ERR_EMPTY_COMMAND",
};

static const char *const enum_names[] = {
	"ENUM_MGMT_ERR_OK",
	"ENUM_MGMT_ERR_UNKNOWN",
	"ENUM_MGMT_ERR_TOO_MANY_GROUP_ENTRIES",
	"ENUM_MGMT_ERR_INSUFFICIENT_HEAP_FOR_ENTRIES",
	"ENUM_MGMT_ERR_INDEX_TOO_LARGE",
};

static const char *const zbasic_names[] = {
	"ZEPHYRBASIC_MGMT_ERR_OK",
	"ZEPHYRBASIC_MGMT_ERR_UNKNOWN",
	"ZEPHYRBASIC_MGMT_ERR_FLASH_OPEN_FAILED",
	"ZEPHYRBASIC_MGMT_ERR_FLASH_CONFIG_QUERY_FAIL",
	"ZEPHYRBASIC_MGMT_ERR_FLASH_ERASE_FAILED",
};

#endif

#define TABLE(g, t)                              \
	{                                        \
		g, t, sizeof(t) / sizeof((t)[0]) \
	}
static const struct err_table group_tables[] = {
	TABLE(SMP_GROUP_OS, os_names),	   TABLE(SMP_GROUP_IMAGE, img_names),
#ifndef SMP_STATUS_DFU_NAMES
	TABLE(SMP_GROUP_STAT, stat_names), TABLE(SMP_GROUP_SETTINGS, settings_names),
	TABLE(SMP_GROUP_FS, fs_names),	   TABLE(SMP_GROUP_SHELL, shell_names),
	TABLE(SMP_GROUP_ENUM, enum_names), TABLE(SMP_GROUP_ZEPHYR_BASIC, zbasic_names),
#endif
};

static const struct {
	uint16_t group;
	const char *name;
} group_names[] = {
	{ SMP_GROUP_OS, "os" },	      { SMP_GROUP_IMAGE, "image" },
#ifndef SMP_STATUS_DFU_NAMES
	{ SMP_GROUP_STAT, "stat" },   { SMP_GROUP_SETTINGS, "settings" },
	{ SMP_GROUP_LOG, "log" },     { SMP_GROUP_CRASH, "crash" },
	{ SMP_GROUP_SPLIT, "split" }, { SMP_GROUP_RUN, "run" },
	{ SMP_GROUP_FS, "fs" },	      { SMP_GROUP_SHELL, "shell" },
	{ SMP_GROUP_ENUM, "enum" },   { SMP_GROUP_ZEPHYR_BASIC, "zephyr-basic" },
#endif
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *smp_mgmt_err_name(int64_t rc)
{
	if (rc >= 0 && (size_t)rc < COUNT(mgmt_names))
		return mgmt_names[rc];
	if (rc == SMP_MGMT_ERR_EPERUSER)
		return "MGMT_ERR_EPERUSER";
	return NULL;
}

const char *smp_mgmt_err_desc(int64_t rc)
{
#ifndef SMP_STATUS_DFU_NAMES
	if (rc >= 0 && (size_t)rc < COUNT(mgmt_descs))
		return mgmt_descs[rc];
#endif
	if (rc >= SMP_MGMT_ERR_EPERUSER)
		return "application-defined error";
	return NULL;
}

const char *smp_group_err_name(uint16_t group, int64_t rc)
{
	size_t i;

	for (i = 0; i < COUNT(group_tables); i++)
		if (group_tables[i].group == group) {
			if (rc >= 0 && (size_t)rc < group_tables[i].count)
				return group_tables[i].names[rc];
			return NULL;
		}
	return NULL;
}

const char *smp_group_name(uint16_t group)
{
	size_t i;

	for (i = 0; i < COUNT(group_names); i++)
		if (group_names[i].group == group)
			return group_names[i].name;
	return NULL;
}

static int bad_shape(struct smp_status *st, const char *what)
{
	st->kind = SMP_STATUS_RC;
	st->rc = SMP_MGMT_ERR_EUNKNOWN;
	smp_fmt(st->rsn, sizeof(st->rsn), "%s", what);
	return -1;
}

int smp_status_parse(const struct smp_cbor *map, struct smp_status *st)
{
	struct smp_cbor err;
	uint64_t group;
	int r;

	memset(st, 0, sizeof(*st));
	r = smp_get_int(map, "rc", &st->rc);
	if (r == SMP_GET_TYPE)
		return bad_shape(st, "response has a non-integer rc");
	if (r == SMP_GET_OK && st->rc != 0) {
		st->kind = SMP_STATUS_RC;
		/* A reason longer than rsn is kept cut short. */
		if (smp_get_text(map, "rsn", st->rsn, sizeof(st->rsn)) == SMP_GET_TYPE)
			st->rsn[0] = '\0';
		return 0;
	}
	if (smp_map_find(map, "err", &err) != SMP_GET_OK)
		return 0;
	if (smp_cbor_type(&err) != SMP_CBOR_MAP)
		return bad_shape(st, "response has an err that is not a map");
	if (smp_get_uint(&err, "group", &group) != SMP_GET_OK || group > UINT16_MAX ||
	    smp_get_int(&err, "rc", &st->rc) != SMP_GET_OK)
		return bad_shape(st, "response has an err without group and rc");
	if (st->rc != 0) {
		st->kind = SMP_STATUS_ERR;
		st->group = (uint16_t)group;
	}
	return 0;
}

void smp_status_format(const struct smp_status *st, char *buf, size_t cap)
{
	const char *name, *gname;
	int n;

	if (st->kind == SMP_STATUS_OK) {
		smp_fmt(buf, cap, "ok");
		return;
	}
	if (st->kind == SMP_STATUS_ERR) {
		name = smp_group_err_name(st->group, st->rc);
		gname = smp_group_name(st->group);
		if (gname && name)
			n = smp_fmt(buf, cap, "%s: %s (%lld)", gname, name, (long long)st->rc);
		else if (gname)
			n = smp_fmt(buf, cap, "%s: error %lld", gname, (long long)st->rc);
		else
			n = smp_fmt(buf, cap, "group %u: error %lld", st->group, (long long)st->rc);
	} else {
		const char *desc = smp_mgmt_err_desc(st->rc);

		name = smp_mgmt_err_name(st->rc);
		if (name && desc)
			n = smp_fmt(buf, cap, "%s (%lld): %s", name, (long long)st->rc, desc);
		else if (name)
			n = smp_fmt(buf, cap, "%s (%lld)", name, (long long)st->rc);
		else
			n = smp_fmt(buf, cap, "error %lld", (long long)st->rc);
	}
	if (st->rsn[0] && n >= 0 && (size_t)n < cap)
		smp_fmt(buf + n, cap - (size_t)n, " [%s]", st->rsn);
}
