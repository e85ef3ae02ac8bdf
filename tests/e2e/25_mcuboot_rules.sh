#!/bin/sh
# The verdict of the device's MCUboot build (--mcuboot), Zephyr's default
# build unless told. Every image of mcuboot-rules/MANIFEST.tsv gets the
# default build's verdict and the verdict of the build that accepts it
# (its accepted_by column); a refusal names the Kconfig option to turn on.
# Then corruptions of the shared images for the other rules: the TLV allow
# list entry by entry, ENC_X25519_SHA512, an empty KEYHASH, an extra
# unused hash TLV, --pad-sig ECDSA, another signature type, the two
# corruptions only the device's private key can see (exit 8), and
# --require-signature (option and profile, image info and upload).
. tests/e2e/lib.sh

KEYS="$IMAGES/keys"
RULES="$IMAGES/mcuboot-rules"
one_line() { [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]; }

# The --mcuboot setting for a MANIFEST accepted_by column.
build_for() {
	case "$1" in
	*CONFIG_BOOT_HW_KEY*) echo hw-key ;;
	*CONFIG_BOOT_DECOMPRESSION*) echo decompression ;;
	*CONFIG_BOOT_IMG_HASH_ALG_SHA512*) echo hash=sha512 ;;
	*CONFIG_BOOT_SIGNATURE_TYPE_PURE*) echo pure ;;
	*CONFIG_BOOT_ENCRYPT_ALG_AES_256*) echo enc=aes256,enc-key=x25519 ;;
	*CONFIG_BOOT_ENCRYPT_X25519*) echo enc=aes128,enc-key=x25519 ;;
	none) echo any ;;
	*) echo default ;;
	esac
}

# --- every mcuboot-rules image: default build, then the accepting one ---
rows=0
bad=""
tab=$(printf '\t')
while IFS="$tab" read -r file opts key default reason accepted; do
	case "$file" in file|"") continue ;; esac
	rows=$((rows + 1))
	t_run "$SMPCTL" --json image info "$RULES/$file" --key "$KEYS/$key.pub.pem"
	if [ "$default" = accept ]; then
		[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = valid ] || bad="$bad $file(default: rc=$RC $(jqr .verdict))"
	else
		[ "$RC" -eq 5 ] && one_line || bad="$bad $file(default: rc=$RC $(jqr .verdict))"
		# The refusal names every Kconfig option the accepting build sets.
		for opt in $(printf '%s' "$accepted" | grep -o 'CONFIG_[A-Z0-9_]*'); do
			printf '%s' "$ERR" | grep -q "$opt" || bad="$bad $file(no $opt in: $ERR)"
		done
	fi
	build=$(build_for "$accepted")
	t_run "$SMPCTL" --json --mcuboot "$build" image info "$RULES/$file" --key "$KEYS/$key.pub.pem"
	case "$accepted" in
	none)	# no build takes it
		[ "$RC" -eq 5 ] || bad="$bad $file(any build: rc=$RC)" ;;
	*"private key"*|*ENCRYPT*)	# encrypted: only the device can tell
		[ "$RC" -eq 8 ] && [ "$(jqr .verdict)" = undecidable-without-device-key ] &&
		[ "$(jqr .signature.status)" = ok ] || bad="$bad $file($build: rc=$RC $(jqr .verdict))" ;;
	*)	[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = valid ] ||
		bad="$bad $file($build: rc=$RC $(jqr .verdict))" ;;
	esac
done <"$RULES/MANIFEST.tsv"
RC=0 OUT="" ERR="$bad"
expect rules_manifest '[ -z "$bad" ] && [ "$rows" -ge 9 ]'

