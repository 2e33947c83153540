#!/bin/sh
# Run psql on a script as a user would (its own session, no stdin) and print
# its output with each error's SQLSTATE, for the pg_regress tests of the
# loaders: psql's "psql:FILE:LINE: " prefixes and the LOCATION lines (C
# source positions) are left out, since they change with every edit.
#   test/psql_errors.sh -d DB -v ... -f data/load.sql
psql -X -q -v VERBOSITY=verbose "$@" < /dev/null 2>&1 | sed -e 's/^psql:[^ ]* //' -e '/^LOCATION:/d'
