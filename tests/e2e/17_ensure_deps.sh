#!/bin/sh
# scripts/ensure-deps.sh waits while another apt holds the lock instead
# of failing at once. apt-get, dpkg-query and id are stand-ins on
# PATH: nothing is installed.
. tests/e2e/lib.sh

mkdir -p "$WORK/bin"
cat >"$WORK/bin/dpkg-query" <<'EOS'
#!/bin/sh
case "$*" in *" jq") exit 1 ;; esac
echo "install ok installed"
EOS
cat >"$WORK/bin/id" <<'EOS'
#!/bin/sh
echo 0
EOS
# Busy for the first two calls of each command, as when another apt runs.
cat >"$WORK/bin/apt-get" <<'EOS'
#!/bin/sh
echo "$*" >>"$FAKE_APT_DIR/calls"
cmd=update
case "$*" in *install*) cmd=install ;; esac
n=$(cat "$FAKE_APT_DIR/$cmd" 2>/dev/null || echo 0)
echo $((n + 1)) >"$FAKE_APT_DIR/$cmd"
if [ "$n" -lt "${FAKE_APT_BUSY:-2}" ]; then
	if [ $cmd = update ]; then
		echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 1234 (apt-get)" >&2
	else
		echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (apt)" >&2
	fi
	exit 100
fi
exit 0
EOS
chmod +x "$WORK/bin/"*
export FAKE_APT_DIR="$WORK"
PATH="$WORK/bin:$PATH" SMPCTL_APT_RETRY_SECONDS=0.1 t_run sh scripts/ensure-deps.sh
expect deps_wait_for_lock '[ $RC -eq 0 ] && [ "$(cat "$WORK/update")" = 3 ] && [ "$(cat "$WORK/install")" = 3 ] &&
	printf "%s" "$ERR" | grep -q "waiting for another apt"'
expect deps_lock_timeout_option 'grep -q "^-o DPkg::Lock::Timeout=600 update" "$WORK/calls" &&
	grep -q "^-o DPkg::Lock::Timeout=600 install -y -qq  *jq$" "$WORK/calls"'
# Held past the deadline: an error, not a hang.
rm -f "$WORK/update" "$WORK/install"
PATH="$WORK/bin:$PATH" FAKE_APT_BUSY=1000 SMPCTL_APT_LOCK_WAIT=1 SMPCTL_APT_RETRY_SECONDS=0.2 \
	t_run sh scripts/ensure-deps.sh
expect deps_lock_deadline '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "Could not get lock"'
# Any other failure is not retried.
cat >"$WORK/bin/apt-get" <<'EOS'
#!/bin/sh
echo x >>"$FAKE_APT_DIR/other"
echo "E: Failed to fetch http://deb.debian.org/..." >&2
exit 100
EOS
PATH="$WORK/bin:$PATH" SMPCTL_APT_RETRY_SECONDS=0.1 t_run sh scripts/ensure-deps.sh
expect deps_other_failure_not_retried '[ $RC -eq 1 ] && [ "$(wc -l <"$WORK/other")" -eq 1 ]'

# Each target asks only for what it needs: make demo never the Arm
# toolchain, newlib or the packaging tools; check asks for all of them.
cat >"$WORK/bin/dpkg-query" <<'EOS'
#!/bin/sh
exit 1
EOS
cat >"$WORK/bin/id" <<'EOS'
#!/bin/sh
echo 1000
EOS
PATH="$WORK/bin:$PATH" t_run sh scripts/ensure-deps.sh demo
expect deps_demo_only_what_it_needs '[ $RC -eq 1 ] && printf "%s" "$ERR" | grep -q "libcbor-dev" &&
	printf "%s" "$ERR" | grep -q " mosquitto" &&
	! printf "%s" "$ERR" | grep -Eq "gcc-arm-none-eabi|libnewlib|debhelper|dpkg-dev|jq|tmux"'
PATH="$WORK/bin:$PATH" t_run sh scripts/ensure-deps.sh check
err_names_all() { for p in "$@"; do printf "%s" "$ERR" | grep -q " $p" || return 1; done; }
expect deps_check_has_everything '[ $RC -eq 1 ] && err_names_all libcbor-dev gcc-arm-none-eabi \
	libnewlib-arm-none-eabi debhelper dpkg-dev jq tmux bash-completion mosquitto zsh fish'
PATH="$WORK/bin:$PATH" t_run sh scripts/ensure-deps.sh nonsense
expect deps_unknown_target '[ $RC -eq 2 ] && printf "%s" "$ERR" | grep -q usage'
t_run make -n demo
expect make_demo_asks_for_demo_deps 'printf "%s" "$OUT" | grep -q "ensure-deps.sh demo"'

# Before the packages are in, make prints nothing alarming: no
# "Package libzip was not found" from the Makefile's pkg-config calls.
cat >"$WORK/bin/pkg-config" <<'EOS'
#!/bin/sh
echo "Package $3 was not found in the pkg-config search path." >&2
exit 1
EOS
chmod +x "$WORK/bin/"*
PATH="$WORK/bin:$PATH" t_run make -n demo
expect make_quiet_without_pkg_config '! printf "%s" "$ERR" | grep -q "was not found"'
exit $T_FAILED
