/*
 * predictor_info.c
 *	  help_predictor_info: what a predictor holds, as jsonb.
 */
#include "predictor.h"

#include "json_write.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(help_predictor_info);

/* A key and its JSON array of ints. */
static void
WriteIntList(HelpJsonWriter *w, const char *key, const int *v, int n)
{
	help_jw_key(w, key);
	help_jw_begin_array(w);
	for (int i = 0; i < n; i++)
		help_jw_int(w, v[i]);
	help_jw_end_array(w);
}

/* help_predictor_info(help_predictor): what a predictor holds, as jsonb. */
Datum
help_predictor_info(PG_FUNCTION_ARGS)
{
	HelpPredictor *p = PG_GETARG_HELP_PREDICTOR_P(0);
	HelpPredictorView v;
	const HelpLayout *L;
	StringInfoData s;
	HelpJsonWriter w;
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
	 * Written by the JSON writer and read by jsonb_in, so the result is
	 * checked jsonb; the provenance goes in as stored (canonical JSON,
	 * validated when the value came in).
	 */
	initStringInfo(&s);
	help_jw_init(&w, &s);
	help_jw_begin_object(&w);
	help_jw_key(&w, "space");
	help_jw_string(&w, help_space_name(L->space));
	help_jw_key(&w, "kind");
	help_jw_string(&w, help_net_kind_name(L->kind));
	help_jw_key(&w, "adapted");
	help_jw_bool(&w, adapted);
	help_jw_key(&w, "format_version");
	help_jw_int(&w, p->version);
	help_jw_key(&w, "size_bytes");
	help_jw_int(&w, VARSIZE(p));
	help_jw_key(&w, "parameters");
	help_jw_begin_object(&w);
	help_jw_key(&w, "predictor");
	help_jw_int(&w, L->n_params);
	help_jw_key(&w, "inner_lr");
	help_jw_int(&w, L->n_params);
	help_jw_key(&w, "inference_network");
	help_jw_int(&w, L->n_infer);
	help_jw_key(&w, "total");
	help_jw_int(&w, 2 * L->n_params + L->n_infer);
	help_jw_end_object(&w);
	help_jw_key(&w, "layers");
	help_jw_begin_object(&w);
	WriteIntList(&w, "architecture", arch, L->n_arch_layers + 1);
	WriteIntList(&w, "hardware", hwl, 3);
	WriteIntList(&w, "head", head, 4);
	WriteIntList(&w, "inference_network", infer, 3);
	help_jw_end_object(&w);
	help_jw_key(&w, "z_dim");
	help_jw_int(&w, L->z_dim);
	help_jw_key(&w, "z_scale");
	help_jw_number(&w, "%g", (double) p->z_scale);
	help_jw_key(&w, "adaptation");
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
		help_jw_begin_object(&w);
		help_jw_key(&w, "method");
		help_jw_string(&w, help_adapt_method_name(help_predictor_method(p)));
		help_jw_key(&w, "support_rows");
		help_jw_int(&w, p->n_support);
		help_jw_key(&w, "steps");
		help_jw_int(&w, p->steps);
		help_jw_key(&w, "mc_samples");
		help_jw_int(&w, p->mc_samples);
		help_jw_key(&w, "seed");
		help_jw_int(&w, (int64) p->seed);
		help_jw_key(&w, "support_latency_ms");
		help_jw_begin_array(&w);
		help_jw_number(&w, "%.17g", lo);
		help_jw_number(&w, "%.17g", hi);
		help_jw_end_array(&w);
		help_jw_key(&w, "latency_range");
		if (p->range_hi > p->range_lo)
		{
			help_jw_begin_array(&w);
			help_jw_number(&w, "%.17g", p->range_lo);
			help_jw_number(&w, "%.17g", p->range_hi);
			help_jw_end_array(&w);
		}
		else
			help_jw_null(&w);
		help_jw_end_object(&w);
	}
	else
		help_jw_null(&w);
	help_jw_key(&w, "provenance");
	help_jw_json(&w, v.meta);
	help_jw_end_object(&w);
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}
