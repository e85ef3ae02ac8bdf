/* The ATT bearer; see att_bearer.h. */
#include "transport/att_bearer.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "smp/clock.h"
#include "smp/fmt.h"
#include "smp/say.h"

#define tracef(b, ...) smp_sayf((b)->trace, (b)->trace_arg, __VA_ARGS__)

SMP_PRINTF(3, 4)
static int fail(struct att_bearer *b, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->err, sizeof(b->err), fmt, ap);
	va_end(ap);
	if (rc == ATT_BEARER_LOST)
		b->lost = true;
	return rc;
}

void att_bearer_init(struct att_bearer *b, int fd, uint16_t rx_mtu)
{
	memset(b, 0, sizeof(*b));
	b->fd = fd;
	b->mtu = ATT_DEFAULT_MTU;
	if (rx_mtu < ATT_DEFAULT_MTU)
		rx_mtu = ATT_DEFAULT_MTU;
	b->rx_mtu = rx_mtu > ATT_MAX_MTU ? ATT_MAX_MTU : rx_mtu;
}

static int lost_errno(struct att_bearer *b, const char *what, int err)
{
	switch (err) {
	case EPIPE:
	case ECONNRESET:
	case ENOTCONN:
		return fail(b, ATT_BEARER_LOST,
			    "connection to the device lost (it closed the link)");
	case ETIMEDOUT:
		return fail(b, ATT_BEARER_LOST,
			    "connection to the device lost (the link timed "
			    "out: out of range, or the device reset)");
	default:
		return fail(b, ATT_BEARER_LOST, "connection to the device lost (%s: %s)", what,
			    strerror(err));
	}
}

