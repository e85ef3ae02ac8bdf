/* ATT protocol data units (Bluetooth Core, Vol 3, Part F): encoding and
 * decoding only, no I/O, no allocation. Every multi-byte field is
 * little-endian on the wire, 128-bit UUIDs included. Each encoder writes at
 * most cap bytes and returns the PDU's length, or -1 when cap is too small;
 * each decoder checks the opcode and every length and returns 0 or a
 * negative enum att_dec_err, so a malformed PDU is never read past its end.
 * Portable: the same code builds for a Zephyr central. */
#ifndef TRANSPORT_ATT_H
#define TRANSPORT_ATT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATT_CID 4	     /* fixed L2CAP channel of ATT on LE */
#define ATT_DEFAULT_MTU 23   /* every LE link starts here */
#define ATT_MAX_MTU 517	     /* 512-byte attribute value + opcode, handle, offset */
#define ATT_WRITE_OVERHEAD 3 /* opcode + handle before a written or notified value */
/* Most entries one list response can hold: Find Information with 16-bit
 * UUIDs, (517 - 2) / 4. */
#define ATT_MAX_LIST 128

enum att_opcode {
	ATT_OP_ERROR_RSP = 0x01,
	ATT_OP_MTU_REQ = 0x02,
	ATT_OP_MTU_RSP = 0x03,
	ATT_OP_FIND_INFO_REQ = 0x04,
	ATT_OP_FIND_INFO_RSP = 0x05,
	ATT_OP_FIND_BY_TYPE_REQ = 0x06,
	ATT_OP_FIND_BY_TYPE_RSP = 0x07,
	ATT_OP_READ_BY_TYPE_REQ = 0x08,
	ATT_OP_READ_BY_TYPE_RSP = 0x09,
	ATT_OP_READ_REQ = 0x0A,
	ATT_OP_READ_RSP = 0x0B,
	ATT_OP_READ_BLOB_REQ = 0x0C,
	ATT_OP_READ_BLOB_RSP = 0x0D,
	ATT_OP_READ_MULT_REQ = 0x0E,
	ATT_OP_READ_MULT_RSP = 0x0F,
	ATT_OP_READ_BY_GROUP_REQ = 0x10,
	ATT_OP_READ_BY_GROUP_RSP = 0x11,
	ATT_OP_WRITE_REQ = 0x12,
	ATT_OP_WRITE_RSP = 0x13,
	ATT_OP_PREP_WRITE_REQ = 0x16,
	ATT_OP_PREP_WRITE_RSP = 0x17,
	ATT_OP_EXEC_WRITE_REQ = 0x18,
	ATT_OP_EXEC_WRITE_RSP = 0x19,
	ATT_OP_NOTIFY = 0x1B,
	ATT_OP_INDICATE = 0x1D,
	ATT_OP_CONFIRM = 0x1E,
	ATT_OP_READ_MULT_VL_REQ = 0x20,
	ATT_OP_READ_MULT_VL_RSP = 0x21,
	ATT_OP_NOTIFY_MULT = 0x23,
	ATT_OP_WRITE_CMD = 0x52,
	ATT_OP_SIGNED_WRITE_CMD = 0xD2,
};

/* Bit 6 of an opcode: a command, never answered. */
#define ATT_OP_COMMAND_FLAG 0x40

