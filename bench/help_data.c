/*
 * help_data.c
 *	  Reading a HELP data folder (data/help's format, files compressed or
 *	  not) and preparing its devices.
 */
#include "help_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "encode.h"
#include "pool.h"

#define LINE_MAX_LEN 4096

/* Raw contents of a data folder. */
typedef struct RawData
{
	int			n_archs;
	float	   *enc;			/* n_archs x enc_dim */
	int			ref[HELP_HW_DIM];
	int			n_devices;
	char		(*names)[64];
	char		(*splits)[16];
	double	   *ms;				/* n_devices x n_archs, NaN when missing */
} RawData;

/*
 * Open dir/space/file for reading, or else its gzip-compressed copy
 * file.gz (data/help ships its files so): through "gzip -dcf", which passes
 * an uncompressed file through unchanged.  Close with pclose.
 */
static FILE *
open_data_file(const char *dir, HelpSpace space, const char *file, char *errbuf, size_t errlen)
{
	char		path[1024],
				command[1100];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, help_space_name(space), file);
	if (access(path, R_OK) != 0)
		strncat(path, ".gz", sizeof(path) - strlen(path) - 1);
	if (access(path, R_OK) != 0)
	{
		snprintf(errbuf, errlen, "cannot read %s/%s/%s (nor .gz)", dir, help_space_name(space), file);
		return NULL;
	}
	/* the path goes to the shell in single quotes, which it cannot contain */
	if (strchr(path, '\'') != NULL)
	{
		snprintf(errbuf, errlen, "data folder path contains a quote: %s", path);
		return NULL;
	}
	snprintf(command, sizeof(command), "gzip -dcf -- '%s'", path);
	f = popen(command, "r");
	if (f == NULL)
		snprintf(errbuf, errlen, "cannot run gzip to read %s", path);
	return f;
}

/* Open a CSV of dir/space (see open_data_file) and skip its header line. */
static FILE *
open_csv(const char *dir, HelpSpace space, const char *file, char *errbuf, size_t errlen)
{
	char		line[LINE_MAX_LEN];
	FILE	   *f = open_data_file(dir, space, file, errbuf, errlen);

	if (f != NULL && fgets(line, sizeof(line), f) == NULL)
	{
		snprintf(errbuf, errlen, "%s/%s/%s is empty", dir, help_space_name(space), file);
		pclose(f);
		f = NULL;
	}
	return f;
}

/* Encode one architecture line ("idx,cell" or "idx,\"{ops}\",..."). */
static int
encode_line(HelpSpace space, char *line, int *idx, float *out)
{
	HelpError	err;
	char	   *field = strchr(line, ',');
	int			ops[HELP_FBNET_LAYERS];

	if (field == NULL)
		return -1;
	*idx = atoi(line);
	field++;
	field[strcspn(field, "\r\n")] = '\0';
	if (space == HELP_SPACE_NASBENCH201)
		return help_encode_nb201(field, out, &err) == HELP_OK ? 0 : -1;
	if (*field == '"')
	{
		field++;
		*strchr(field, '"') = '\0';
	}
	if (help_parse_fbnet(field, ops, &err) != HELP_OK)
		return -1;
	return help_encode_fbnet(ops, out, &err) == HELP_OK ? 0 : -1;
}

/* architectures.csv: every architecture's encoding. */
static int
read_architectures(const char *dir, HelpSpace space, RawData *raw, char *errbuf, size_t errlen)
{
	int			dim = help_space_encoding_dim(space);
	int			capacity = 16384;
	char		line[LINE_MAX_LEN];
	FILE	   *f = open_csv(dir, space, "architectures.csv", errbuf, errlen);

	if (f == NULL)
		return -1;
	raw->enc = calloc((size_t) capacity * dim, sizeof(float));
	raw->n_archs = 0;
	while (fgets(line, sizeof(line), f))
	{
		int			idx;
		float		enc[HELP_NB201_ENC_DIM];

		if (encode_line(space, line, &idx, enc) != 0 || idx < 0 || idx >= capacity)
		{
			snprintf(errbuf, errlen, "bad architecture line: %.80s", line);
			pclose(f);
			return -1;
		}
		memcpy(raw->enc + (size_t) idx * dim, enc, sizeof(float) * dim);
		raw->n_archs = idx + 1 > raw->n_archs ? idx + 1 : raw->n_archs;
	}
	pclose(f);
	return 0;
}

