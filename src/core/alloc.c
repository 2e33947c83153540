/*
 * alloc.c
 *	  The core's allocator hook and arenas (see alloc.h).
 */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

static HelpAllocFn alloc_hook = NULL;
static HelpFreeFn free_hook = NULL;

/*
 * An arena's allocation starts with this header.  It is 16 bytes so that
 * the memory handed out keeps the alignment the allocator gives (16 bytes
 * from malloc on x86-64): buffers are aligned as they were before arenas.
 */
typedef struct HelpArenaChunk
{
	union
	{
		struct HelpArenaChunk *next;
		char		pad[16];
	}			u;
} HelpArenaChunk;

/* Install the allocator the core uses (palloc inside PostgreSQL). */
void
help_set_allocator(HelpAllocFn alloc_fn, HelpFreeFn free_fn)
{
	alloc_hook = alloc_fn;
	free_hook = free_fn;
}

/* Zeroed memory from the installed allocator (malloc by default). */
void *
help_alloc(size_t size)
{
	void	   *p;

	if (alloc_hook)
		p = alloc_hook(size);
	else
	{
		/* the core has no way to report running out of memory: stop */
		p = malloc(size ? size : 1);
		if (p == NULL)
			abort();
	}
	memset(p, 0, size);
	return p;
}

/*
 * Give memory back.  With an allocator hook but no free hook the memory is
 * left to the hook's owner (a memory context that is reset as a whole).
 */
void
help_free(void *ptr)
{
	if (ptr == NULL)
		return;
	if (free_hook)
		free_hook(ptr);
	else if (!alloc_hook)
		free(ptr);
}

/* See alloc.h. */
void *
help_arena_alloc(HelpArena *arena, size_t size)
{
	HelpArenaChunk *chunk = help_alloc(sizeof(HelpArenaChunk) + size);

	chunk->u.next = arena->chunks;
	arena->chunks = chunk;
	return chunk + 1;
}

/* See alloc.h. */
void
help_arena_release(HelpArena *arena)
{
	/* read the list head first: the arena may sit inside a chunk freed below */
	HelpArenaChunk *chunk = arena->chunks;

	while (chunk != NULL)
	{
		HelpArenaChunk *next = chunk->u.next;

		help_free(chunk);
		chunk = next;
	}
}

/* See alloc.h. */
void *
help_arena_new_owner(size_t size, size_t arena_offset)
{
	HelpArena	arena = {NULL};
	char	   *obj = help_arena_alloc(&arena, size);

	memcpy(obj + arena_offset, &arena, sizeof(arena));
	return obj;
}
