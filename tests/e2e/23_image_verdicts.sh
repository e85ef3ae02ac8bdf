#!/bin/sh
# Images MCUboot refuses although their hash is right, built from the
# shared imgtool images by corrupting them the stated way: a forged
# encryption flag, a removed ENC TLV, an unknown unprotected TLV. image
# info says so (exit 5) and upload refuses them before any byte reaches the
# device; --no-tlv-allow-list lifts the allow list. Also: no --key means
# "hash ok, signature not checked", never "valid"; a bundle re-zipped with
# deflate reads like the original.
. tests/e2e/lib.sh

KEYS="$IMAGES/keys"
one_line() { [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]; }
slot1_hash() { "$SMPCTL" --udp "$SIM_ADDR" --json image list | jq -r '.images[] | select(.slot == 1) | .hash'; }

# corrupt IN OUT KIND: the image with one change (python3, standard library).
corrupt() {
	python3 - "$1" "$2" "$3" <<'EOF'
import struct, sys
src, dst, kind = sys.argv[1:4]
d = bytearray(open(src, "rb").read())
hdr_size, prot, img_size, flags = struct.unpack_from("<HHII", d, 8)
tlv_off = hdr_size + img_size + prot
magic, tot = struct.unpack_from("<HH", d, tlv_off)
assert magic == 0x6907 and tlv_off + tot == len(d)
if kind == "flag":			# one header bit: ENCRYPTED_AES128
    struct.pack_into("<I", d, 16, flags | 0x4)
elif kind == "strip-enc":		# drop the ENC_* TLV, fix the area length
    p = tlv_off + 4
    while p < tlv_off + tot:
        t, n = struct.unpack_from("<HH", d, p)
        if 0x30 <= t <= 0x34:
            del d[p:p + 4 + n]
            struct.pack_into("<H", d, tlv_off + 2, tot - 4 - n)
            break
        p += 4 + n
    else:
        sys.exit("no ENC TLV")
elif kind == "unknown-tlv":		# vendor TLV 0x00a5 in the unprotected area
    d += struct.pack("<HH", 0xa5, 4) + b"\x01\x02\x03\x04"
    struct.pack_into("<H", d, tlv_off + 2, tot + 8)
open(dst, "wb").write(d)
EOF
}

corrupt "$IMAGES/app_256k_ecdsa-p256.bin" "$WORK/forged_flag.bin" flag
corrupt "$IMAGES/app_100k_ed25519_enc-x25519.bin" "$WORK/no_enc_tlv.bin" strip-enc
corrupt "$IMAGES/app_256k_ecdsa-p256.bin" "$WORK/unknown_tlv.bin" unknown-tlv

# --- image info ---
t_run "$SMPCTL" --json --mcuboot enc=aes128 image info "$WORK/forged_flag.bin" --key "$KEYS/ecdsa-p256.pub.pem"
expect verdict_forged_flag '[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = bad-encryption ] && [ "$(jqr .error.kind)" = encrypted-without-key-tlv ] && one_line && printf "%s" "$ERR" | grep -q "MCUboot will refuse it: header flag ENCRYPTED_AES128 says encrypted, but no"'

t_run "$SMPCTL" --mcuboot enc=aes128 image info "$WORK/no_enc_tlv.bin" --key "$KEYS/ed25519.pub.pem"
expect verdict_no_enc_tlv '[ "$RC" -eq 5 ] && one_line && printf "%s\n" "$OUT" | grep -q "^verdict *bad-encryption: MCUboot will refuse it"'

t_run "$SMPCTL" --json image info "$WORK/unknown_tlv.bin" --key "$KEYS/ecdsa-p256.pub.pem"
expect verdict_unknown_tlv '[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = tlv-not-allowed ] && [ "$(jqr .hash.status)" = ok ] && [ "$(jqr .signature.status)" = ok ] && one_line && printf "%s" "$ERR" | grep -q "unprotected TLV 0x00a5 at 0x4[0-9a-f]* is not on its allow list"'

