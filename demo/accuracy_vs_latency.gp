# make demo's second figure: the NAS candidates' accuracy against their
# predicted latency on the target device, each latency constraint a dashed
# line, and the pick for each constraint marked with its 90% prediction
# interval and an arrow to its measured latency.  gnuplot -e "dir='FOLDER'; device='NAME';
# constraints='8 11 14'" (reads FOLDER/candidates.csv and picks.csv from
# demo/figures.sql).
set datafile separator comma
set terminal pngcairo size 1000,750 font "sans,12" noenhanced
set output dir.'/accuracy_vs_latency.png'
set title sprintf("Latency-constrained NAS on %s: the MetaD2A candidates (CIFAR-100)", device)
set xlabel "predicted latency (ms); an arrow ends at its pick's measured latency"
set ylabel 'accuracy (%)'
set grid
set key inside bottom right Left reverse box opaque
stats dir.'/candidates.csv' using 3 skip 1 nooutput name 'pred'
stats dir.'/candidates.csv' using 6 skip 1 nooutput name 'meas'
stats dir.'/candidates.csv' using 2 skip 1 nooutput name 'acc'
xlo = (pred_min < meas_min ? pred_min : meas_min) * 0.9
xhi = (pred_max > meas_max ? pred_max : meas_max) * 1.05
# a few candidates are far less accurate than the rest (down to 1 %): the
# range shows the bulk and says how many lie below it
ylo = 5 * floor((acc_lo_quartile - 15) / 5)
stats dir.'/candidates.csv' using ($2 < ylo ? 1 : 0) skip 1 nooutput name 'below'
set xrange [xlo : xhi]
set yrange [ylo : acc_max + 3]
if (below_sum > 0) {
	set label sprintf('%d candidates below %g %% not shown', below_sum, ylo) at graph 0.99, graph 0.17 right textcolor rgb '#555555'
}
do for [c in constraints] {
	set arrow from c + 0, graph 0 to c + 0, graph 1 nohead dt 2 lw 1.5 lc rgb '#555555'
	set label sprintf('%s ms', c) at c + 0, graph 0.97 offset 0.5, 0 textcolor rgb '#555555'
}
plot dir.'/candidates.csv' using 3:2 skip 1 with points pt 7 ps 0.6 lc rgb '#801f77b4' title 'candidates', \
     dir.'/picks.csv' using 4:3:6:7 skip 1 with xerrorbars pt 9 ps 2.2 lw 1.5 lc rgb '#d62728' title 'pick for each constraint, with its 90% interval', \
     dir.'/picks.csv' using 4:3:($5 - $4):(0) skip 1 with vectors head filled size screen 0.012,20 lw 2 lc rgb '#ff7f0e' title 'pick: predicted to measured latency', \
     dir.'/picks.csv' using 4:3:(sprintf('%.1f %%', $3)) skip 1 with labels offset -2, 2 textcolor rgb '#d62728' notitle