# The words of the refusals.
t_run "$SMPCTL" --json image info "$RULES/ed25519_lzma2.bin" --key "$KEYS/ed25519.pub.pem"
expect rules_lzma2_words '[ "$(jqr .verdict)" = needs-mcuboot-build ] && printf "%s" "$ERR" | grep -q "needs an MCUboot built with CONFIG_BOOT_DECOMPRESSION"'
t_run "$SMPCTL" --json image info "$RULES/ed25519_nonbootable.bin" --key "$KEYS/ed25519.pub.pem"
expect rules_nonbootable '[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = non-bootable ] && [ "$(jqr .error.kind)" = non-bootable ]'
t_run "$SMPCTL" --json --mcuboot enc=aes128 image info "$RULES/ed25519_enc-x25519_clear.bin" --key "$KEYS/ed25519.pub.pem"
expect rules_clear '[ "$RC" -eq 5 ] && [ "$(jqr .error.kind)" = plaintext-flagged-encrypted ] && printf "%s" "$ERR" | grep -q "imgtool --clear"'
t_run "$SMPCTL" --mcuboot enc=aes128 image info "$RULES/ed25519_enc-x25519.bin"
expect rules_undecidable_words '[ "$RC" -eq 8 ] && one_line && printf "%s\n" "$OUT" | grep -q "^verdict *undecidable without the device.s private key" && printf "%s" "$ERR" | grep -q "undecidable without the device.s private key"'
# The setting from a profile, and a bad one.
printf '[dev]\nmcuboot = enc=aes128,enc-key=x25519\n' >"$WORK/config"
SMPCTL_CONFIG="$WORK/config" t_run "$SMPCTL" -p dev --json image info "$RULES/ed25519_enc-x25519.bin"
expect rules_profile '[ "$RC" -eq 8 ] && [ "$(jqr .verdict)" = undecidable-without-device-key ]'
t_run "$SMPCTL" --mcuboot hash=md5 image info "$RULES/ecdsa-p256_plain.bin"
expect rules_bad_setting '[ "$RC" -eq 2 ] && one_line && printf "%s" "$ERR" | grep -q "mcuboot"'
t_run "$SMPCTL" --mcuboot enc-key=rsa,enc=aes128 image info "$RULES/ed25519_enc-x25519.bin"
expect rules_enc_key_type '[ "$RC" -eq 5 ] && printf "%s" "$ERR" | grep -q "ENC_RSA2048"'

# edit IN OUT KIND: the image with one change in its unprotected TLV area.
edit() {
	python3 - "$@" <<'EOF'
import struct, sys
src, dst, kind = sys.argv[1:4]
arg = sys.argv[4] if len(sys.argv) > 4 else None
d = bytearray(open(src, "rb").read())
hdr_size, prot, img_size, flags = struct.unpack_from("<HHII", d, 8)
tlv_off = hdr_size + img_size + prot
magic, tot = struct.unpack_from("<HH", d, tlv_off)
assert magic == 0x6907 and tlv_off + tot == len(d)
tlvs, p = [], tlv_off + 4
while p < tlv_off + tot:
    t, n = struct.unpack_from("<HH", d, p)
    tlvs.append([t, bytes(d[p + 4:p + 4 + n])])
    p += 4 + n
if kind == "append":		# one more TLV of type arg (TYPE or TYPE:LEN), zeros
    t = int(arg.split(":")[0], 0)
    size = int(arg.split(":")[1]) if ":" in arg else {0x01: 32, 0x02: 91, 0x10: 32, 0x11: 48, 0x12: 64, 0x20: 256, 0x21: 64,
            0x22: 72, 0x23: 384, 0x24: 64, 0x25: 1}.get(t, 16)
    tlvs.append([t, bytes(size)])
elif kind == "retype":		# first TLV of one type becomes another
    a, b = (int(x, 0) for x in arg.split(":"))
    next(x for x in tlvs if x[0] == a)[0] = b
elif kind == "empty-keyhash":
    next(x for x in tlvs if x[0] == 0x01)[1] = b""
elif kind == "pad-sig":		# imgtool --pad-sig: zeros after the DER
    s = next(x for x in tlvs if x[0] == 0x22)
    s[1] = s[1] + bytes(72 - len(s[1]) if len(s[1]) < 72 else 2)
elif kind == "flip-tlv":	# one byte of the first TLV of type arg
    s = next(x for x in tlvs if x[0] == int(arg, 0))
    s[1] = bytes([s[1][0] ^ 1]) + s[1][1:]
elif kind == "flip-body":
    d[hdr_size + 0x100] ^= 1
area = b"".join(struct.pack("<HH", t, len(v)) + v for t, v in tlvs)
d[tlv_off:] = struct.pack("<HH", 0x6907, 4 + len(area)) + area
open(dst, "wb").write(d)
EOF
}

