/*
 * layout.c
 *	  Where each tensor of the predictor lives in its flat parameter vector.
 */
#include "layout.h"

#include <string.h>

/* Append a tensor to a layout; returns its index. */
static int
AddTensor(HelpTensor *tensors, int *n, size_t *total, const char *name,
		  int rows, int cols)
{
	HelpTensor *t = &tensors[*n];

	t->name = name;
	t->ndim = cols > 0 ? 2 : 1;
	t->shape[0] = rows;
	t->shape[1] = cols;
	t->offset = *total;
	t->size = (size_t) rows * (cols > 0 ? cols : 1);
	*total += t->size;
	return (*n)++;
}

/* Fill in the layout of the predictor for a search space. */
void
help_layout_init(HelpLayout *L, HelpSpace space, int width)
{
	static const char *const gcn_w[] = {
		"meta_learner.gc1.weight", "meta_learner.gc2.weight",
		"meta_learner.gc3.weight", "meta_learner.gc4.weight"
	};
	static const char *const gcn_b[] = {
		"meta_learner.gc1.bias", "meta_learner.gc2.bias",
		"meta_learner.gc3.bias", "meta_learner.gc4.bias"
	};
	int			n = 0;
	size_t		total = 0;
	int			W = width;
	int			H = 2 * width;

	memset(L, 0, sizeof(*L));
	L->space = space;
	L->kind = help_space_net_kind(space);
	L->width = W;
	L->head = H;
	L->hw_dim = HELP_HW_DIM;

	/*
	 * Tensors are added in the checkpoint's order, so the flat vector is the
	 * checkpoint's tensors one after another and a checkpoint reads in with
	 * one copy per tensor.
	 */
	if (L->kind == HELP_NET_GCN)
	{
		L->in_dim = HELP_NB201_FEATS;
		L->n_arch_layers = 4;
		for (int l = 0; l < 4; l++)
		{
			/* graph convolution weights are [in, out] */
			L->arch_w[l] = AddTensor(L->tensors, &n, &total, gcn_w[l],
									 l == 0 ? L->in_dim : W, W);
			L->arch_b[l] = AddTensor(L->tensors, &n, &total, gcn_b[l], W, 0);
		}
	}
	else
	{
		L->in_dim = help_space_encoding_dim(space);
		L->n_arch_layers = 2;
		L->arch_w[0] = AddTensor(L->tensors, &n, &total, "meta_learner.fc1.weight", W, L->in_dim);
		L->arch_b[0] = AddTensor(L->tensors, &n, &total, "meta_learner.fc1.bias", W, 0);
		L->arch_w[1] = AddTensor(L->tensors, &n, &total, "meta_learner.fc2.weight", W, W);
		L->arch_b[1] = AddTensor(L->tensors, &n, &total, "meta_learner.fc2.bias", W, 0);
	}
	L->hw1_w = AddTensor(L->tensors, &n, &total, "meta_learner.fc_hw1.weight", W, L->hw_dim);
	L->hw1_b = AddTensor(L->tensors, &n, &total, "meta_learner.fc_hw1.bias", W, 0);
	L->hw2_w = AddTensor(L->tensors, &n, &total, "meta_learner.fc_hw2.weight", W, W);
	L->hw2_b = AddTensor(L->tensors, &n, &total, "meta_learner.fc_hw2.bias", W, 0);
	L->fc3_w = AddTensor(L->tensors, &n, &total, "meta_learner.fc3.weight", H, H);
	L->fc3_b = AddTensor(L->tensors, &n, &total, "meta_learner.fc3.bias", H, 0);
	L->fc4_w = AddTensor(L->tensors, &n, &total, "meta_learner.fc4.weight", H, H);
	L->fc4_b = AddTensor(L->tensors, &n, &total, "meta_learner.fc4.bias", H, 0);
	L->fc5_w = AddTensor(L->tensors, &n, &total, "meta_learner.fc5.weight", 1, H);
	L->fc5_b = AddTensor(L->tensors, &n, &total, "meta_learner.fc5.bias", 1, 0);
	L->n_tensors = n;
	L->n_params = total;

	/*
	 * The modulator z scales the input columns of fc3, fc4 and fc5 (head
	 * values each) and shifts their biases (one value each): 3 (head + 1). The
	 * inference network maps the hardware embedding to a mean and a spread per
	 * coordinate, hence 2 z_dim outputs.
	 */
	L->z_dim = 3 * (H + 1);
	n = 0;
	total = 0;
	AddTensor(L->infer, &n, &total, "z_encoder.0.weight", HELP_INFER_HIDDEN, L->hw_dim);
	AddTensor(L->infer, &n, &total, "z_encoder.0.bias", HELP_INFER_HIDDEN, 0);
	AddTensor(L->infer, &n, &total, "z_encoder.2.weight", 2 * L->z_dim, HELP_INFER_HIDDEN);
	AddTensor(L->infer, &n, &total, "z_encoder.2.bias", 2 * L->z_dim, 0);
	L->n_infer = total;
}

