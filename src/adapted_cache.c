/*
 * adapted_cache.c
 *	  Rebuilding the adapted state (one parameter vector per draw and the
 *	  millisecond map) from what an adapted help_predictor stores, with a
 *	  small per-backend cache.
 *
 * An adapted help_predictor stores its support set, not its adapted
 * weights, so every query that predicts with it adapts again (tens of ms).
 * The usual sequence, adapt and then predict in the same session, would
 * adapt twice.  The backend therefore keeps the last few adapted states,
 * keyed by the predictor's full contents (compared byte for byte), in
 * TopMemoryContext, within help.adapted_cache_size.
 */
#include "adapted_cache.h"

#include "adapt.h"
#include "utils/memutils.h"

#define HELP_ADAPTED_CACHE_ENTRIES 4

/* help.adapted_cache_size, in kB (help.c defines the setting) */
int			help_adapted_cache_kb = 64 * 1024;

typedef struct AdaptedCacheEntry
{
	MemoryContext cxt;			/* owns key and adapted; NULL when empty */
	HelpPredictor *key;
	HelpLayout	layout;			/* what adapted refers to */
	HelpAdapted *adapted;		/* without workspace: copied from, not used */
	Size		bytes;
	uint64		last_used;
} AdaptedCacheEntry;

static AdaptedCacheEntry cache[HELP_ADAPTED_CACHE_ENTRIES];
static uint64 cache_clock;

/* The cached adapted state of p, or NULL. */
static AdaptedCacheEntry *
CacheLookup(HelpPredictor *p)
{
	for (int i = 0; i < HELP_ADAPTED_CACHE_ENTRIES; i++)
	{
		AdaptedCacheEntry *e = &cache[i];

		if (e->cxt != NULL && VARSIZE(e->key) == VARSIZE(p) &&
			e->key->fingerprint == p->fingerprint &&
			memcmp(e->key, p, VARSIZE(p)) == 0)
		{
			e->last_used = ++cache_clock;
			return e;
		}
	}
	return NULL;
}

/* Empty an entry. */
static void
CacheEvict(AdaptedCacheEntry *e)
{
	if (e->cxt != NULL)
		MemoryContextDelete(e->cxt);
	memset(e, 0, sizeof(*e));
}

/*
 * Keep a copy of ad for p, evicting the least recently used entries; or,
 * when it alone exceeds help.adapted_cache_size, say so and keep nothing.
 */
static void
CacheInsert(HelpPredictor *p, const HelpAdapted *ad)
{
	Size		budget = (Size) help_adapted_cache_kb * 1024;
	Size		bytes = VARSIZE(p) + sizeof(float) * (Size) ad->n_draws *
		(ad->layout->n_params + ad->layout->head);
	Size		total = 0;
	AdaptedCacheEntry *slot = NULL;
	MemoryContext cxt,
				old;
	HelpPredictor *key;
	HelpAdapted *copy;

	if (bytes > budget)
	{
		ereport(NOTICE,
				(errmsg("help: the adapted state of this predictor (%zu MB, %d draws) exceeds help.adapted_cache_size, so every query adapts it again",
						bytes >> 20, ad->n_draws),
				 errhint("SET help.adapted_cache_size = '%zuMB' keeps it between queries.",
						 (bytes >> 20) + 1)));
		return;
	}
	for (int i = 0; i < HELP_ADAPTED_CACHE_ENTRIES; i++)
		total += cache[i].bytes;
	for (;;)
	{
		AdaptedCacheEntry *lru = NULL;

		slot = NULL;
		for (int i = 0; i < HELP_ADAPTED_CACHE_ENTRIES; i++)
		{
			if (cache[i].cxt == NULL)
				slot = slot ? slot : &cache[i];
			else if (lru == NULL || cache[i].last_used < lru->last_used)
				lru = &cache[i];
		}
		if (slot != NULL && total + bytes <= budget)
			break;
		Assert(lru != NULL);	/* bytes <= budget: an empty cache takes it */
		total -= lru->bytes;
		CacheEvict(lru);
	}

	/*
	 * The entry is built in a child of the current context, so that an ERROR
	 * on the way (out of memory, typically) frees it with the query's memory;
	 * only once complete does it move under TopMemoryContext and into the
	 * slot, whose cxt is set last: a lookup never finds a half-built entry.
	 */
	cxt = AllocSetContextCreate(CurrentMemoryContext, "help adapted cache entry",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	key = palloc(VARSIZE(p));
	memcpy(key, p, VARSIZE(p));
	slot->layout = *ad->layout;
	copy = help_adapted_copy(ad, &slot->layout, 0);
	MemoryContextSwitchTo(old);
	MemoryContextSetParent(cxt, TopMemoryContext);
	slot->key = key;
	slot->adapted = copy;
	slot->bytes = MemoryContextMemAllocated(cxt, true);
	slot->last_used = ++cache_clock;
	slot->cxt = cxt;
}

/*
 * The adaptation recorded in p (viewed through view), in the current
 * memory context, with a workspace for prediction batches of up to
 * max_batch rows (0: only the support set's): a copy of the cached state
 * when this backend has adapted the same predictor before, otherwise
 * adapted now (and cached).  Returns NULL with err set if the support set
 * cannot define the millisecond map.
 */
HelpAdapted *
help_adapted_state_for(HelpPredictorView *view, HelpPredictor *p, int max_batch, HelpError *err)
{
	HelpAdaptSpec spec = {0};
	AdaptedCacheEntry *hit = CacheLookup(p);
	double	   *ms;
	HelpAdapted *ad;

	Assert(p->flags & HELP_FLAG_ADAPTED);
	if (hit != NULL)
		return help_adapted_copy(hit->adapted, &view->layout, max_batch);

	spec.steps = p->steps;
	spec.mc_samples = p->mc_samples;
	spec.seed = p->seed;
	spec.z_scale = p->z_scale;
	spec.range_lo = p->range_lo;
	spec.range_hi = p->range_hi;
	spec.method = help_predictor_method(p);
	ms = palloc(sizeof(double) * p->n_support);
	for (uint32 i = 0; i < p->n_support; i++)
		ms[i] = help_predictor_support_ms(view, i);
	ad = help_adapt(&view->layout, view->theta, view->alpha, view->infer, view->hw,
					view->support_x, ms, (int) p->n_support, &spec, err);
	pfree(ms);
	if (ad != NULL)
	{
		CacheInsert(p, ad);
		help_adapted_reserve(ad, max_batch);
	}
	return ad;
}