int att_bearer_send(struct att_bearer *b, const uint8_t *pdu, size_t len)
{
	ssize_t n;

	if (b->lost)
		return ATT_BEARER_LOST;
	if (len > b->mtu)
		return fail(b, ATT_BEARER_PROTO, "%s of %zu bytes exceeds the ATT MTU of %u",
			    att_op_name(pdu[0]), len, b->mtu);
	do
		n = send(b->fd, pdu, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return fail(b, ATT_BEARER_LOST,
			    "connection to the device stalled: it accepted "
			    "nothing for too long");
	if (n < 0)
		return lost_errno(b, "send", errno);
	if ((size_t)n != len)
		return fail(b, ATT_BEARER_LOST, "connection to the device lost (short send)");
	return ATT_BEARER_OK;
}

/* Reads one PDU into b->pdu. b->pdu_len is 0 when the PDU was dropped. */
static int read_pdu(struct att_bearer *b, int timeout_ms)
{
	struct pollfd p = { .fd = b->fd, .events = POLLIN };
	struct iovec iov = { .iov_base = b->pdu, .iov_len = sizeof(b->pdu) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;
	int ready;

	b->pdu_len = 0;
	if (b->lost)
		return ATT_BEARER_LOST;
	ready = poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms);
	if (ready < 0)
		return errno == EINTR ? ATT_BEARER_TIMEOUT : lost_errno(b, "poll", errno);
	if (ready == 0)
		return ATT_BEARER_TIMEOUT;
	n = recvmsg(b->fd, &msg, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return ATT_BEARER_TIMEOUT;
		return lost_errno(b, "receive", errno);
	}
	if (n == 0)
		return lost_errno(b, "receive", ECONNRESET);
	if (msg.msg_flags & MSG_TRUNC) {
		b->dropped++;
		tracef(b, "att: dropped a PDU longer than our MTU of %u", b->rx_mtu);
		return ATT_BEARER_OK;
	}
	b->pdu_len = (size_t)n;
	return ATT_BEARER_OK;
}

static int answer_mtu_req(struct att_bearer *b)
{
	uint8_t rsp[3];
	uint16_t client_mtu;
	int len;

	if (att_dec_mtu(b->pdu, b->pdu_len, ATT_OP_MTU_REQ, &client_mtu) != ATT_DEC_OK) {
		len = att_enc_error_rsp(rsp, sizeof(rsp), ATT_OP_MTU_REQ, 0, ATT_E_INVALID_PDU);
		return att_bearer_send(b, rsp, (size_t)len);
	}
	len = att_enc_mtu_rsp(rsp, sizeof(rsp), b->rx_mtu);
	if (client_mtu < ATT_DEFAULT_MTU)
		client_mtu = ATT_DEFAULT_MTU;
	b->mtu = client_mtu < b->rx_mtu ? client_mtu : b->rx_mtu;
	tracef(b, "att: peer asked for MTU %u, using %u", client_mtu, b->mtu);
	return att_bearer_send(b, rsp, (size_t)len);
}

static int deliver_value(struct att_bearer *b, uint8_t op)
{
	struct att_handle_value hv;
	uint8_t confirm[1];

	if (att_dec_handle_value(b->pdu, b->pdu_len, op, &hv) != ATT_DEC_OK) {
		b->dropped++;
		tracef(b, "att: dropped a malformed %s", att_op_name(op));
		return ATT_BEARER_OK;
	}
	if (b->on_value)
		b->on_value(b->value_arg, op, hv.handle, hv.value, hv.len);
	if (op != ATT_OP_INDICATE)
		return ATT_BEARER_OK;
	return att_bearer_send(b, confirm, (size_t)att_enc_confirm(confirm, sizeof(confirm)));
}

/* Handles a PDU nobody is waiting for. */
static int dispatch(struct att_bearer *b)
{
	uint8_t op = b->pdu[0], rsp[5];

	if (op == ATT_OP_NOTIFY || op == ATT_OP_INDICATE)
		return deliver_value(b, op);
	if (op == ATT_OP_MTU_REQ)
		return answer_mtu_req(b);
	if (att_op_is_request(op)) {
		tracef(b, "att: peer sent a %s (0x%02x); answering Request Not Supported",
		       att_op_name(op), op);
		att_enc_error_rsp(rsp, sizeof(rsp), op, 0, ATT_E_REQUEST_NOT_SUPPORTED);
		return att_bearer_send(b, rsp, sizeof(rsp));
	}
	b->dropped++;
	tracef(b, "att: ignored an unexpected %s (0x%02x)", att_op_name(op), op);
	return ATT_BEARER_OK;
}

int att_bearer_poll(struct att_bearer *b, int timeout_ms)
{
	int rc = read_pdu(b, timeout_ms);

	if (rc != ATT_BEARER_OK || b->pdu_len == 0)
		return rc;
	return dispatch(b);
}

/* An Error Response to req_op that a security upgrade may cure. */
static bool retry_with_security(struct att_bearer *b, uint8_t req_op)
{
	struct att_error e;

	if (att_dec_error_rsp(b->pdu, b->pdu_len, &e) != ATT_DEC_OK || e.req_opcode != req_op)
		return false;
	if (e.ecode != ATT_E_AUTHENTICATION && e.ecode != ATT_E_INSUFFICIENT_ENCRYPTION)
		return false;
	if (!b->raise_security || !b->raise_security(b->security_arg, b->fd, e.ecode))
		return false;
	tracef(b, "att: %s refused (%s); retrying with higher security", att_op_name(req_op),
	       att_ecode_name(e.ecode));
	return true;
}

static bool answers(const struct att_bearer *b, uint8_t req_op, uint8_t rsp_op)
{
	if (b->pdu[0] == rsp_op)
		return true;
	/* An Error Response names the request it answers. */
	return b->pdu[0] == ATT_OP_ERROR_RSP && b->pdu_len >= 2 && b->pdu[1] == req_op;
}

int att_bearer_request(struct att_bearer *b, const uint8_t *req, size_t len, int timeout_ms)
{
	uint8_t rsp_op = att_op_response(req[0]);
	bool retried = false;
	int64_t deadline;
	int rc;

send:
	rc = att_bearer_send(b, req, len);
	if (rc != ATT_BEARER_OK)
		return rc;
	deadline = smp_clock_ms() + timeout_ms;
	for (;;) {
		int64_t left = deadline - smp_clock_ms();

		if (left <= 0)
			return fail(b, ATT_BEARER_TIMEOUT, "no answer to the %s within %d ms",
				    att_op_name(req[0]), timeout_ms);
		rc = read_pdu(b, (int)left);
		if (rc == ATT_BEARER_TIMEOUT)
			continue;
		if (rc != ATT_BEARER_OK)
			return rc;
		if (b->pdu_len == 0)
			continue;
		if (answers(b, req[0], rsp_op)) {
			if (!retried && retry_with_security(b, req[0])) {
				retried = true;
				goto send;
			}
			return ATT_BEARER_OK;
		}
		rc = dispatch(b);
		if (rc != ATT_BEARER_OK)
			return rc;
	}
}

int att_bearer_exchange_mtu(struct att_bearer *b, int timeout_ms)
{
	uint8_t req[3];
	struct att_error e;
	uint16_t server_mtu;
	int rc, dec;

	att_enc_mtu_req(req, sizeof(req), b->rx_mtu);
	rc = att_bearer_request(b, req, sizeof(req), timeout_ms);
	if (rc != ATT_BEARER_OK)
		return rc;
	if (att_dec_error_rsp(b->pdu, b->pdu_len, &e) == ATT_DEC_OK) {
		tracef(b, "att: MTU exchange refused (%s); staying at %u", att_ecode_name(e.ecode),
		       ATT_DEFAULT_MTU);
		return ATT_BEARER_OK;
	}
	dec = att_dec_mtu(b->pdu, b->pdu_len, ATT_OP_MTU_RSP, &server_mtu);
	if (dec != ATT_DEC_OK)
		return fail(b, ATT_BEARER_PROTO, "bad Exchange MTU Response: %s",
			    att_dec_err_name(dec));
	if (server_mtu < ATT_DEFAULT_MTU)
		server_mtu = ATT_DEFAULT_MTU;
	b->mtu = server_mtu < b->rx_mtu ? server_mtu : b->rx_mtu;
	tracef(b, "att: MTU %u (we offered %u, the device %u)", b->mtu, b->rx_mtu, server_mtu);
	return ATT_BEARER_OK;
}
