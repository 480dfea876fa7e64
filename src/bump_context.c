/*
 * bump_context.c
 *		A memory context for allocations that go together, by the megabyte:
 *		bump allocation in huge pages, given back to the kernel when the
 *		context goes.
 *
 * impact() of a national hub returns 100,000 rows (a million at 1M
 * instances), which the executor keeps in a tuplestore until the query
 * ends, and its search pushes hundreds of thousands of items on a radix
 * heap.  In an AllocSet each 72-byte row takes a 128-byte chunk and a
 * 16-byte header, and the big chunks are malloc blocks faulted in 4 kB at a
 * time, which glibc maps and unmaps one by one (a fault per 4 kB on every
 * call), or keeps in the backend once its thresholds are raised.  Here a
 * chunk takes its size and a 16-byte header, the blocks are mappings in
 * 2 MB pages (a fault per 2 MB, not per 4 kB), and they are unmapped when the
 * context is reset or deleted: nothing of it stays in the backend.
 *
 * Nothing is freed chunk by chunk (the chunks all go together), except a
 * chunk of LARGE_CHUNK bytes or more, which has a mapping of its own (an
 * array that grows by doubling gives each old copy back at once); but when
 * the last chunk alive is freed, every mapping goes.  So a result's rows,
 * which tuplestore_end() frees one by one, are given back when the
 * executor ends their tuplestore, not only with the query: impact() called
 * again and again in one query (LATERAL, a subquery per row) holds one
 * result at a time.  Where there are no huge-page mappings, it is an
 * AllocSet.
 */
#include "postgres.h"

#include "nodes/memnodes.h"
#include "utils/memutils.h"

#include "ceptoar_registry.h"

#define LARGE_CHUNK		((Size) 1024 * 1024)
#define FIRST_BLOCK		((Size) 2 * 1024 * 1024)
#define MAX_BLOCK		((Size) 64 * 1024 * 1024)

/* at the start of each mapping */
typedef struct BumpBlock
{
	struct BumpBlock *next;
	struct BumpBlock *prev;
	Size		len;			/* of the mapping */
} BumpBlock;

/* before each chunk: what pfree() and GetMemoryChunkSpace() need */
typedef struct BumpChunk
{
	Size		size;			/* MAXALIGNed size of the data */
	MemoryContext cxt;			/* right before the data, as mcxt.c wants */
} BumpChunk;

#define BLOCK_HEAD	MAXALIGN(sizeof(BumpBlock))
#define CHUNK_HEAD	MAXALIGN(sizeof(BumpChunk))

typedef struct BumpContext
{
	MemoryContextData header;
	BumpBlock  *blocks;			/* every mapping */
	char	   *free;			/* in the current bump block */
	char	   *end;
	Size		next_block;		/* the size of the next bump block */
	Size		mapped;
	int64		live;			/* chunks allocated and not freed */
} BumpContext;

static inline BumpChunk *
chunk_of(void *p)
{
	return (BumpChunk *) ((char *) p - CHUNK_HEAD);
}

static void
unlink_block(BumpContext *rc, BumpBlock *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		rc->blocks = b->next;
	if (b->next)
		b->next->prev = b->prev;
	rc->mapped -= b->len;
	rc->header.mem_allocated -= b->len;
	cr_unmap_huge(b, b->len);
}

static BumpBlock *
new_block(BumpContext *rc, Size size)
{
	Size		len;
	BumpBlock  *b = cr_map_huge(size, &len);

	b->len = len;
	b->prev = NULL;
	b->next = rc->blocks;
	if (b->next)
		b->next->prev = b;
	rc->blocks = b;
	rc->mapped += len;
	rc->header.mem_allocated += len;
	return b;
}

static void *
bump_alloc(MemoryContext cxt, Size size)
{
	BumpContext *rc = (BumpContext *) cxt;
	Size		data = MAXALIGN(size);
	BumpChunk  *c;

	if (data >= LARGE_CHUNK)
	{
		/* a mapping of its own; the bump block stays where it was */
		BumpBlock  *b = new_block(rc, BLOCK_HEAD + CHUNK_HEAD + data);

		c = (BumpChunk *) ((char *) b + BLOCK_HEAD);
	}
	else
	{
		if (rc->free == NULL || (Size) (rc->end - rc->free) < CHUNK_HEAD + data)
		{
			Size		want = Max(rc->next_block, BLOCK_HEAD + CHUNK_HEAD + data);
			BumpBlock  *b = new_block(rc, want);

			rc->free = (char *) b + BLOCK_HEAD;
			rc->end = (char *) b + b->len;
			rc->next_block = Min(rc->next_block * 2, MAX_BLOCK);
		}
		c = (BumpChunk *) rc->free;
		rc->free += CHUNK_HEAD + data;
	}
	c->size = data;
	c->cxt = cxt;
	rc->live++;
	return (char *) c + CHUNK_HEAD;
}

static void bump_reset(MemoryContext cxt);

