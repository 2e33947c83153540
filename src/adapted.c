/*
 * adapted.c
 *	  Rebuilding the adapted state (one parameter vector per draw and the
 *	  millisecond map) from what an adapted help_predictor stores.
 */
#include "help.h"

#include "adapt.h"

/*
 * Run the adaptation recorded in p (viewed through view) in the current
 * memory context.  Returns NULL with err set if the support set cannot
 * define the millisecond map.
 */
HelpAdapted *
help_adapt_view(HelpPredictorView *view, HelpPredictor *p, HelpError *err)
{
	HelpAdaptSpec spec;
	double	   *ms = palloc(sizeof(double) * p->n_support);
	HelpAdapted *ad;

	Assert(p->flags & HELP_FLAG_ADAPTED);
	spec.steps = p->steps;
	spec.mc_samples = p->mc_samples;
	spec.seed = p->seed;
	spec.z_scale = p->z_scale;
	spec.range_lo = p->range_lo;
	spec.range_hi = p->range_hi;
	for (uint32 i = 0; i < p->n_support; i++)
		ms[i] = help_predictor_support_ms(view, i);
	ad = help_adapt(&view->layout, view->theta, view->alpha, view->infer, view->hw,
					view->support_x, ms, (int) p->n_support, &spec, err);
	pfree(ms);
	return ad;
}