/* Error Response codes. */
enum att_ecode {
	ATT_E_INVALID_HANDLE = 0x01,
	ATT_E_READ_NOT_PERMITTED = 0x02,
	ATT_E_WRITE_NOT_PERMITTED = 0x03,
	ATT_E_INVALID_PDU = 0x04,
	ATT_E_AUTHENTICATION = 0x05,
	ATT_E_REQUEST_NOT_SUPPORTED = 0x06,
	ATT_E_INVALID_OFFSET = 0x07,
	ATT_E_AUTHORIZATION = 0x08,
	ATT_E_PREPARE_QUEUE_FULL = 0x09,
	ATT_E_ATTRIBUTE_NOT_FOUND = 0x0A,
	ATT_E_ATTRIBUTE_NOT_LONG = 0x0B,
	ATT_E_ENCRYPTION_KEY_SIZE = 0x0C,
	ATT_E_INVALID_VALUE_LEN = 0x0D,
	ATT_E_UNLIKELY = 0x0E,
	ATT_E_INSUFFICIENT_ENCRYPTION = 0x0F,
	ATT_E_UNSUPPORTED_GROUP_TYPE = 0x10,
	ATT_E_INSUFFICIENT_RESOURCES = 0x11,
	ATT_E_DB_OUT_OF_SYNC = 0x12,
	ATT_E_VALUE_NOT_ALLOWED = 0x13,
};

/* What a decoder found wrong. */
enum att_dec_err {
	ATT_DEC_OK = 0,
	ATT_DEC_EMPTY = -1,   /* no opcode at all */
	ATT_DEC_OPCODE = -2,  /* not the PDU asked for */
	ATT_DEC_SHORT = -3,   /* ends before its fixed fields */
	ATT_DEC_LENGTH = -4,  /* a length field or the total length is wrong */
	ATT_DEC_FORMAT = -5,  /* an unknown format or a value out of range */
	ATT_DEC_TOOMANY = -6, /* more entries than the caller's array holds */
};

/* GATT declarations and descriptors (16-bit assigned numbers). */
#define GATT_UUID_PRIMARY_SERVICE 0x2800
#define GATT_UUID_SECONDARY_SERVICE 0x2801
#define GATT_UUID_INCLUDE 0x2802
#define GATT_UUID_CHARACTERISTIC 0x2803
#define GATT_UUID_CCCD 0x2902
#define GATT_UUID_GAP_SERVICE 0x1800
#define GATT_UUID_GATT_SERVICE 0x1801
#define GATT_UUID_DEVICE_NAME 0x2A00

/* Characteristic properties. */
#define GATT_CHR_PROP_READ 0x02
#define GATT_CHR_PROP_WRITE_NO_RSP 0x04
#define GATT_CHR_PROP_WRITE 0x08
#define GATT_CHR_PROP_NOTIFY 0x10
#define GATT_CHR_PROP_INDICATE 0x20

#define GATT_CCCD_NOTIFY 0x0001
#define GATT_CCCD_INDICATE 0x0002

/* mcumgr's SMP service and characteristic. */
#define SMP_BT_SVC_UUID_STR "8D53DC1D-1DB7-4CD3-868B-8A527460AA84"
#define SMP_BT_CHR_UUID_STR "DA2E7828-FBCE-4E01-AE9E-261174997C48"

/* Any UUID, always kept as 128 bits in wire (little-endian) order; a 16-bit
 * UUID is its expansion onto the Bluetooth base UUID, so that comparison is
 * one memcmp whichever width the peer used. */
struct att_uuid {
	uint8_t le[16];
};

void att_uuid16(uint16_t value, struct att_uuid *out);
/* Parses "2902", "0x2902" or "8D53DC1D-1DB7-4CD3-868B-8A527460AA84" (any
 * case). Returns 0 or -1. */
int att_uuid_parse(const char *text, struct att_uuid *out);
/* Writes the canonical big-endian text form: "2902" for a base UUID,
 * "8d53dc1d-1db7-..." otherwise. buf holds at least 37 bytes. */
void att_uuid_format(const struct att_uuid *u, char buf[37]);
bool att_uuid_eq(const struct att_uuid *a, const struct att_uuid *b);
/* True when u sits on the base UUID, that is, has a 16-bit short form. */
bool att_uuid_is16(const struct att_uuid *u, uint16_t *value);
/* Reads a 2- or 16-byte wire UUID. Returns 0, or -1 for another width. */
int att_uuid_from_wire(const uint8_t *p, size_t n, struct att_uuid *out);
/* Writes the shortest wire form (2 or 16 bytes) and returns its size, or
 * -1 when cap is too small. */
