#!/bin/sh
# Print one file of a data folder, given by its name without .gz: FILE if it
# exists, else FILE.gz decompressed (data/help ships its files compressed;
# other folders may not be).  For the tests, benchmarks and subset.sh.
#   data/read.sh data/help/nasbench201/latency.csv | head
set -eu
if [ -f "$1" ]; then
	exec cat -- "$1"
elif [ -f "$1.gz" ]; then
	exec gzip -dc -- "$1.gz"
fi
echo "read.sh: $1 not found (nor $1.gz)" >&2
exit 1