PLAIN="$RULES/ecdsa-p256_plain.bin"
PKEY="$KEYS/ecdsa-p256.pub.pem"

# --- the allow list, entry by entry (image_validate.c allowed_unprot_tlvs) ---
# Allowed unprotected, and ignored when not of the build's own types: key,
# hash and signature TLVs, SIG_PURE, ENC_RSA2048/KW/EC256/X25519 (an
# unencrypted image does not read them). MCUboot ignores an extra hash TLV
# it does not compute, even one of zeros.
bad=""
for t in 0x02 0x11 0x12 0x20 0x21 0x23 0x24 0x25 0x30 0x31 0x32 0x33; do
	edit "$PLAIN" "$WORK/allowed_$t.bin" append "$t"
	t_run "$SMPCTL" --json image info "$WORK/allowed_$t.bin" --key "$PKEY"
	[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = valid ] || bad="$bad $t(rc=$RC $(jqr .verdict) $ERR)"
done
RC=0 OUT="" ERR="$bad"
expect rules_allow_list_allowed '[ -z "$bad" ]'
# Not on it: must be protected.
bad=""
for t in 0x34 0x40 0x50 0x60 0x70 0x71 0x72 0x80 0x81; do
	edit "$PLAIN" "$WORK/refused_$t.bin" append "$t"
	t_run "$SMPCTL" --json image info "$WORK/refused_$t.bin" --key "$PKEY"
	[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = tlv-not-allowed ] || bad="$bad $t(rc=$RC $(jqr .verdict))"
	t_run "$SMPCTL" --json --mcuboot tlv-allow-list=no image info "$WORK/refused_$t.bin" --key "$PKEY"
	[ "$RC" -eq 0 ] || bad="$bad $t(no list: rc=$RC $ERR)"
done
RC=0 OUT="" ERR="$bad"
expect rules_allow_list_refused '[ -z "$bad" ]'

# ENC_X25519_SHA512 instead of ENC_X25519: only an MCUBOOT_HMAC_SHA512 build lists it.
edit "$RULES/ed25519_enc-x25519.bin" "$WORK/x25519_sha512.bin" retype 0x33:0x34
t_run "$SMPCTL" --json --mcuboot enc=aes128 image info "$WORK/x25519_sha512.bin" --key "$KEYS/ed25519.pub.pem"
expect rules_x25519_sha512_refused '[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = tlv-not-allowed ] && printf "%s" "$ERR" | grep -q "enc-key=x25519-sha512"'
t_run "$SMPCTL" --json --mcuboot enc=aes128,enc-key=x25519-sha512 image info "$WORK/x25519_sha512.bin" --key "$KEYS/ed25519.pub.pem"
expect rules_x25519_sha512_build '[ "$RC" -eq 8 ] && [ "$(jqr .verdict)" = undecidable-without-device-key ]'

# --- where MCUboot is less strict than a naive reading ---
edit "$PLAIN" "$WORK/empty_keyhash.bin" empty-keyhash
t_run "$SMPCTL" --json image info "$WORK/empty_keyhash.bin" --key "$PKEY"
expect rules_empty_keyhash '[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = valid ] && [ "$(jqr .key.status)" = ok ]'
edit "$PLAIN" "$WORK/sha384_zeros.bin" append 0x11
t_run "$SMPCTL" --json image info "$WORK/sha384_zeros.bin" --key "$PKEY"
expect rules_unused_hash_ignored '[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = valid ] && [ "$(jqr .hash.status)" = ok ]'
# ... but a build that computes SHA-384 checks it.
t_run "$SMPCTL" --json --mcuboot hash=sha384 image info "$WORK/sha384_zeros.bin" --key "$PKEY"
expect rules_used_hash_checked '[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = bad-hash ]'

