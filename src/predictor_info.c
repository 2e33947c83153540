/*
 * predictor_info.c
 *	  help_predictor_info: what a predictor holds, as jsonb.
 */
#include "predictor.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(help_predictor_info);

/* Append a JSON array of ints. */
static void
AppendIntList(StringInfo s, const int *v, int n)
{
	appendStringInfoChar(s, '[');
	for (int i = 0; i < n; i++)
		appendStringInfo(s, "%s%d", i ? ", " : "", v[i]);
	appendStringInfoChar(s, ']');
}

/* help_predictor_info(help_predictor): what a predictor holds, as jsonb. */
Datum
help_predictor_info(PG_FUNCTION_ARGS)
{
	HelpPredictor *p = PG_GETARG_HELP_PREDICTOR_P(0);
	HelpPredictorView v;
	const HelpLayout *L;
	StringInfoData s;
	bool		adapted = (p->flags & HELP_FLAG_ADAPTED) != 0;
	int			arch[HELP_MAX_GCN_LAYERS + 1];
	int			hwl[3];
	int			head[4];
	int			infer[3];

	help_predictor_view(p, &v);
	L = &v.layout;

	/*
	 * Layer widths as the network computes them: the architecture branch from
	 * its input width, the hardware branch from the 10-value embedding, the
	 * head over both branches (2 x width) down to one output, and the
	 * inference network producing a mean and a spread per modulator
	 * coordinate.
	 */
	arch[0] = L->in_dim;
	for (int l = 1; l <= L->n_arch_layers; l++)
		arch[l] = L->width;
	hwl[0] = L->hw_dim;
	hwl[1] = hwl[2] = L->width;
	head[0] = head[1] = head[2] = L->head;
	head[3] = 1;
	infer[0] = L->hw_dim;
	infer[1] = HELP_INFER_HIDDEN;
	infer[2] = 2 * L->z_dim;

	/*
	 * Built as text and parsed by jsonb_in at the end, so the result is
	 * checked jsonb. The only text not printed here is the provenance, which
	 * was validated as a JSON object when the value came in.
	 */
	initStringInfo(&s);
	appendStringInfo(&s, "{\"space\": \"%s\", \"kind\": \"%s\", \"adapted\": %s, "
					 "\"format_version\": %u, \"size_bytes\": %u, ",
					 help_space_name(L->space), help_net_kind_name(L->kind),
					 adapted ? "true" : "false", p->version, VARSIZE(p));
	appendStringInfo(&s, "\"parameters\": {\"predictor\": %zu, \"inner_lr\": %zu, "
					 "\"inference_network\": %zu, \"total\": %zu}, ",
					 L->n_params, L->n_params, L->n_infer, 2 * L->n_params + L->n_infer);
	appendStringInfoString(&s, "\"layers\": {\"architecture\": ");
	AppendIntList(&s, arch, L->n_arch_layers + 1);
	appendStringInfoString(&s, ", \"hardware\": ");
	AppendIntList(&s, hwl, 3);
	appendStringInfoString(&s, ", \"head\": ");
	AppendIntList(&s, head, 4);
	appendStringInfoString(&s, ", \"inference_network\": ");
	AppendIntList(&s, infer, 3);
	appendStringInfo(&s, "}, \"z_dim\": %d, \"z_scale\": %g, ", L->z_dim, (double) p->z_scale);
	if (adapted)
	{
		double		lo = help_predictor_support_ms(&v, 0),
					hi = lo;

		for (uint32 i = 1; i < p->n_support; i++)
		{
			double		ms = help_predictor_support_ms(&v, i);

			lo = ms < lo ? ms : lo;
			hi = ms > hi ? ms : hi;
		}
		appendStringInfo(&s, "\"adaptation\": {\"method\": \"%s\", \"support_rows\": %u, "
						 "\"steps\": %u, \"mc_samples\": %u, \"seed\": " UINT64_FORMAT ", "
						 "\"support_latency_ms\": [%.17g, %.17g], ",
						 help_adapt_method_name(help_predictor_method(p)),
						 p->n_support, p->steps, p->mc_samples, p->seed, lo, hi);
		if (p->range_hi > p->range_lo)
			appendStringInfo(&s, "\"latency_range\": [%.17g, %.17g]}, ",
							 p->range_lo, p->range_hi);
		else
			appendStringInfoString(&s, "\"latency_range\": null}, ");
	}
	else
		appendStringInfoString(&s, "\"adaptation\": null, ");
	appendStringInfo(&s, "\"provenance\": %s}", v.meta);
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}
