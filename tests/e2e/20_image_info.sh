#!/bin/sh
# smpctl image info: offline checks of image files (no device): every
# MANIFEST.tsv row's verdict and exit code, --json fields, human output,
# broken files, bad arguments.
. tests/e2e/lib.sh

KEYS="$IMAGES/keys"
one_line() { [ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ]; }

# --- a valid signed image, human layout ---
t_run "$SMPCTL" image info "$IMAGES/app_256k_ecdsa-p256.bin" --key "$KEYS/ecdsa-p256.pub.pem"
expect info_valid_rc '[ "$RC" -eq 0 ] && [ -z "$ERR" ]'
expect info_valid_human_verdict 'printf "%s\n" "$OUT" | grep -q "^verdict *valid$"'
expect info_valid_human_sig 'printf "%s\n" "$OUT" | grep -q "^signature *ECDSA_SIG: ok$"'
expect info_valid_human_hash 'printf "%s\n" "$OUT" | grep -q "^hash *SHA256 047d5c2092c57b8a5923b4172391c2aee25635ddd917d0c92da996196aecae64 ok$"'
expect info_valid_human_version 'printf "%s\n" "$OUT" | grep -q "^version *1.2.3+4$"'
expect info_valid_human_key 'printf "%s\n" "$OUT" | grep -q "^key .*KEYHASH.*matches"'

# --- the same in JSON ---
t_run "$SMPCTL" --json image info "$IMAGES/app_256k_ecdsa-p256.bin" --key "$KEYS/ecdsa-p256.pub.pem"
expect info_json_rc '[ "$RC" -eq 0 ]'
expect info_json_verdict '[ "$(jqr .verdict)" = valid ]'
expect info_json_version '[ "$(jqr .version)" = 1.2.3+4 ]'
expect info_json_hash '[ "$(jqr .hash.stored)" = 047d5c2092c57b8a5923b4172391c2aee25635ddd917d0c92da996196aecae64 ] && [ "$(jqr .hash.status)" = ok ]'
expect info_json_sig '[ "$(jqr .signature.type)" = ECDSA_SIG ] && [ "$(jqr .signature.status)" = ok ]'
expect info_json_key '[ "$(jqr .key.tlv)" = KEYHASH ] && [ "$(jqr .key.given)" = "ECDSA P-256" ] && [ "$(jqr .key.status)" = ok ]'
expect info_json_sha '[ "$(jqr .file_sha256)" = 5e39623fd7aa277b70d249f7247aca27a4c4d73867312080f91af7618fcb4ae7 ] && [ "$(jqr .upload_sha256)" = "$(jqr .file_sha256)" ]'
expect info_json_tlvs '[ "$(jqr "[.tlvs[].name] | join(\",\")")" = SHA256,KEYHASH,ECDSA_SIG ]'
expect info_json_header '[ "$(jqr .header.hdr_size)" = 512 ] && [ "$(jqr .header.img_size)" = 262144 ] && [ "$(jqr .header.magic)" = 2532554813 ]'
expect info_json_no_error '[ "$(jqr "has(\"error\")")" = false ] && [ "$(jqr .trailer)" = null ]'