int att_uuid_to_wire(const struct att_uuid *u, uint8_t *out, size_t cap);

/* Encoders: client side. */
int att_enc_mtu_req(uint8_t *buf, size_t cap, uint16_t client_rx_mtu);
int att_enc_find_info_req(uint8_t *buf, size_t cap, uint16_t start, uint16_t end);
int att_enc_read_by_type_req(uint8_t *buf, size_t cap, uint16_t start, uint16_t end,
			     const struct att_uuid *type);
int att_enc_read_by_group_req(uint8_t *buf, size_t cap, uint16_t start, uint16_t end,
			      const struct att_uuid *type);
int att_enc_write_req(uint8_t *buf, size_t cap, uint16_t handle, const uint8_t *value, size_t len);
int att_enc_write_cmd(uint8_t *buf, size_t cap, uint16_t handle, const uint8_t *value, size_t len);
int att_enc_confirm(uint8_t *buf, size_t cap);
/* Encoders a client also needs, to answer what a peer asks of it. */
int att_enc_mtu_rsp(uint8_t *buf, size_t cap, uint16_t server_rx_mtu);
int att_enc_error_rsp(uint8_t *buf, size_t cap, uint8_t req_opcode, uint16_t handle, uint8_t ecode);

struct att_error {
	uint8_t req_opcode;
	uint16_t handle;
	uint8_t ecode;
};

/* A service from Read By Group Type. */
struct att_group {
	uint16_t start, end;
	struct att_uuid uuid;
};

/* An attribute from Read By Type: the value points into the PDU. */
struct att_handle_value {
	uint16_t handle;
	const uint8_t *value;
	size_t len;
};

/* A characteristic declaration (the value of a 0x2803 attribute). */
struct att_chr {
	uint16_t decl_handle;
	uint8_t props;
	uint16_t value_handle;
	struct att_uuid uuid;
};

/* A descriptor or any attribute from Find Information. */
struct att_info {
	uint16_t handle;
	struct att_uuid uuid;
};

/* Decoders. Those of list responses fill out[0..max) and return the count
 * (at least 1) or a negative enum att_dec_err. */
int att_dec_error_rsp(const uint8_t *pdu, size_t n, struct att_error *out);
/* For ATT_OP_MTU_REQ or ATT_OP_MTU_RSP, as opcode says. */
int att_dec_mtu(const uint8_t *pdu, size_t n, uint8_t opcode, uint16_t *mtu);
int att_dec_read_by_group_rsp(const uint8_t *pdu, size_t n, struct att_group *out, size_t max);
int att_dec_read_by_type_rsp(const uint8_t *pdu, size_t n, struct att_handle_value *out,
			     size_t max);
int att_dec_find_info_rsp(const uint8_t *pdu, size_t n, struct att_info *out, size_t max);
/* The value of a characteristic declaration found at decl_handle. */
int att_dec_chr_decl(uint16_t decl_handle, const uint8_t *value, size_t len, struct att_chr *out);
int att_dec_write_rsp(const uint8_t *pdu, size_t n);
/* Handle Value Notification / Indication, or Write Command / Request: an
 * opcode, a handle and a value that points into the PDU. */
int att_dec_handle_value(const uint8_t *pdu, size_t n, uint8_t opcode,
			 struct att_handle_value *out);

/* True for an opcode the peer expects an answer to (a request). */
bool att_op_is_request(uint8_t opcode);
/* The response opcode that completes a request opcode, 0 if none. */
uint8_t att_op_response(uint8_t req_opcode);

/* Names for messages: "Read By Group Type Request", "Attribute Not Found",
 * "truncated PDU". Never NULL. */
const char *att_op_name(uint8_t opcode);
const char *att_ecode_name(uint8_t ecode);
const char *att_dec_err_name(int err);

/* BlueZ's bt_att change_security(): the security level (1 low .. 4 FIPS)
 * to retry a request at after an error response with ecode, or -1 when
 * raising it would not help. */
int att_security_after_error(int current_level, uint8_t ecode);

#endif
