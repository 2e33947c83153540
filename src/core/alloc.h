/*
 * alloc.h
 *	  Memory of the numerical core: the allocator hook and arenas.
 *
 * The core allocates through help_alloc so that inside PostgreSQL its
 * memory comes from palloc (and goes away with the memory context on an
 * ERROR), and from malloc in the standalone programs.  A workspace or any
 * other object made of many buffers takes them from one HelpArena and frees
 * them together, so no module writes a destroy function field by field.
 * This is the bottom of the core: it uses nothing but the C library.
 */
#ifndef HELP_ALLOC_H
#define HELP_ALLOC_H

#include <stddef.h>

/* Memory hooks: palloc in the server, malloc in standalone programs. */
typedef void *(*HelpAllocFn) (size_t size);
typedef void (*HelpFreeFn) (void *ptr);
extern void help_set_allocator(HelpAllocFn alloc_fn, HelpFreeFn free_fn);
extern void *help_alloc(size_t size);	/* zeroed */
extern void help_free(void *ptr);

/*
 * An arena: a list of allocations released together.  Embed one in the
 * object that owns the buffers; a zeroed HelpArena is empty.
 */
typedef struct HelpArena
{
	struct HelpArenaChunk *chunks;
} HelpArena;

/* Zeroed memory that lives until help_arena_release(arena). */
extern void *help_arena_alloc(HelpArena *arena, size_t size);

/* Free everything allocated from arena (it may live inside one of them). */
extern void help_arena_release(HelpArena *arena);

/*
 * A zeroed object of size bytes that holds, at arena_offset, the arena it
 * was allocated from: releasing that arena frees the object too.
 */
extern void *help_arena_new_owner(size_t size, size_t arena_offset);

#define HELP_ARENA_NEW(type) \
	((type *) help_arena_new_owner(sizeof(type), offsetof(type, arena)))

#endif							/* HELP_ALLOC_H */
