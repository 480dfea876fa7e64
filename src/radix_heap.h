/*
 * radix_heap.h
 *		A monotone priority queue of instances keyed by (onset, depth), for the
 *		shortest-path passes of the impact engine (a radix heap: Ahuja,
 *		Mehlhorn, Orlin and Tarjan, 1990).
 *
 * Keys never go down: every key pushed is at least the last key popped,
 * which is what a shortest-path search over non-negative buffers produces.
 * An item waits in the bucket of the highest bit in which its key differs
 * from the last key popped (bucket 0: equal), so a push is an append and an
 * item is moved at most once per key bit, by sequential copies; the binary
 * heap this replaces touched a random cache line on every level of every
 * sift, and was most of the time of a national-scale impact().  The key is
 * two words, the onset relative to the start of the search and the depth,
 * so no buffer or horizon can overflow it.  Decrease-key is a second push:
 * the caller skips the stale copy when it comes out.
 */
#ifndef CEPTOAR_RADIX_HEAP_H
#define CEPTOAR_RADIX_HEAP_H

#include "port/pg_bitutils.h"
#include "utils/palloc.h"

typedef struct RadixItem
{
	uint64		t;				/* onset - start of the search */
	uint32		depth;
	int32		i;				/* the instance's index */
} RadixItem;

typedef struct RadixBucket
{
	RadixItem  *a;
	int64		n;
	int64		cap;
} RadixBucket;

/* bucket 0: the last key; 1..32: depths; 33..96: onsets */
#define RADIX_BUCKETS	(1 + 32 + 64)

typedef struct RadixHeap
{
	RadixBucket b[RADIX_BUCKETS];
	uint64		last_t;
	uint32		last_depth;
	int64		size;
	MemoryContext cxt;			/* of the buckets */
	MemoryContext big;			/* of the big ones, NULL until one is */
} RadixHeap;

extern void cr_radix_init(RadixHeap *h, MemoryContext cxt);
extern void cr_radix_grow(RadixHeap *h, RadixBucket *b);
extern void cr_radix_refill(RadixHeap *h);
extern void cr_grow_array(void **a, int64 *cap, int64 n, Size elem, int64 first,
						  MemoryContext cxt, MemoryContext *big);

static inline int
cr_radix_bucket(const RadixHeap *h, uint64 t, uint32 depth)
{
	if (t != h->last_t)
		return 33 + pg_leftmost_one_pos64(t ^ h->last_t);
	if (depth != h->last_depth)
		return 1 + pg_leftmost_one_pos32(depth ^ h->last_depth);
	return 0;
}

static inline void
cr_radix_append(RadixHeap *h, RadixBucket *b, RadixItem it)
{
	if (b->n == b->cap)
		cr_radix_grow(h, b);
	b->a[b->n++] = it;
}

static inline void
cr_radix_push(RadixHeap *h, uint64 t, uint32 depth, int32 i)
{
	RadixItem	it = {t, depth, i};

	Assert(t > h->last_t || (t == h->last_t && depth >= h->last_depth));
	cr_radix_append(h, &h->b[cr_radix_bucket(h, t, depth)], it);
	h->size++;
}

/* the item with the least key; the heap must not be empty */
static inline RadixItem
cr_radix_pop(RadixHeap *h)
{
	Assert(h->size > 0);
	if (h->b[0].n == 0)
		cr_radix_refill(h);
	h->size--;
	return h->b[0].a[--h->b[0].n];
}

/*
 * The item that the k-th next cr_radix_pop() will return (k = 0: the next one)
 * if it is already known, or NULL: worth prefetching.  Pushes never go to
 * bucket 0 when they have a greater depth than the last key.
 */
static inline const RadixItem *
cr_radix_peek(const RadixHeap *h, int k)
{
	return h->b[0].n > k ? &h->b[0].a[h->b[0].n - 1 - k] : NULL;
}

#endif							/* CEPTOAR_RADIX_HEAP_H */