# --- every manifest row: verdict and exit code ---
rows=0
bad=""
tab=$(printf '\t')
while IFS="$tab" read -r file size cmd ver htype hash fsha key verdict rest; do
	case "$file" in filename|"") continue ;; esac
	# The MCUboot build that accepts the row (the default build refuses
	# these: see mcuboot_rules below).
	build=default
	case "$file" in
	*_sha512*) build=hash=sha512 ;;
	*_pubkeyfull*) build=hw-key ;;
	*_enc-*aes256*) build=enc=aes256 ;;
	*_enc-*) build=enc=aes128 ;;
	*_pure*) build=pure ;;
	*_lzma2*) build=decompression ;;
	esac
	if [ "$key" = none ]; then
		t_run "$SMPCTL" --json --mcuboot "$build" image info "$IMAGES/$file"
	else
		t_run "$SMPCTL" --json --mcuboot "$build" image info "$IMAGES/$file" --key "$KEYS/$key.pub.pem"
	fi
	want_rc=5
	case "$verdict" in valid*) want_rc=0 ;; esac
	# Encrypted, signature ok: only the device's private key can tell.
	[ "$verdict" = valid-encrypted ] && verdict=undecidable-without-device-key want_rc=8
	got="$(jqr .verdict) rc=$RC sha=$(jqr .file_sha256)"
	want="$verdict rc=$want_rc sha=$fsha"
	case "$file" in *.zip)
		got="$got versions=$(jqr '[.images[].version] | unique | join(",")')"
		want="$want versions=$ver" ;;
	esac
	if [ "$hash" != "-" ]; then
		got="$got hash=$(jqr .hash.stored) version=$(jqr .version)"
		want="$want hash=$hash version=$ver"
	fi
	[ "$got" = "$want" ] || bad="$bad $file($got != $want)"
	rows=$((rows + 1))
done <"$IMAGES/MANIFEST.tsv"
RC=0 OUT="" ERR="$bad"
expect info_manifest_rows '[ -z "$bad" ] && [ "$rows" -ge 40 ]'

# --- verdicts and their exit codes ---
t_run "$SMPCTL" image info "$IMAGES/app_1k_rsa2048.bin" --key "$KEYS/ed25519.pub.pem"
expect info_wrong_key_rc '[ "$RC" -eq 5 ] && one_line'
expect info_wrong_key_msg 'printf "%s" "$ERR" | grep -q "^smpctl: .*app_1k_rsa2048.bin: .*KEYHASH does not match the Ed25519 key"'

t_run "$SMPCTL" --json image info "$IMAGES/bad_sig_100k_rsa3072.bin" --key "$KEYS/rsa-3072.pub.pem"
expect info_bad_sig '[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = bad-signature ] && [ "$(jqr .error.kind)" = bad-signature ] && [ "$(jqr .key.status)" = ok ]'

t_run "$SMPCTL" --json image info "$IMAGES/bad_hash_body_100k_unsigned.bin"
expect info_bad_hash '[ "$RC" -eq 5 ] && [ "$(jqr .hash.status)" = failed ] && [ "$(jqr .hash.stored)" != "$(jqr .hash.computed)" ] && one_line'

t_run "$SMPCTL" image info "$IMAGES/bad_hash_body_100k_unsigned.bin"
expect info_bad_hash_human 'printf "%s\n" "$OUT" | grep -q "^hash .* MISMATCH$"'

t_run "$SMPCTL" --json --mcuboot enc=aes256 image info "$IMAGES/app_100k_ed25519_enc-x25519-aes256.bin" --key "$KEYS/ed25519.pub.pem"
expect info_encrypted '[ "$RC" -eq 8 ] && [ "$(jqr .verdict)" = undecidable-without-device-key ] && [ "$(jqr .hash.status)" = not-checkable ] && [ "$(jqr .encryption)" = AES-256 ] && [ "$(jqr .signature.status)" = ok ]'

t_run "$SMPCTL" --mcuboot enc=aes128,enc-key=rsa image info "$IMAGES/app_100k_rsa2048_enc-rsa2048.bin"
expect info_encrypted_human '[ "$RC" -eq 8 ] && printf "%s\n" "$OUT" | grep -q "^hash .*not checkable (encrypted"'

t_run "$SMPCTL" --json --mcuboot pure image info "$IMAGES/app_100k_ed25519_pure.bin" --key "$KEYS/ed25519.pub.pem"
expect info_pure '[ "$RC" -eq 0 ] && [ "$(jqr .signature.pure)" = true ] && [ "$(jqr .hash.type)" = SHA512 ]'

