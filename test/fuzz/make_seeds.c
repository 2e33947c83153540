/*
 * make_seeds.c
 *	  Writes the seed corpora of the fuzz targets (test/fuzz/corpus/): valid
 *	  predictors of width 1 of each space, plain and adapted, as text, as
 *	  binary and as checkpoints, and a few options, architectures and JSON
 *	  texts.  Run by "make fuzz-seeds"; its output is checked in.
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <sys/stat.h>

#include "encode.h"
#include "encode_sql.h"
#include "json_write.h"
#include "tensor_json.h"

static const char *corpus;

/* Write len bytes as corpus/target/name. */
static void
WriteSeed(const char *target, const char *name, const void *data, size_t len)
{
	char		path[512];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s", corpus, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", corpus, target, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
	{
		perror(path);
		exit(1);
	}
}

static void
WriteText(const char *target, const char *name, const char *text)
{
	WriteSeed(target, name, text, strlen(text));
}

/* A valid predictor of width 1, deterministic weights, adapted to n_support cells or not. */
static HelpPredictor *
SmallPredictor(HelpSpace space, int n_support, bool range, bool transfer)
{
	/* canonical: compact, non-ASCII as UTF-8, json-c's escapes */
	const char *meta = "{\"source\":\"seed\",\"s\":\"\xc3\xa9\\t\",\"n\":[1,-2.5e-3,null,true]}";
	HelpPredictor *p = help_predictor_alloc(space, 1, n_support > 0, n_support, strlen(meta) + 1);
	HelpPredictorView v;
	Size		floats = help_predictor_float_count(p);

	help_predictor_view(p, &v);
	for (Size i = 0; i < floats; i++)
		p->data[i] = (float) ((int) (i * 7919 % 2001) - 1000) / 1000.0f;
	memcpy(v.meta, meta, strlen(meta) + 1);
	if (n_support > 0)
	{
		static const char *const cells[] = {
			"|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
			"|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
			"|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|"
		};
		static const char *const fbnet[] = {
			"{7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}",
			"{0,1,2,3,4,5,6,7,8,0,1,2,3,4,5,6,7,8,0,1,2,3}",
			"{8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8}"
		};
		static const char *const ofa[] = {
			"{\"ks\":[7,5,5,5,7,7,5,7,5,7,3,7,5,3,7,3,5,3,5,3],\"e\":[6,4,4,6,6,3,4,3,3,6,3,3,3,6,3,4,6,4,3,6],\"d\":[2,2,2,2,3],\"r\":204}",
			"{\"ks\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"e\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"d\":[4,4,4,4,4],\"r\":128}",
			"{\"ks\":[5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5],\"e\":[4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4],\"d\":[3,2,4,3,2],\"r\":224}"
		};

		for (int i = 0; i < HELP_HW_DIM; i++)
			v.hw[i] = (float) i / (HELP_HW_DIM - 1);
		for (int i = 0; i < n_support; i++)
		{
			int			len;
			const char *arch = space == HELP_SPACE_NASBENCH201 ? cells[i % 3] :
				space == HELP_SPACE_FBNET ? fbnet[i % 3] : ofa[i % 3];
			float	   *enc = help_encode_text(space, arch, &len);

			memcpy(v.support_x + (Size) i * v.enc_dim, enc, sizeof(float) * len);
			help_predictor_set_support_ms(&v, i, 1.5 + 2.25 * i);
		}
		p->steps = 2;
		p->mc_samples = 3;
		p->seed = 42;
		if (range)
		{
			p->range_lo = 0.5;
			p->range_hi = 20.0;
		}
		if (transfer)
			p->flags |= HELP_FLAG_TRANSFER;
	}
	help_predictor_finish(p);
	help_predictor_validate(p, VARSIZE(p));
	return p;
}

/* The checkpoint JSON of a plain predictor: format, search_space, episode, tensors. */
static char *
CheckpointText(HelpPredictor *p)
{
	HelpPredictorView v;
	StringInfoData buf;
	HelpJsonWriter w;

	help_predictor_view(p, &v);
	initStringInfo(&buf);
	help_jw_init(&w, &buf);
	help_jw_begin_object(&w);
	help_jw_key(&w, "format");
	help_jw_string(&w, "seed checkpoint");
	help_jw_key(&w, "search_space");
	help_jw_string(&w, help_space_name((HelpSpace) p->space));
	help_jw_key(&w, "episode");
	help_jw_int(&w, 7);
	help_write_tensor_groups(&w, &v);
	help_jw_end_object(&w);
	return buf.data;
}

