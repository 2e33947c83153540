#!/bin/sh
# Load a copy of the test data folder with one file edited, as a user
# would (test/psql_errors.sh), for the loaders' pg_regress test:
#   test/load_edited.sh SPACES FILE SED-SCRIPT
# copies test/results/ld_data to test/results/ld_bad, applies sed -i
# SED-SCRIPT to FILE there (or removes FILE when SED-SCRIPT is "rm"), and
# runs data/load.sql on the copy with spaces=SPACES.
set -eu
spaces=$1 file=$2 edit=$3
rm -rf test/results/ld_bad
cp -r test/results/ld_data test/results/ld_bad
if [ "$edit" = rm ]; then
	rm -r "test/results/ld_bad/$file"
else
	sed -i "$edit" "test/results/ld_bad/$file"
fi
exec test/psql_errors.sh -v data=test/results/ld_bad -v spaces="$spaces" -f data/load.sql