/* Index of a device by name, added when new. */
static int
device_index(RawData *raw, const char *name)
{
	for (int d = 0; d < raw->n_devices; d++)
		if (strcmp(raw->names[d], name) == 0)
			return d;
	raw->names = realloc(raw->names, sizeof(*raw->names) * (raw->n_devices + 1));
	raw->splits = realloc(raw->splits, sizeof(*raw->splits) * (raw->n_devices + 1));
	raw->ms = realloc(raw->ms, sizeof(double) * raw->n_archs * (raw->n_devices + 1));
	snprintf(raw->names[raw->n_devices], sizeof(*raw->names), "%s", name);
	raw->splits[raw->n_devices][0] = '\0';
	for (int a = 0; a < raw->n_archs; a++)
		raw->ms[(size_t) raw->n_devices * raw->n_archs + a] = NAN;
	return raw->n_devices++;
}

/* latency.csv, splits.csv and reference_archs.csv. */
static int
read_measurements(const char *dir, HelpSpace space, RawData *raw, char *errbuf, size_t errlen)
{
	char		line[LINE_MAX_LEN],
				name[64],
				split[16];
	int			idx,
				pos;
	double		ms;
	FILE	   *f = open_csv(dir, space, "latency.csv", errbuf, errlen);

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63[^,],%d,%lf", name, &idx, &ms) == 3 && idx >= 0 && idx < raw->n_archs)
		{
			int			d = device_index(raw, name);	/* may move raw->ms */

			raw->ms[(size_t) d * raw->n_archs + idx] = ms;
		}
	pclose(f);
	if ((f = open_csv(dir, space, "splits.csv", errbuf, errlen)) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%15[^,],%63[^,\r\n]", split, name) == 2)
			for (int d = 0; d < raw->n_devices; d++)
				if (strcmp(raw->names[d], name) == 0)
					snprintf(raw->splits[d], sizeof(*raw->splits), "%s", split);
	pclose(f);
	if ((f = open_csv(dir, space, "reference_archs.csv", errbuf, errlen)) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d,%d", &pos, &idx) == 2 && pos >= 1 && pos <= HELP_HW_DIM)
			raw->ref[pos - 1] = idx;
	pclose(f);
	return 0;
}

/*
 * The trimmed pool [first, first + size) of a device's measurements;
 * returns its count, idx gets the architecture indices in index order.
 */
static int
trimmed_pool(const double *ms, int first, int size, int n_archs, int *idx)
{
	int		   *measured = malloc(sizeof(int) * size);
	double	   *latency = malloc(sizeof(double) * size);
	int		   *keep = malloc(sizeof(int) * size);
	int			n = 0,
				kept;

	for (int a = first; a < first + size && a < n_archs; a++)
		if (isfinite(ms[a]))
		{
			measured[n] = a;
			latency[n] = ms[a];
			n++;
		}
	kept = help_trim_pool(measured, latency, n, keep);
	for (int i = 0; i < kept; i++)
		idx[i] = measured[keep[i]];
	free(measured);
	free(latency);
	free(keep);
	return kept;
}

/* Prepare device d of raw into out (section 1). */
static int
prepare_device(const RawData *raw, int d, int dim, int train_pool, int query_pool,
			   DataDevice *out, char *errbuf, size_t errlen)
{
	const double *ms = raw->ms + (size_t) d * raw->n_archs;
	int		   *query_idx = malloc(sizeof(int) * query_pool);
	double		ref_ms[HELP_HW_DIM];
	HelpError	err;

	snprintf(out->name, sizeof(out->name), "%s", raw->names[d]);
	snprintf(out->split, sizeof(out->split), "%s", raw->splits[d]);
	for (int i = 0; i < HELP_HW_DIM; i++)
		ref_ms[i] = ms[raw->ref[i]];
	if (help_hw_embedding(ref_ms, out->hw, &err) != HELP_OK)
	{
		snprintf(errbuf, errlen, "device %s: %s", out->name, err.msg);
		free(query_idx);
		return -1;
	}

	out->train_idx = malloc(sizeof(int) * train_pool);
	out->n_train = trimmed_pool(ms, 0, train_pool, raw->n_archs, out->train_idx);
	out->train_X = malloc(sizeof(float) * out->n_train * dim);
	out->train_y = malloc(sizeof(float) * out->n_train);
	out->train_ms = malloc(sizeof(double) * out->n_train);
	out->lo_ms = INFINITY;
	out->hi_ms = -INFINITY;
	for (int i = 0; i < out->n_train; i++)
	{
		out->train_ms[i] = ms[out->train_idx[i]];
		out->lo_ms = fmin(out->lo_ms, out->train_ms[i]);
		out->hi_ms = fmax(out->hi_ms, out->train_ms[i]);
		memcpy(out->train_X + (size_t) i * dim, raw->enc + (size_t) out->train_idx[i] * dim,
			   sizeof(float) * dim);
	}
	for (int i = 0; i < out->n_train; i++)
		out->train_y[i] = (float) (0.05 + 0.9 * (out->train_ms[i] - out->lo_ms) /
								   (out->hi_ms - out->lo_ms));

	out->n_query = trimmed_pool(ms, train_pool, query_pool, raw->n_archs, query_idx);
	out->query_X = malloc(sizeof(float) * (out->n_query ? out->n_query : 1) * dim);
	out->query_ms = malloc(sizeof(double) * (out->n_query ? out->n_query : 1));
	for (int i = 0; i < out->n_query; i++)
	{
		out->query_ms[i] = ms[query_idx[i]];
		memcpy(out->query_X + (size_t) i * dim, raw->enc + (size_t) query_idx[i] * dim,
			   sizeof(float) * dim);
	}
	free(query_idx);
	return 0;
}

/* See help_data.h. */
int
help_data_load(const char *dir, HelpSpace space, int train_pool, int query_pool,
			   HelpData *data, char *errbuf, size_t errlen)
{
	RawData		raw = {0};
	int			status = -1;

	memset(data, 0, sizeof(*data));
	data->space = space;
	data->enc_dim = help_space_encoding_dim(space);
	if (space == HELP_SPACE_OFA)
		snprintf(errbuf, errlen, "ofa is not supported by this reader");
	else if (read_architectures(dir, space, &raw, errbuf, errlen) == 0 &&
			 read_measurements(dir, space, &raw, errbuf, errlen) == 0)
	{
		data->devices = calloc(raw.n_devices, sizeof(DataDevice));
		status = 0;
		for (int d = 0; d < raw.n_devices && status == 0; d++)
			status = prepare_device(&raw, d, data->enc_dim, train_pool, query_pool,
									&data->devices[d], errbuf, errlen);
		data->n_devices = raw.n_devices;
		data->n_archs = raw.n_archs;
		data->archs_X = raw.enc;
		raw.enc = NULL;
	}
	free(raw.enc);
	free(raw.names);
	free(raw.splits);
	free(raw.ms);
	return status;
}

/* Copy the tensors of one checkpoint section into params by name. */
static int
read_tensors(struct json_object *section, const HelpTensor *tensors, int n_tensors,
			 float *params, char *errbuf, size_t errlen)
{
	for (int t = 0; t < n_tensors; t++)
	{
		struct json_object *tensor,
				   *values;

		if (!json_object_object_get_ex(section, tensors[t].name, &tensor) ||
			!json_object_object_get_ex(tensor, "data", &values) ||
			json_object_array_length(values) != tensors[t].size)
		{
			snprintf(errbuf, errlen, "checkpoint tensor %s is missing or of the wrong size",
					 tensors[t].name);
			return -1;
		}
		for (size_t i = 0; i < tensors[t].size; i++)
			params[tensors[t].offset + i] =
				(float) json_object_get_double(json_object_array_get_idx(values, i));
	}
	return 0;
}

/* See help_data.h. */
int
help_data_load_checkpoint(const char *dir, const HelpLayout *L, float *theta,
						  float *alpha, float *infer, char *errbuf, size_t errlen)
{
	struct json_object *root = NULL,
			   *model,
			   *task_lr,
			   *inference;
	int			status = -1;
	FILE	   *f = open_data_file(dir, L->space, "help_checkpoint.json", errbuf, errlen);

	if (f == NULL)
		return -1;
	root = json_object_from_fd(fileno(f));
	pclose(f);
	if (root == NULL)
		snprintf(errbuf, errlen, "cannot parse %s/%s/help_checkpoint.json", dir, help_space_name(L->space));
	else if (!json_object_object_get_ex(root, "model", &model) ||
			 !json_object_object_get_ex(root, "task_lr", &task_lr) ||
			 !json_object_object_get_ex(root, "inference_network", &inference))
		snprintf(errbuf, errlen, "%s/%s/help_checkpoint.json lacks model, task_lr or inference_network",
				 dir, help_space_name(L->space));
	else if (read_tensors(model, L->tensors, L->n_tensors, theta, errbuf, errlen) == 0 &&
			 read_tensors(task_lr, L->tensors, L->n_tensors, alpha, errbuf, errlen) == 0 &&
			 read_tensors(inference, L->infer, HELP_INFER_TENSORS, infer, errbuf, errlen) == 0)
		status = 0;
	json_object_put(root);
	return status;
}
