#!/usr/bin/env bash
# Run a command in a throw-away PostgreSQL 15 cluster of its own
# (pg_virtualenv, removed afterwards), side by side with any other:
#   test/scratch_cluster.sh make test
# make test, make demo and bench/ use it when no server is given (PGHOST).
#
# Two things keep concurrent runs apart.  -t gives each run a temporary
# cluster directory even as root, instead of the one fixed 15/regress
# cluster that a second run refuses to overwrite.  And the port is chosen
# here: pg_createcluster would give two runs starting together the same
# free port (it checks the port before either server has started), so each
# run starts from a port of its own (by process id) and takes the first
# that nothing listens on and no socket file names.
set -euo pipefail
if ! command -v pg_virtualenv > /dev/null; then
	echo "scratch_cluster: pg_virtualenv not found (apt-get install postgresql-common)," >&2
	echo "  or give a server with PGHOST/PGPORT (the tests need a superuser)" >&2
	exit 1
fi
port=$((5433 + $$ % 4000))
while (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null ||
	[ -e "/var/run/postgresql/.s.PGSQL.$port" ] || [ -e "/tmp/.s.PGSQL.$port" ]; do
	port=$((port + 1))
done
PGPORT=$port exec pg_virtualenv -t -v 15 "$@"
