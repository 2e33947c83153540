#!/usr/bin/env bash
# Memory pressure (issue 15, defects 1, 2 and 15), run by test/sql/memory.sql.
#
# Each case is a fresh session whose backend gets an address-space limit
# (prlimit) a given number of MB above what it uses at that point, runs a
# query, has the limit lifted, and runs the query again.  What must hold:
# an out-of-memory condition is an ERROR with SQLSTATE 53200 (never a crash,
# a hang, or another error), and after it the backend works as before.
#
# Needs the fixture tables of test/sql/memory.sql (mp_*) in $PGDATABASE,
# and permission to run prlimit on a backend: as the server's user, or as
# root through su.  Prints one line per finding; the details of every
# session are kept in test/results/memory/.
set -u
cd "$(dirname "$0")/../.."

# Run the shell command $2 as the owner of process $1.
as_owner() {
	local owner
	owner=$(stat -c %U "/proc/$1") || return 1
	if [ "$(id -un)" = "$owner" ]; then
		sh -c "$2"
	else
		su "$owner" -s /bin/sh -c "$2"
	fi
}

# Limit process $1's address space to its current size plus $2 MB
# ("unlimited" lifts the limit).  Called from the sessions through psql's \!.
if [ "${1:-}" = limit ]; then
	pid=$2
	if [ "$3" = unlimited ]; then
		bytes=unlimited
	else
		kb=$(awk '/^VmSize:/ { print $2 }' "/proc/$pid/status")
		bytes=$(( (kb + $3 * 1024) * 1024 ))
	fi
	as_owner "$pid" "prlimit --pid $pid --as=$bytes:" || echo "PRLIMIT FAILED"
	exit 0
fi

out=test/results/memory
rm -rf "$out" && mkdir -p "$out"
session=0

# One session: LOAD help, limit by $1 MB, run $2, lift the limit, run $3.
# Leaves psql's output in $out/N.log; the backend is killed if it hangs.
run_session() {
	session=$((session + 1))
	local log="$out/$session.log"
	cat > "$out/$session.sql" <<EOF
\\set VERBOSITY verbose
SET jit = off;
LOAD 'help';
SELECT pg_backend_pid() AS pid \\gset
\\setenv MP_PID :pid
\\! echo "backend \$MP_PID" && test/memory/pressure.sh limit \$MP_PID $1
\\echo == limited
$2
\\! test/memory/pressure.sh limit \$MP_PID unlimited
\\echo == unlimited
$3
EOF
	timeout 120 psql -X -q -f "$out/$session.sql" > "$log" 2>&1
	if [ $? -eq 124 ]; then
		echo "HUNG" >> "$log"
		# a backend spinning where no signal handler runs: only SIGKILL ends it
		pid=$(awk '/^backend / { print $2; exit }' "$log")
		[ -n "$pid" ] && as_owner "$pid" "kill -9 $pid"
	fi
}

# What happened while limited (1) or after (2), from a session's log:
# ok, oom:<memory context>, hung, crashed, or the error's SQLSTATE.
outcome() {
	local part
	part=$(awk -v want="$2" '/^== limited/ { n = 1; next } /^== unlimited/ { n = 2; next } n == want' "$1")
	if grep -q "PRLIMIT FAILED" "$1"; then echo "no-prlimit"
	elif grep -q "^HUNG" "$1" && [ "$2" = 1 ]; then echo "hung"
	elif echo "$part" | grep -q "server closed the connection\|connection to server was lost"; then echo "crashed"
	elif echo "$part" | grep -q "ERROR:  53200"; then
		echo "oom:$(echo "$part" | sed -n 's/.*in memory context "\(.*\)".*/\1/p' | head -1)"
	elif echo "$part" | grep -q "ERROR:"; then
		echo "error:$(echo "$part" | sed -n 's/.*ERROR:  \([0-9A-Z]*\):.*/\1/p' | head -1)"
	else echo "ok"
	fi
}

# 1. OpenBLAS maps a 128 MB buffer at its first buffered product and
# retries forever when it cannot.  A fresh session 64 MB from its limit
# scores 400 cells (products above the small-matrix path) and must finish.
predict="SELECT count(x) FROM (SELECT help_predict_batch(a.p, c.enc) OVER () AS x FROM mp_adapted a, mp_cells c) s;"
run_session 64 "$predict" "$predict"
echo "a fresh session 64 MB from its address-space limit scores 400 cells: $(outcome "$out/$session.log" 1)"

# ... and each thread OpenBLAS starts maps a buffer of its own: raising
# help.blas_threads to the number of cores with 64 MB left must be refused
# (53200) rather than start threads that spin, and scoring must then work
# (on one core there is no thread to start, and nothing to refuse).
run_session 64 "SELECT set_config('help.blas_threads', max_val, false) IS NOT NULL AS raised FROM pg_settings WHERE name = 'help.blas_threads';
$predict" "$predict"
threads=$(outcome "$out/$session.log" 1)
case "$threads" in
	oom:*|ok) threads="no thread started without room, scoring works: $(outcome "$out/$session.log" 2)" ;;
esac
echo "raising help.blas_threads 64 MB from the limit: $threads"

# Run query in sessions limited to $2, $2 + $3, ... $4 MB, and again without
# a limit after each; counts the sessions whose limited run failed with 53200
# (oom), those of them that failed while caching the adapted state
# (in_cache), and lists everything else that went wrong (bad).
sweep() {
	local query=$1 first second
	oom=0 in_cache=0 bad=""
	for mb in $(seq "$2" "$3" "$4"); do
		run_session "$mb" "$query" "$query"
		first=$(outcome "$out/$session.log" 1)
		second=$(outcome "$out/$session.log" 2)
		case "$first" in
			oom:*) oom=$((oom + 1)) ;;
			ok) ;;
			*) bad="$bad $mb MB: $first;" ;;
		esac
		[ "$first" = "oom:help adapted cache entry" ] && in_cache=$((in_cache + 1))
		[ "$second" = ok ] || bad="$bad $mb MB then: $second;"
	done
}

# 2. Adapting with 128 draws under limits from 8 to 200 MB: wherever the
# memory runs out (adaptation, or copying the state into the backend's
# cache), the same adaptation must then succeed without the limit (a
# half-built cache entry made the next lookup crash).
sweep "SELECT help_adapt(b.p, h.hw, s.enc, s.ms, '{\"mc_samples\": 128}') IS NOT NULL AS adapted FROM mp_base b, mp_hw h, mp_support s;" 8 8 200
echo "adapting under 25 limits: out of memory while caching the adapted state at least once: $([ $in_cache -gt 0 ] && echo yes || echo no)"
echo "adapting under 25 limits: each failure an out-of-memory error, each adaptation after it fine: $([ -z "$bad" ] && echo yes || echo "no:$bad")"

# 3. Text input under limits from 2 to 64 MB: json-c's allocation failures
# must be out-of-memory errors, not "invalid JSON ... success".
sweep "SELECT t::help_predictor IS NOT NULL AS parsed FROM mp_text;" 2 2 64
echo "reading a predictor's text under 32 limits: out of memory at least once: $([ $oom -gt 0 ] && echo yes || echo no)"
echo "reading a predictor's text under 32 limits: each failure an out-of-memory error: $([ -z "$bad" ] && echo yes || echo "no:$bad")"
