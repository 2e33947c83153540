#!/usr/bin/env bash
# make valgrind: regression tests against a scratch server running under
# valgrind's memcheck (every backend is a forked child of the postmaster, so
# memcheck watches them all).  Reports the errors whose stack passes through
# the extension (help.so); PostgreSQL itself is not built for valgrind, so
# its own reports are left aside.  Slow (minutes per test): not in CI.
#   make valgrind [VALGRIND_TESTS="end_to_end hardening"]
# The timing tests (cancel, memory) and meta_train's training are left out
# by default.  Logs: test/results/valgrind/.
set -uo pipefail
cd "$(dirname "$0")/../.."
PG_CONFIG=${PG_CONFIG:-pg_config}
bin=$("$PG_CONFIG" --bindir)
tests=${VALGRIND_TESTS:-end_to_end hardening search_path upgrade}
out=$PWD/test/results/valgrind
tmp=$(mktemp -d /tmp/help-valgrind.XXXX)
port=$(( 40000 + $$ % 10000 ))
runas() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
rm -rf "$out" && mkdir -p "$out"
if [ "$(id -u)" = 0 ]; then chown postgres "$tmp" "$out"; fi

runas "$bin/initdb -D $tmp/data -A trust -U postgres >/dev/null"
runas "valgrind --quiet --error-limit=no --num-callers=40 --track-origins=yes \
	--suppressions=$PWD/test/valgrind/postgres.supp --log-file=$out/memcheck.%p.log \
	$bin/postgres -D $tmp/data -k $tmp -p $port -c listen_addresses= -c jit=off \
	-c max_connections=20 -c shared_buffers=32MB >$out/server.log 2>&1 &"
for _ in $(seq 1 120); do
	"$bin/pg_isready" -q -h "$tmp" -p "$port" && break
	sleep 1
done
export PGHOST=$tmp PGPORT=$port PGUSER=postgres
start=$(date +%s)
make installcheck REGRESS="$tests" PG_CONFIG="$PG_CONFIG"
status=$?
echo "(the tests took $(( $(date +%s) - start )) s under memcheck)"
runas "$bin/pg_ctl -D $tmp/data -m fast stop >/dev/null"
rm -rf "$tmp"

# error blocks: from a line "==PID== <what>" to the blank "==PID== " after it
awk '/^==[0-9]+== [A-Z]/ { block = $0 "\n"; inblock = 1; next }
     inblock && /^==[0-9]+== *$/ { if (block ~ /help\.so|\/src\//) { n++; if (n <= 5) printf "%s\n", block }; total++; inblock = 0; next }
     inblock { block = block $0 "\n" }
     END { printf "memcheck: %d error reports, %d of them in the extension\n", total, n; exit n > 0 }' \
	"$out"/memcheck.*.log
found=$?
[ $status -eq 0 ] && [ $found -eq 0 ]