t_run "$SMPCTL" --json image info "$IMAGES/app_100k_ecdsa-p256_protected.bin"
expect info_protected '[ "$(jqr "[.tlvs[] | select(.protected)] | length")" = 5 ] && [ "$(jqr ".tlvs[] | select(.name == \"SEC_CNT\") | .desc")" = "security counter 16908291" ] && [ "$(jqr .tlv_area.protected_size)" = 140 ]'

t_run "$SMPCTL" --json --mcuboot decompression image info "$IMAGES/app_256k_ecdsa-p256_lzma2.bin"
expect info_compressed '[ "$RC" -eq 0 ] && [ "$(jqr .compressed)" = true ] && [ "$(jqr ".header.flag_names | join(\",\")")" = COMPRESSED_LZMA2,COMPRESSED_ARM_THUMB ]'

t_run "$SMPCTL" --json image info "$IMAGES/app_100k_ecdsa-p256_confirm.bin"
expect info_trailer '[ "$RC" -eq 0 ] && [ "$(jqr .trailer.image_ok)" = 1 ] && [ "$(jqr .trailer.slot_size)" = 262144 ] && [ "$(jqr .trailing_bytes)" = 0 ]'

t_run "$SMPCTL" --json image info "$IMAGES/app_100k_ecdsa-p256.hex" --key "$KEYS/ecdsa-p256.pub.pem"
expect info_hex '[ "$RC" -eq 0 ] && [ "$(jqr .format)" = ihex ] && [ "$(jqr .hex_base_addr)" = 49152 ] && [ "$(jqr .file_sha256)" = a45614e2a03155ba2b8afd2cc4c3fa2d345dc46d9f30fe6223a1812a67f59e2a ] && [ "$(jqr .upload_sha256)" != "$(jqr .file_sha256)" ]'

t_run "$SMPCTL" --json image info "$IMAGES/not_an_image_4k.bin"
expect info_not_image '[ "$RC" -eq 5 ] && [ "$(jqr .verdict)" = bad-magic ] && [ "$(jqr "has(\"header\")")" = false ] && one_line'

t_run "$SMPCTL" --json image info "$IMAGES/truncated_half_256k_ecdsa-p256.bin"
expect info_truncated '[ "$RC" -eq 5 ] && [ "$(jqr .error.kind)" = truncated-body ] && [ "$(jqr .version)" = 1.2.3+4 ]'

# --- nRF Connect SDK bundles ---
t_run "$SMPCTL" --json image info "$IMAGES/dfu_application.zip" --key "$KEYS/ecdsa-p256.pub.pem"
expect info_zip '[ "$RC" -eq 0 ] && [ "$(jqr .format)" = nrf-zip ] && [ "$(jqr .bundle.format_version)" = 1 ] && [ "$(jqr "[.images[] | \"\(.image_index):\(.file):\(.verdict):\(.signature.status)\"] | join(\" \")")" = "0:smp_testapp.signed.bin:valid:ok 1:ipc_radio.bin:valid:ok" ]'
expect info_zip_upload_sha '[ "$(jqr ".images[0].upload_sha256")" = 5e39623fd7aa277b70d249f7247aca27a4c4d73867312080f91af7618fcb4ae7 ] && [ "$(jqr ".images[1].hash.stored")" = 93532a02d9e1c2b312ff932e81ba15c423715ce820ce09851e48450b522bdec3 ]'

t_run "$SMPCTL" image info "$IMAGES/dfu_application_legacy.zip"
expect info_zip_legacy_human '[ "$RC" -eq 0 ] && printf "%s\n" "$OUT" | grep -q "^== image 1: net_core_app_update.bin (nRF5340 network core)$" && printf "%s\n" "$OUT" | grep -q "^manifest .*version 1, slots 3/4"'

t_run "$SMPCTL" image info "$IMAGES/dfu_application.zip" --key "$KEYS/ed25519.pub.pem"
expect info_zip_wrong_key '[ "$RC" -eq 5 ] && one_line && printf "%s" "$ERR" | grep -q "dfu_application.zip: image 0 (smp_testapp.signed.bin): .*KEYHASH does not match"'

