/*
 * help_core.c
 *	  Error reporting, the interrupt hook and search-space metadata shared by
 *	  the core.
 */
#include "help_core.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const space_names[HELP_N_SPACES] = {
	"nasbench201", "fbnet", "ofa"
};

/* Record an error message and return the status, for "return help_set_error(...)". */
HelpStatus
help_set_error(HelpError *err, HelpStatus status, const char *fmt,...)
{
	va_list		ap;

	if (err == NULL)
		return status;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return status;
}

/* See help_core.h: per thread, NULL (no hook) unless set on that thread. */
__thread HelpInterruptHook help_interrupt_hook = NULL;

/* Install the interrupt hook of the calling thread (NULL: none). */
void
help_set_interrupt_hook(HelpInterruptHook hook)
{
	help_interrupt_hook = hook;
}

/* The name of a search space as users spell it. */
const char *
help_space_name(HelpSpace space)
{
	return (space >= 0 && space < HELP_N_SPACES) ? space_names[space] : "unknown";
}

/* Look a search space up by name; -1 when there is none of that name. */
int
help_space_from_name(const char *name)
{
	for (int i = 0; i < HELP_N_SPACES; i++)
		if (strcmp(name, space_names[i]) == 0)
			return i;
	return -1;
}

/* Length of the architecture encoding of a space (docs/method.md section 2). */
int
help_space_encoding_dim(HelpSpace space)
{
	switch (space)
	{
		case HELP_SPACE_NASBENCH201:
			return HELP_NB201_ENC_DIM;
		case HELP_SPACE_FBNET:
			return HELP_FBNET_ENC_DIM;
		case HELP_SPACE_OFA:
			return HELP_OFA_ENC_DIM;
		default:
			return -1;
	}
}

/* GCN for the cell space, MLP for the flat encodings. */
HelpNetKind
help_space_net_kind(HelpSpace space)
{
	return space == HELP_SPACE_NASBENCH201 ? HELP_NET_GCN : HELP_NET_MLP;
}

const char *
help_net_kind_name(HelpNetKind kind)
{
	return kind == HELP_NET_GCN ? "gcn" : "mlp";
}
