/*
 * radix_heap.c
 *		The out-of-line parts of the radix heap (see radix_heap.h): growing a
 *		bucket and refilling bucket 0.  Memory comes from the current memory
 *		context and goes with it.
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "radix_heap.h"

void
radix_init(RadixHeap *h)
{
	memset(h, 0, sizeof(RadixHeap));
}

void
radix_grow(RadixBucket *b)
{
	if (b->a == NULL)
	{
		b->cap = 256;
		b->a = palloc(sizeof(RadixItem) * b->cap);
	}
	else
	{
		b->cap *= 2;
		b->a = repalloc_huge(b->a, sizeof(RadixItem) * b->cap);
	}
}

/*
 * Bucket 0 is empty: the least key is in the first non-empty bucket.  It
 * becomes the last key, and that bucket's items move to lower buckets
 * (those equal to it to bucket 0), since they now differ from the last key
 * in lower bits only.
 */
void
radix_refill(RadixHeap *h)
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
		radix_append(&h->b[radix_bucket(h, b->a[k].t, b->a[k].depth)], b->a[k]);
	b->n = 0;
}
