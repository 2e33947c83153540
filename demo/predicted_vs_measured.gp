# make demo's first figure: measured against predicted latency of every
# NAS-Bench-201 cell on the target device, log-log, with the band of the 90%
# prediction intervals (the median bounds over bins of predicted latency),
# the support cells of the adaptation marked.  gnuplot -e "dir='FOLDER';
# device='NAME'" (reads FOLDER/scores.csv, band.csv and summary.csv from
# demo/figures.sql).
set datafile separator comma
set terminal pngcairo size 900,850 font "sans,12" noenhanced
set output dir.'/predicted_vs_measured.png'
stats dir.'/summary.csv' using 1 skip 1 nooutput name 'cells'
stats dir.'/summary.csv' using 2 skip 1 nooutput name 'rho'
stats dir.'/summary.csv' using 3 skip 1 nooutput name 'inside'
stats dir.'/scores.csv' using 2 skip 1 nooutput name 'meas'
stats dir.'/scores.csv' using 4 skip 1 nooutput name 'low'
stats dir.'/scores.csv' using 5 skip 1 nooutput name 'up'
lo = (meas_min < low_min ? meas_min : low_min) * 0.9
hi = (meas_max > up_max ? meas_max : up_max) * 1.1
set title sprintf("%s: measured against predicted latency of %d NAS-Bench-201 cells\nSpearman's rho %.3f; measured inside the 90%% interval: %.1f%% of cells", \
                  device, cells_max, rho_max, inside_max)
set logscale xy
set xrange [lo:hi]
set yrange [lo:hi]
set size square
# log axes label only the decades by default: label 1-2-3-5-7 steps instead
set xtics (0.1, 0.2, 0.3, 0.5, 0.7, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 200, 300, 500, 700, 1000, 2000, 3000, 5000, 7000, 10000)
set ytics (0.1, 0.2, 0.3, 0.5, 0.7, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 200, 300, 500, 700, 1000, 2000, 3000, 5000, 7000, 10000)
set format xy '%g'
set xlabel 'predicted latency (ms)'
set ylabel 'measured latency (ms)'
set grid
set key top left Left reverse box opaque
set style fill transparent solid 0.25 noborder
plot dir.'/band.csv' using 1:2:3 skip 1 with filledcurves lc rgb '#ff7f0e' title '90% prediction interval (median bounds)', \
     x with lines lc rgb '#555555' dt 2 title 'measured = predicted', \
     dir.'/scores.csv' using 3:($6 == 0 ? $2 : NaN) skip 1 with points pt 7 ps 0.3 lc rgb '#A01f77b4' title 'cells', \
     dir.'/scores.csv' using 3:($6 == 1 ? $2 : NaN) skip 1 with points pt 7 ps 1.2 lc rgb '#d62728' title 'support cells (measured to adapt)'
