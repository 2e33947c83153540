#!/bin/sh
# Write a small subset of a data folder (data/help's format, files
# gzip-compressed or not), uncompressed, for tests:
#   data/subset.sh SOURCE DEST [N]
# Per search space: the architectures with arch_idx < N (default 300), the
# reference architectures and the first N/5 MetaD2A candidates; the latencies
# of those on a few devices; splits as they are; the checkpoint as a symlink.
set -eu
src=$1 dst=$2 n=${3:-300}
[ -d "$src" ] || { echo "subset: no data folder $src" >&2; exit 1; }
# read a file of the source folder, FILE or FILE.gz
rd() { "$(dirname "$0")/read.sh" "$1"; }
has() { [ -f "$1" ] || [ -f "$1.gz" ]; }
sub() {  # space, devices (regexp)
	space=$1 devices=$2
	[ -d "$src/$space" ] || return 0
	mkdir -p "$dst/$space"
	rd "$src/$space/reference_archs.csv" > "$dst/$space/reference_archs.csv"
	if has "$src/$space/splits.csv"; then rd "$src/$space/splits.csv" > "$dst/$space/splits.csv"; fi
	for f in help_checkpoint.json help_checkpoint.json.gz; do
		[ -f "$src/$space/$f" ] && ln -sf "$(cd "$src/$space" && pwd)/$f" "$dst/$space/$f"
	done
	if has "$src/$space/metad2a_candidates.csv"; then
		rd "$src/$space/metad2a_candidates.csv" | head -n $((n / 5 + 1)) > "$dst/$space/metad2a_candidates.csv"
	fi
	# keep: arch_idx < n, reference architectures, cells of the kept candidates
	# (the files have CRLF line ends; the subset gets LF)
	rd "$src/$space/architectures.csv" | awk -F, -v n="$n" -v refs="$dst/$space/reference_archs.csv" -v cands="$dst/$space/metad2a_candidates.csv" '
		BEGIN { while ((getline l < refs) > 0) { sub(/\r$/, "", l); split(l, f, ","); ref[f[2]] = 1 }
		        while ((getline l < cands) > 0) { sub(/\r$/, "", l); split(l, f, ","); cand[f[2]] = 1 } }
		{ sub(/\r$/, "") }
		NR == 1 || $1 + 0 < n + 0 || ($1 in ref) || ($2 in cand)' > "$dst/$space/architectures.csv"
	rd "$src/$space/latency.csv" | awk -F, -v keep="$dst/$space/architectures.csv" -v dev="^($devices)\$" '
		BEGIN { while ((getline l < keep) > 0) { split(l, f, ","); k[f[1]] = 1 } }
		{ sub(/\r$/, "") }
		NR == 1 || ($1 ~ dev && ($2 in k))' > "$dst/$space/latency.csv"
}
rm -rf "$dst"
mkdir -p "$dst"
sub nasbench201 'gold_6240|titanx_32'
sub fbnet 'gold_6240'
sub ofa 'titan_rtx_1'
