/* The GATT database of the simulator's Bluetooth stand-in and the ATT
 * requests answered from it (front_att_db.c). ATT is written out here from
 * the specification, independently of the client's transport/att.c. */
#ifndef SIM_FRONT_ATT_DB_H
#define SIM_FRONT_ATT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATT_SIM_MTU_MIN 23
#define ATT_SIM_MTU_MAX 517
#define ATT_SIM_MAX_ATTRS 32

/* Opcodes and error codes (Core Vol 3 Part F 3.4). */
enum {
	ATT_SIM_OP_ERROR = 0x01,
	ATT_SIM_OP_MTU_REQ = 0x02,
	ATT_SIM_OP_MTU_RSP = 0x03,
	ATT_SIM_OP_FIND_INFO_REQ = 0x04,
	ATT_SIM_OP_FIND_INFO_RSP = 0x05,
	ATT_SIM_OP_READ_TYPE_REQ = 0x08,
	ATT_SIM_OP_READ_TYPE_RSP = 0x09,
	ATT_SIM_OP_READ_REQ = 0x0A,
	ATT_SIM_OP_READ_RSP = 0x0B,
	ATT_SIM_OP_READ_GROUP_REQ = 0x10,
	ATT_SIM_OP_READ_GROUP_RSP = 0x11,
	ATT_SIM_OP_WRITE_REQ = 0x12,
	ATT_SIM_OP_WRITE_RSP = 0x13,
	ATT_SIM_OP_NOTIFY = 0x1B,
	ATT_SIM_OP_CONFIRM = 0x1E,
	ATT_SIM_OP_WRITE_CMD = 0x52,
	ATT_SIM_OP_CMD_FLAG = 0x40,
};

enum {
	ATT_SIM_E_INVALID_HANDLE = 0x01,
	ATT_SIM_E_READ_NOT_PERMITTED = 0x02,
	ATT_SIM_E_WRITE_NOT_PERMITTED = 0x03,
	ATT_SIM_E_INVALID_PDU = 0x04,
	ATT_SIM_E_AUTHENTICATION = 0x05,
	ATT_SIM_E_NOT_SUPPORTED = 0x06,
	ATT_SIM_E_NOT_FOUND = 0x0A,
	ATT_SIM_E_INVALID_LEN = 0x0D,
	ATT_SIM_E_UNSUPPORTED_GROUP = 0x10,
};

/* Which database to serve: the full one, or one missing a piece. */
enum att_db_kind {
	ATT_DB_FULL,
	ATT_DB_NO_SMP,
	ATT_DB_NO_CCCD,
	ATT_DB_AUTH
};

enum att_attr_kind {
	ATT_ATTR_FIXED,
	ATT_ATTR_CCCD,
	ATT_ATTR_SMP
};

struct att_attr {
	uint16_t handle;
	uint8_t type[16]; /* wire order */
	uint8_t type_len; /* 2 or 16 */
	enum att_attr_kind kind;
	bool readable;
	bool service;	    /* a primary service declaration */
	uint16_t group_end; /* for a service */
	uint8_t value[24];  /* fixed values; a CCCD keeps its 2 bytes here */
	uint8_t value_len;
};

struct att_db {
	enum att_db_kind kind;
	struct att_attr attrs[ATT_SIM_MAX_ATTRS];
	size_t count;
	uint16_t smp_value_handle; /* 0 without the SMP service */
};

/* "full", "no-smp", "no-cccd" or "auth"; -1 for anything else. */
int att_db_kind_from_name(const char *name);
/* GAP 1-3, GATT 4-7, SMP 8-11 (value 10, CCCD 11), Battery 12-15 for the
 * full database. */
void att_db_build(struct att_db *db, enum att_db_kind kind);
/* Answers one ATT PDU other than Exchange MTU and SMP Write Commands:
 * writes the response (or Error Response) to rsp, which holds
 * ATT_SIM_MTU_MAX bytes, and returns its length; 0 when nothing is owed
 * (commands, confirmations). */
size_t att_db_handle(struct att_db *db, uint16_t mtu, const uint8_t *p, size_t n, uint8_t *rsp);
/* True when the SMP characteristic's CCCD enables notifications. */
bool att_db_notifying(const struct att_db *db);
/* An unbonded central's CCCDs are forgotten when it leaves. */
void att_db_forget_cccds(struct att_db *db);

#endif