static void
bump_free(MemoryContext cxt, void *p)
{
	BumpContext *rc = (BumpContext *) cxt;
	BumpChunk  *c = chunk_of(p);

	if (c->size >= LARGE_CHUNK)
		unlink_block(rc, (BumpBlock *) ((char *) c - BLOCK_HEAD));
	/* a small chunk goes with its block, when the last one goes */
	if (--rc->live == 0)
		bump_reset(cxt);
}

static void *
bump_realloc(MemoryContext cxt, void *p, Size size)
{
	BumpChunk  *c = chunk_of(p);
	void	   *q;

	if (MAXALIGN(size) <= c->size)
		return p;
	q = bump_alloc(cxt, size);
	memcpy(q, p, c->size);
	bump_free(cxt, p);
	return q;
}

static void
bump_reset(MemoryContext cxt)
{
	BumpContext *rc = (BumpContext *) cxt;

	while (rc->blocks)
		unlink_block(rc, rc->blocks);
	rc->free = rc->end = NULL;
	rc->next_block = FIRST_BLOCK;
	rc->live = 0;
}

static void
bump_delete(MemoryContext cxt)
{
	bump_reset(cxt);
	free(cxt);
}

static Size
bump_chunk_space(MemoryContext cxt pg_attribute_unused(), void *p)
{
	return CHUNK_HEAD + chunk_of(p)->size;
}

static bool
bump_is_empty(MemoryContext cxt)
{
	return ((BumpContext *) cxt)->blocks == NULL;
}

static void
bump_stats(MemoryContext cxt, MemoryStatsPrintFunc printfunc, void *passthru,
		   MemoryContextCounters *totals, bool print_to_stderr)
{
	BumpContext *rc = (BumpContext *) cxt;
	Size		freespace = rc->free ? (Size) (rc->end - rc->free) : 0;
	Size		nblocks = 0;

	for (BumpBlock *b = rc->blocks; b; b = b->next)
		nblocks++;
	if (printfunc)
	{
		char		stats[200];

		snprintf(stats, sizeof(stats),
				 "%zu total in %zu huge-page mappings; %zu free; %zu used",
				 rc->mapped, nblocks, freespace, rc->mapped - freespace);
		printfunc(cxt, passthru, stats, print_to_stderr);
	}
	if (totals)
	{
		totals->nblocks += nblocks;
		totals->totalspace += rc->mapped;
		totals->freespace += freespace;
	}
}

#ifdef MEMORY_CONTEXT_CHECKING
static void
bump_check(MemoryContext cxt pg_attribute_unused())
{
	/* chunks carry no sentinels: nothing to check */
}
#endif

static const MemoryContextMethods bump_methods = {
	bump_alloc,
	bump_free,
	bump_realloc,
	bump_reset,
	bump_delete,
	bump_chunk_space,
	bump_is_empty,
	bump_stats
#ifdef MEMORY_CONTEXT_CHECKING
	,bump_check
#endif
};

/*
 * A bump context under parent.  PostgreSQL 15 knows three kinds of
 * context by their node tags, and checks (in assert-enabled builds) that a
 * chunk's context is one of them; this one goes by the generation
 * context's tag, whose behaviour it shares (allocations that live and die
 * together), while its own methods do the work.
 */
MemoryContext
cr_bump_context_create(MemoryContext parent, const char *name)
{
	BumpContext *rc;

	if (!cr_huge_maps())
		return AllocSetContextCreateInternal(parent, name, ALLOCSET_DEFAULT_SIZES);

	rc = (BumpContext *) malloc(sizeof(BumpContext));
	if (rc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed while creating memory context \"%s\".", name)));
	rc->blocks = NULL;
	rc->free = rc->end = NULL;
	rc->next_block = FIRST_BLOCK;
	rc->mapped = 0;
	rc->live = 0;
	MemoryContextCreate(&rc->header, T_GenerationContext, &bump_methods, parent, name);
	return &rc->header;
}

/*
 * An empty bump context under parent, named name (the same pointer): one
 * such that an earlier user left empty (its last chunk freed) if there is
 * one, else a new one.  For contexts whose chunks are all freed when their
 * user is done (a tuplestore's): an empty one is no one's any more.
 */
MemoryContext
cr_bump_context_empty(MemoryContext parent, const char *name)
{
	for (MemoryContext c = parent->firstchild; c != NULL; c = c->nextchild)
		if (c->methods == &bump_methods && c->name == name &&
			((BumpContext *) c)->live == 0 && c->firstchild == NULL)
			return c;
	return cr_bump_context_create(parent, name);
}

/* the first bump block of cxt sized for size bytes of chunks, if it is ours */
void
cr_bump_context_expect(MemoryContext cxt, Size size)
{
	if (cxt->methods == &bump_methods && ((BumpContext *) cxt)->blocks == NULL)
		((BumpContext *) cxt)->next_block = Min(Max(size, FIRST_BLOCK), MAX_BLOCK);
}
