/*
 * measure_host.c
 *	  help_measure_host: the latency of a NAS-Bench-201 cell's network on
 *	  the machine the database runs on, measured in this backend by the
 *	  core's runner (nb201_runner.h), help_measure_host_detail, the same
 *	  measurement with its spread, and help_host_cpu, which says what the
 *	  machine is (for the description of a device measured this way).
 */
#include "help.h"
#include "nb201_runner.h"

#include <stdio.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "storage/fd.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(help_measure_host);
PG_FUNCTION_INFO_V1(help_measure_host_detail);
PG_FUNCTION_INFO_V1(help_host_cpu);

/*
 * Measure the cell given as the function's first three arguments (arch,
 * batch, runs).  The runner's errors become ERRORs: a malformed cell
 * 22P02, an unknown operation or a batch or run count out of range 22023.
 * A cancel or statement_timeout stops it between passes or inside one
 * (the core's interrupt hook).
 */
static void
MeasureArgs(FunctionCallInfo fcinfo, HelpRunnerResult *result)
{
	char	   *arch = text_to_cstring(PG_GETARG_TEXT_PP(0));
	int32		batch = PG_GETARG_INT32(1);
	int32		runs = PG_GETARG_INT32(2);
	HelpError	err;

	if (help_nb201_measure(arch, batch, runs, result, &err) != HELP_OK)
	{
		bool		counts_ok = batch >= 1 && batch <= HELP_RUNNER_MAX_BATCH &&
			runs >= 1 && runs <= HELP_RUNNER_MAX_RUNS;

		ereport(ERROR,
				(errcode(help_sqlstate(err.status)),
				 errmsg("help_measure_host: %s", err.msg),
				 counts_ok ?
				 errhint("Give a NAS-Bench-201 cell string such as |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|none~2| (operations none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3).") :
				 errhint("batch is 1 to %d images, runs 1 to %d passes.",
						 HELP_RUNNER_MAX_BATCH, HELP_RUNNER_MAX_RUNS)));
	}
}

/* help_measure_host(arch text, batch int, runs int) RETURNS float8: the latency in ms */
Datum
help_measure_host(PG_FUNCTION_ARGS)
{
	HelpRunnerResult result;

	MeasureArgs(fcinfo, &result);
	PG_RETURN_FLOAT8(result.median_ms);
}

/*
 * help_measure_host_detail(arch, batch, runs) RETURNS (latency_ms, min_ms,
 * max_ms, quiet_runs, timed_runs, warmup_runs, quiet): the measurement with
 * what it was made of.
 */
Datum
help_measure_host_detail(PG_FUNCTION_ARGS)
{
	HelpRunnerResult result;
	TupleDesc	desc;
	Datum		values[7];
	bool		nulls[7] = {false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "help_measure_host_detail must return a composite type");
	MeasureArgs(fcinfo, &result);
	values[0] = Float8GetDatum(result.median_ms);
	values[1] = Float8GetDatum(result.min_ms);
	values[2] = Float8GetDatum(result.max_ms);
	values[3] = Int32GetDatum(result.runs);
	values[4] = Int32GetDatum(result.runs + result.disturbed);
	values[5] = Int32GetDatum(result.warmup);
	values[6] = BoolGetDatum(result.quiet);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

/*
 * The value after "key<spaces>: " on a /proc/cpuinfo line, or NULL if the
 * line is of another key.  The value keeps its newline stripped.
 */
static char *
CpuinfoValue(char *line, const char *key)
{
	size_t		len = strlen(key);
	char	   *p;

	if (strncmp(line, key, len) != 0 || (line[len] != '\t' && line[len] != ' ' && line[len] != ':'))
		return NULL;
	p = strchr(line + len, ':');
	if (p == NULL)
		return NULL;
	p++;
	while (*p == ' ')
		p++;
	p[strcspn(p, "\n")] = '\0';
	return p;
}

/*
 * help_host_cpu() RETURNS text: the CPU of the machine the database runs
 * on, from the server's /proc/cpuinfo (the client may be elsewhere): its
 * model name, family and model numbers (a virtual machine's model name can
 * be as vague as "AMD EPYC") and the number of CPUs, or "unknown CPU" where
 * there is no /proc/cpuinfo.
 */
Datum
help_host_cpu(PG_FUNCTION_ARGS)
{
	FILE	   *f = AllocateFile("/proc/cpuinfo", "r");
	char		line[8192];		/* whole lines: the flags line is long (764 bytes here) */
	char		model[256] = "",
				family[32] = "",
				number[32] = "";
	int			cpus = 0;
	StringInfoData out;

	if (f == NULL)
		PG_RETURN_TEXT_P(cstring_to_text("unknown CPU"));
	while (fgets(line, sizeof(line), f) != NULL)
	{
		char	   *v;

		if (CpuinfoValue(line, "processor") != NULL)
			cpus++;
		else if (model[0] == '\0' && (v = CpuinfoValue(line, "model name")) != NULL)
			strlcpy(model, v, sizeof(model));
		else if (family[0] == '\0' && (v = CpuinfoValue(line, "cpu family")) != NULL)
			strlcpy(family, v, sizeof(family));
		else if (number[0] == '\0' && (v = CpuinfoValue(line, "model")) != NULL)
			strlcpy(number, v, sizeof(number));
	}
	FreeFile(f);
	initStringInfo(&out);
	appendStringInfoString(&out, model[0] ? model : "unknown CPU");
	if (family[0] && number[0])
		appendStringInfo(&out, " (family %s, model %s)", family, number);
	if (cpus > 0)
		appendStringInfo(&out, ", %d CPU%s", cpus, cpus == 1 ? "" : "s");
	PG_RETURN_TEXT_P(cstring_to_text(out.data));
}
