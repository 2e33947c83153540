# make demo's first figure: predicted against measured latency of every
# NAS-Bench-201 cell on the target device, log-log, the support cells of the
# adaptation marked.  gnuplot -e "dir='FOLDER'; device='NAME'" (reads
# FOLDER/scores.csv and summary.csv from demo/figures.sql).
set datafile separator comma
set terminal pngcairo size 900,800 font "sans,12" noenhanced
set output dir.'/predicted_vs_measured.png'
stats dir.'/summary.csv' using 2 skip 1 nooutput name 'rho'
stats dir.'/summary.csv' using 1 skip 1 nooutput name 'cells'
stats dir.'/scores.csv' using 2 skip 1 nooutput name 'meas'
stats dir.'/scores.csv' using 3 skip 1 nooutput name 'pred'
lo = (meas_min < pred_min ? meas_min : pred_min) * 0.9
hi = (meas_max > pred_max ? meas_max : pred_max) * 1.1
set title sprintf("%s: predicted against measured latency of %d NAS-Bench-201 cells\nSpearman's rho %.3f", device, cells_max, rho_max)
set logscale xy
set xrange [lo:hi]
set yrange [lo:hi]
set size square
# log axes label only the decades by default: label 1-2-3-5-7 steps instead
set xtics (0.1, 0.2, 0.3, 0.5, 0.7, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 200, 300, 500, 700, 1000, 2000, 3000, 5000, 7000, 10000)
set ytics (0.1, 0.2, 0.3, 0.5, 0.7, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 200, 300, 500, 700, 1000, 2000, 3000, 5000, 7000, 10000)
set format xy '%g'
set xlabel 'measured latency (ms)'
set ylabel 'predicted latency (ms, mean of the draws)'
set grid
set key top left Left reverse box opaque
plot x with lines lc rgb '#888888' dt 2 title 'predicted = measured', \
     dir.'/scores.csv' using 2:($5 == 0 ? $3 : NaN) skip 1 with points pt 7 ps 0.35 lc rgb '#A01f77b4' title 'cells', \
     dir.'/scores.csv' using 2:($5 == 1 ? $3 : NaN) skip 1 with points pt 7 ps 1.2 lc rgb '#d62728' title 'support cells (measured to adapt)'
