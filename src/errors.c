/*
 * errors.c
 *	  Turning core errors into ereport, and the core's allocator and
 *	  interrupt hook.
 */
#include "help.h"
#include "alloc.h"

#include "miscadmin.h"
#include "utils/memutils.h"

/* SQLSTATE for each core error class. */
int
help_sqlstate(HelpStatus status)
{
	switch (status)
	{
		case HELP_ERR_SYNTAX:
			return ERRCODE_INVALID_TEXT_REPRESENTATION;
		case HELP_ERR_VALUE:
			return ERRCODE_INVALID_PARAMETER_VALUE;
		case HELP_ERR_RANGE:
			return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
		case HELP_ERR_SIZE:
			return ERRCODE_ARRAY_SUBSCRIPT_ERROR;
		case HELP_ERR_DATA:
			return ERRCODE_DATA_EXCEPTION;
		case HELP_ERR_LIMIT:
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		default:
			return ERRCODE_INTERNAL_ERROR;
	}
}

/*
 * Raise a DATA_EXCEPTION unless ms is a latency within HELP_MIN_LATENCY_MS
 * and HELP_MAX_LATENCY_MS (NaN is not); what names it, e.g. "latency".
 */
void
help_check_latency(double ms, const char *what)
{
	if (!(ms >= HELP_MIN_LATENCY_MS && ms <= HELP_MAX_LATENCY_MS))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s must be between %g and %g milliseconds, got %g",
						what, HELP_MIN_LATENCY_MS, HELP_MAX_LATENCY_MS, ms)));
}

/* Raise a core error as an ERROR with its SQLSTATE. */
void
help_report(const HelpError *err)
{
	ereport(ERROR,
			(errcode(help_sqlstate(err->status)),
			 errmsg("%s", err->msg)));
}

/* palloc-backed allocator for the core: CurrentMemoryContext owns it all. */
static void *
CorePalloc(size_t size)
{
	return palloc_extended(size, MCXT_ALLOC_HUGE);
}

static void
CorePfree(void *ptr)
{
	pfree(ptr);
}

void
help_install_allocator(void)
{
	help_set_allocator(CorePalloc, CorePfree);
}

/*
 * The core's interrupt hook: a cancel, statement_timeout or terminate
 * raises its ERROR (or FATAL) here, from inside the core's loops; the
 * core's memory is palloc'd, so the longjmp leaks nothing.
 */
static void
CoreCheckInterrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/* Route the core's HELP_CHECK_INTERRUPTS() to CHECK_FOR_INTERRUPTS(). */
void
help_install_interrupt_hook(void)
{
	help_set_interrupt_hook(CoreCheckInterrupts);
}