t_run "$SMPCTL" --json --no-tlv-allow-list image info "$WORK/unknown_tlv.bin" --key "$KEYS/ecdsa-p256.pub.pem"
expect verdict_unknown_tlv_allowed '[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = valid ] && [ -z "$ERR" ]'

# A profile can say it too, for a device built without the list.
printf '[nolist]\nno-tlv-allow-list = true\n' >"$WORK/config"
SMPCTL_CONFIG="$WORK/config" t_run "$SMPCTL" -p nolist image info "$WORK/unknown_tlv.bin"
expect verdict_unknown_tlv_profile '[ "$RC" -eq 0 ] && [ -z "$ERR" ]'

# No key: the signature is not checked, so the image is not called valid.
t_run "$SMPCTL" image info "$IMAGES/app_256k_ecdsa-p256.bin"
expect verdict_no_key_human '[ "$RC" -eq 0 ] && printf "%s\n" "$OUT" | grep -q "^verdict *hash ok, signature not checked (no --key)$" && ! printf "%s\n" "$OUT" | grep -q "^verdict *valid"'
t_run "$SMPCTL" --json image info "$IMAGES/app_256k_ecdsa-p256.bin"
expect verdict_no_key_json '[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = hash-ok ] && [ "$(jqr .signature.status)" = skipped ] && [ "$(jqr .hash.status)" = ok ]'
t_run "$SMPCTL" --json --mcuboot enc=aes128 image info "$IMAGES/app_100k_ed25519_enc-x25519.bin"
expect verdict_no_key_encrypted '[ "$RC" -eq 8 ] && [ "$(jqr .verdict)" = undecidable-without-device-key ] && [ "$(jqr .signature.status)" = skipped ]'
t_run "$SMPCTL" --json image info "$IMAGES/app_1k_unsigned.bin"
expect verdict_unsigned_valid '[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = valid ] && [ "$(jqr .signature.status)" = absent ]'

# --- a bundle re-zipped with deflate reads like the stored original ---
python3 - "$IMAGES/dfu_application.zip" "$WORK/deflate.zip" <<'EOF'
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        dst.writestr(info.filename, src.read(info.filename))
EOF
t_run "$SMPCTL" --json image info "$WORK/deflate.zip" --key "$KEYS/ecdsa-p256.pub.pem"
expect bundle_deflate '[ "$RC" -eq 0 ] && [ "$(jqr .verdict)" = valid ] && [ "$(jqr ".images[0].upload_sha256")" = 5e39623fd7aa277b70d249f7247aca27a4c4d73867312080f91af7618fcb4ae7 ] && [ "$(jqr ".images[1].hash.stored")" = 93532a02d9e1c2b312ff932e81ba15c423715ce820ce09851e48450b522bdec3 ]'
expect bundle_deflate_really '[ "$(python3 -c "import zipfile,sys; print({i.compress_type for i in zipfile.ZipFile(sys.argv[1]).infolist()} == {8})" "$WORK/deflate.zip")" = True ]'

# --- upload refuses them before touching the device ---
sim_start
for f in forged_flag no_enc_tlv unknown_tlv; do
	smp image upload "$WORK/$f.bin"
	expect "upload_refuses_$f" '[ "$RC" -eq 5 ] && one_line && printf "%s" "$ERR" | grep -q "MCUboot will refuse it" && [ -z "$(slot1_hash)" ]'
done
smp upgrade "$WORK/forged_flag.bin"
expect upgrade_refuses_forged_flag '[ "$RC" -eq 5 ] && printf "%s" "$ERR" | grep -q "MCUboot will refuse it" && [ -z "$(slot1_hash)" ]'
smp --no-tlv-allow-list image upload "$WORK/unknown_tlv.bin"
expect upload_no_tlv_allow_list '[ "$RC" -eq 0 ] && [ -n "$(slot1_hash)" ]'

exit $T_FAILED
