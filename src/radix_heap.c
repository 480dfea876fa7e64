/*
 * radix_heap.c
 *		The out-of-line parts of the radix heap (see radix_heap.h): growing a
 *		bucket and refilling bucket 0.  The buckets' memory comes from the
 *		context given to cr_radix_init() (and a child of it) and goes with it.
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "ceptoar_registry.h"
#include "radix_heap.h"

/* an empty heap whose buckets will live in cxt */
void
cr_radix_init(RadixHeap *h, MemoryContext cxt)
{
	memset(h, 0, sizeof(RadixHeap));
	h->cxt = cxt;
}

/*
 * Buckets of 64 kB or more grow in a bump context of the heap's own (in huge
 * pages, bump_context.c): a national search's buckets take megabytes, which
 * as malloc blocks would be faulted in 4 kB at a time on every call, or kept
 * in the backend after it.  A small search's buckets stay small chunks.
 */
#define RADIX_BIG_BUCKET	((Size) 64 * 1024)

void
cr_radix_grow(RadixHeap *h, RadixBucket *b)
{
	cr_grow_array((void **) &b->a, &b->cap, b->n, sizeof(RadixItem), 256, h->cxt, &h->big);
}

/*
 * *a, of n elements of elem bytes (of *cap allocated, *a NULL at first),
 * twice as long (first elements at first): in cxt while small, else in a
 * bump context below it (*big, made at the first big array), as the radix
 * heap's buckets are.
 */
void
cr_grow_array(void **a, int64 *cap, int64 n, Size elem, int64 first,
			  MemoryContext cxt, MemoryContext *big)
{
	int64		grown = *a ? *cap * 2 : first;
	Size		bytes = elem * grown;
	void	   *p;

	if (bytes < RADIX_BIG_BUCKET)
		p = MemoryContextAlloc(cxt, bytes);
	else
	{
		if (*big == NULL)
			*big = cr_bump_context_create(cxt, "ceptoar search heap");
		p = MemoryContextAllocHuge(*big, bytes);
	}
	if (*a)
	{
		memcpy(p, *a, elem * n);
		pfree(*a);
	}
	*a = p;
	*cap = grown;
}

/*
 * Bucket 0 is empty: the least key is in the first non-empty bucket.  It
 * becomes the last key, and that bucket's items move to lower buckets
 * (those equal to it to bucket 0), since they now differ from the last key
 * in lower bits only.
 */
void
cr_radix_refill(RadixHeap *h)
{
	int			j = 1;
	RadixBucket *b;
	RadixItem	least;

	while (h->b[j].n == 0)
	{
		j++;
		Assert(j < RADIX_BUCKETS);
	}
	b = &h->b[j];
	least = b->a[0];
	for (int64 k = 1; k < b->n; k++)
		if (b->a[k].t < least.t || (b->a[k].t == least.t && b->a[k].depth < least.depth))
			least = b->a[k];
	h->last_t = least.t;
	h->last_depth = least.depth;
	for (int64 k = 0; k < b->n; k++)
		cr_radix_append(h, &h->b[cr_radix_bucket(h, b->a[k].t, b->a[k].depth)], b->a[k]);
	b->n = 0;
}