static void
Seeds(void *arg)
{
	for (int space = 0; space < HELP_N_SPACES; space++)
	{
		static const struct
		{
			int			n_support;
			bool		range,
						transfer;
			const char *name;
		}			kinds[] = {
			{0, false, false, "plain"}, {2, false, false, "adapted"},
			{3, true, false, "adapted_range"}, {2, false, true, "adapted_transfer"}
		};

		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		{
			HelpPredictor *p = SmallPredictor((HelpSpace) space, kinds[k].n_support,
											  kinds[k].range, kinds[k].transfer);
			bytea	   *bin = FuzzSend(p);
			char		name[64];

			snprintf(name, sizeof(name), "%s_%s", help_space_name((HelpSpace) space), kinds[k].name);
			WriteText("predictor_text", name,
					  DatumGetCString(FuzzCall1(help_predictor_out, PointerGetDatum(p))));
			WriteSeed("predictor_binary", name, VARDATA(bin), VARSIZE(bin) - VARHDRSZ);
			if (kinds[k].n_support == 0)
				WriteText("checkpoint", name, CheckpointText(p));
		}
	}
}

int
main(int argc, char **argv)
{
	static const char *const options[] = {
		"{}", "{\"steps\": 3, \"mc_samples\": 20, \"seed\": 7}",
		"{\"latency_range\": [1.5, 20], \"method\": \"help\"}", "{\"latency_range\": null, \"method\": \"transfer\"}",
		"{\"space\": \"nasbench201\", \"reference_archs\": [0,1,2,3,4,5,6,7,8,9], \"episodes\": 10, \"valid_devices\": [\"a\", \"b\"], \"second_order\": false, \"meta_lr\": 1e-3}",
		"{\"space\": \"fbnet\", \"reference_archs\": [9,8,7,6,5,4,3,2,1,0], \"threads\": 2, \"valid_supports\": 3}"
	};
	static const char *const archs[] = {
		"\0|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
		"\1{7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}",
		"\1{k5_e6,skip,k3_e1_g2,skip,k5_e1,skip,skip,skip,k5_e6,k5_e1,k3_e1_g2,k5_e1,k5_e6,k3_e6,k3_e3,k5_e6,k3_e6,k3_e3,k5_e1,k3_e3,k5_e1,k5_e1_g2}",
		"\2{\"ks\":[7,5,5,5,7,7,5,7,5,7,3,7,5,3,7,3,5,3,5,3],\"e\":[6,4,4,6,6,3,4,3,3,6,3,3,3,6,3,4,6,4,3,6],\"d\":[2,2,2,2,3],\"r\":204,\"wid\":null}"
	};
	static const char *const jsons[] = {
		"{\"a\": [1, -0, 0.5e-3, true, null], \"b\": {\"c\": \"\\u00e9\\ud83d\\ude00\"}}",
		"[[[]], {}, \"x\\n\", 9223372036854775807, -9223372036854775808, 1E400]",
		"{\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,\"k9\":9,\"k10\":{\"k1\":[1]}}"
	};
	static const char *const encodes[] = {
		"\0|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|skip_connect~2|",
		"\1{7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}"
	};
	char		name[32];

	if (argc != 2)
	{
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	corpus = argv[1];
	mkdir(corpus, 0755);
	help_install_allocator();
	if (help_shim_guarded(Seeds, NULL) != 0)
	{
		fprintf(stderr, "a seed predictor was refused: %s\n", help_shim_last_error());
		return 1;
	}
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
	{
		snprintf(name, sizeof(name), "options_%zu", i);
		WriteText("options", name, options[i]);
	}
	for (size_t i = 0; i < sizeof(archs) / sizeof(archs[0]); i++)
	{
		snprintf(name, sizeof(name), "arch_%zu", i);
		WriteSeed("arch", name, archs[i], 1 + strlen(archs[i] + 1));
	}
	for (size_t i = 0; i < sizeof(jsons) / sizeof(jsons[0]); i++)
	{
		snprintf(name, sizeof(name), "json_%zu", i);
		WriteText("json", name, jsons[i]);
	}
	for (size_t i = 0; i < sizeof(encodes) / sizeof(encodes[0]); i++)
	{
		snprintf(name, sizeof(name), "encode_%zu", i);
		WriteSeed("encode", name, encodes[i], 1 + strlen(encodes[i] + 1));
	}
	{
		/* OFA choices as bytes: kernel sizes 3..7, expansions 3..6, depths, resolution 204 */
		uint8_t		ofa[47] = {2};

		for (int b = 0; b < 20; b++)
		{
			ofa[1 + b] = (uint8_t) (3 + 2 * (b % 3));
			ofa[21 + b] = (uint8_t) (b % 2 ? 4 : 6);
		}
		for (int s = 0; s < 5; s++)
			ofa[41 + s] = (uint8_t) (2 + s % 3);
		ofa[46] = 84;			/* 120 + 84 = 204 */
		WriteSeed("encode", "encode_ofa", ofa, sizeof(ofa));
	}
	help_shim_reset();
	return 0;
}