# A hash TLV of the wrong length counts only where the build computes its type.
edit "$PLAIN" "$WORK/sha384_short.bin" append 0x11:20
t_run "$SMPCTL" --json image info "$WORK/sha384_short.bin" --key "$PKEY"
expect rules_unused_hash_short_ignored '[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = valid ]'
t_run "$SMPCTL" --json --mcuboot hash=sha384 image info "$WORK/sha384_short.bin" --key "$PKEY"
expect rules_used_hash_short_refused '[ "$RC" -eq 5 ] && [ "$(jqr .error.kind)" = bad-hash-tlv-length ] && one_line'

# --- --pad-sig ECDSA: the default backend refuses the padding ---
edit "$PLAIN" "$WORK/pad_sig.bin" pad-sig
t_run "$SMPCTL" --json image info "$WORK/pad_sig.bin" --key "$PKEY"
expect rules_pad_sig_default '[ "$RC" -eq 5 ] && [ "$(jqr .error.kind)" = ecdsa-signature-padding ] && printf "%s" "$ERR" | grep -q CONFIG_BOOT_ECDSA_TINYCRYPT'
t_run "$SMPCTL" --json --mcuboot ecdsa=tinycrypt image info "$WORK/pad_sig.bin" --key "$PKEY"
expect rules_pad_sig_tinycrypt '[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = valid ]'

# --- a build for another signature type, or with a hardware key ---
t_run "$SMPCTL" --json --mcuboot sig=ed25519 image info "$PLAIN"
expect rules_other_sig_type '[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = needs-mcuboot-build ] && printf "%s" "$ERR" | grep -q "CONFIG_BOOT_SIGNATURE_TYPE"'
t_run "$SMPCTL" --json --mcuboot hw-key image info "$PLAIN" --key "$PKEY"
expect rules_hw_key_needs_pubkey '[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = needs-mcuboot-build ] && printf "%s" "$ERR" | grep -q "PUBKEY"'

# --- only the device's private key can tell ---
ENC="$RULES/ed25519_enc-x25519.bin"
edit "$ENC" "$WORK/flip_cipher.bin" flip-body
edit "$ENC" "$WORK/flip_enc_tlv.bin" flip-tlv 0x33
for f in flip_cipher flip_enc_tlv; do
	t_run "$SMPCTL" --json --mcuboot enc=aes128 image info "$WORK/$f.bin" --key "$KEYS/ed25519.pub.pem"
	expect "rules_undecidable_$f" '[ "$RC" -eq 8 ] && [ "$(jqr .verdict)" = undecidable-without-device-key ] && [ "$(jqr .signature.status)" = ok ] && one_line'
done

# --- --require-signature ---
t_run "$SMPCTL" --json --require-signature image info "$PLAIN"
expect rules_require_sig_no_key '[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = signature-not-checked ] && one_line && printf "%s" "$ERR" | grep -q "require-signature"'
t_run "$SMPCTL" --json --require-signature image info "$PLAIN" --key "$PKEY"
expect rules_require_sig_key '[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = valid ]'
t_run "$SMPCTL" --json --require-signature image info "$IMAGES/app_1k_unsigned.bin"
expect rules_require_sig_unsigned '[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = signature-not-checked ]'
printf '[factory]\nrequire-signature = true\n' >"$WORK/config"
SMPCTL_CONFIG="$WORK/config" t_run "$SMPCTL" -p factory image info "$PLAIN"
expect rules_require_sig_profile '[ "$RC" -eq 5 ] && one_line'

sim_start
smp --require-signature image upload "$PLAIN"
expect rules_require_sig_upload '[ "$RC" -eq 5 ] && one_line && printf "%s" "$ERR" | grep -q "require-signature"'
smp image upload "$RULES/ed25519_lzma2.bin"
expect rules_upload_refuses_needs_build '[ "$RC" -eq 5 ] && printf "%s" "$ERR" | grep -q CONFIG_BOOT_DECOMPRESSION'
smp --mcuboot enc=aes128 image upload "$ENC"
expect rules_upload_undecidable_goes_on '[ "$RC" -eq 0 ] && printf "%s" "$ERR" | grep -q "undecidable-without-device-key"'

exit $T_FAILED
