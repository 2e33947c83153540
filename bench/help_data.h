/*
 * help_data.h
 *	  A HELP data folder (data/help/<space>/, files compressed or not) read into
 *	  memory for standalone benchmarks, and prepared as docs/method.md
 *	  section 1 says: pools, outlier trimming, latency normalization and
 *	  hardware embeddings.  NAS-Bench-201 and FBNet only.
 */
#ifndef HELP_BENCH_DATA_H
#define HELP_BENCH_DATA_H

#include "model.h"

/* A device of the data folder, prepared. */
typedef struct DataDevice
{
	char		name[64];
	char		split[16];		/* meta_train, meta_valid, meta_test */
	float		hw[HELP_HW_DIM];	/* hardware embedding */
	double		lo_ms,
				hi_ms;			/* trimmed meta-train pool range */
	int			n_train;		/* trimmed meta-train pool */
	int		   *train_idx;
	float	   *train_X;		/* n_train encodings */
	float	   *train_y;		/* normalized latencies */
	double	   *train_ms;
	int			n_query;		/* trimmed query pool */
	float	   *query_X;
	double	   *query_ms;
} DataDevice;

typedef struct HelpData
{
	HelpSpace	space;
	int			enc_dim;
	int			n_devices;
	DataDevice *devices;
	int			n_archs;		/* every architecture of architectures.csv */
	float	   *archs_X;		/* n_archs encodings */
} HelpData;

/*
 * Read dir/<space>/ and prepare every device with all its measurements;
 * train_pool and query_pool as in section 1 (900/4000 and 1000).  Returns
 * 0, or -1 with a message in errbuf (errlen bytes).
 */
extern int	help_data_load(const char *dir, HelpSpace space, int train_pool, int query_pool,
						   HelpData *data, char *errbuf, size_t errlen);

/*
 * The published checkpoint dir/<space>/help_checkpoint.json into theta,
 * alpha and infer (layout of width 100).  Returns 0, or -1 with a message.
 */
extern int	help_data_load_checkpoint(const char *dir, const HelpLayout *layout,
									  float *theta, float *alpha, float *infer,
									  char *errbuf, size_t errlen);

#endif							/* HELP_BENCH_DATA_H */