head -c 100000 "$IMAGES/dfu_application.zip" >"$WORK/cut.zip"
t_run "$SMPCTL" --json image info "$WORK/cut.zip"
expect info_zip_truncated '[ "$RC" -eq 5 ] && [ "$(jqr .error.kind)" = bad-bundle ] && [ "$(jqr "has(\"images\")")" = false ] && one_line'

# --- broken local files ---
: >"$WORK/empty.bin"
t_run "$SMPCTL" --json image info "$WORK/empty.bin"
expect info_empty '[ "$RC" -eq 5 ] && [ "$(jqr .error.kind)" = empty-file ] && one_line'

head -c 20 "$IMAGES/app_1k_unsigned.bin" >"$WORK/short.bin"
t_run "$SMPCTL" image info "$WORK/short.bin"
expect info_short '[ "$RC" -eq 5 ] && printf "%s" "$ERR" | grep -q "short.bin: 20 bytes, shorter than the 32-byte image header"'

printf ':0100000041BE\n:0100010042BE\n:00000001FF\n' >"$WORK/bad.hex"
t_run "$SMPCTL" image info "$WORK/bad.hex"
expect info_bad_hex '[ "$RC" -eq 5 ] && one_line && printf "%s" "$ERR" | grep -q "bad.hex: Intel HEX line 2: checksum"'

printf ':0100000041BE\n' >"$WORK/noeof.hex"
t_run "$SMPCTL" --json image info "$WORK/noeof.hex"
expect info_hex_no_eof '[ "$RC" -eq 5 ] && [ "$(jqr .error.kind)" = bad-hex ] && printf "%s" "$ERR" | grep -q "line 2: end of file without an EOF"'

t_run "$SMPCTL" image info "$WORK/does-not-exist.bin"
expect info_missing_file '[ "$RC" -eq 6 ] && [ -z "$OUT" ] && one_line && printf "%s" "$ERR" | grep -q "^smpctl: .*does-not-exist.bin: cannot open"'

t_run "$SMPCTL" image info "$WORK"
expect info_directory '[ "$RC" -eq 6 ] && one_line'

# --- keys and arguments ---
t_run "$SMPCTL" image info "$IMAGES/app_1k_rsa2048.bin" --key "$WORK/no-key.pem"
expect info_missing_key '[ "$RC" -eq 6 ] && one_line'

t_run "$SMPCTL" image info "$IMAGES/app_1k_rsa2048.bin" --key "$IMAGES/app_1k_unsigned.bin"
expect info_not_a_key '[ "$RC" -eq 2 ] && one_line && printf "%s" "$ERR" | grep -q "not a PEM"'

t_run "$SMPCTL" image info "$IMAGES/app_1k_rsa2048.bin" --key="$KEYS/rsa-2048.pem"
expect info_private_key_pem '[ "$RC" -eq 0 ]'

t_run "$SMPCTL" image info "$IMAGES/app_1k_unsigned.bin" --key "$KEYS/ed25519.pub.pem"
expect info_key_for_unsigned '[ "$RC" -eq 5 ] && printf "%s" "$ERR" | grep -q "not signed"'

t_run "$SMPCTL" image info
expect info_no_args '[ "$RC" -eq 2 ] && one_line'
t_run "$SMPCTL" image info a.bin b.bin
expect info_two_files '[ "$RC" -eq 2 ] && one_line'
t_run "$SMPCTL" image info --frobnicate "$IMAGES/app_1k_unsigned.bin"
expect info_bad_option '[ "$RC" -eq 2 ] && one_line'
t_run "$SMPCTL" image info "$IMAGES/app_1k_unsigned.bin" --key
expect info_key_no_arg '[ "$RC" -eq 2 ] && one_line'

exit $T_FAILED
