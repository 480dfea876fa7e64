/*
 * big_alloc.c
 *		Arrays of megabytes, in transparent huge pages where the kernel has them.
 *
 * The impact engine's graph and search arrays are tens of megabytes written
 * once, front to back.  Fresh memory costs a page fault per 4 kB page, and on
 * the virtual machines this project runs on a fault costs 10-15 us: 16 MB of
 * edges took 45 ms of faults and a millisecond of writing.  With huge pages
 * (madvise, honoured when transparent_hugepage is "madvise" or "always") it
 * is one fault per 2 MB, but only for whole 2 MB pages, and malloc's chunks
 * start anywhere: a 3 MB array rarely holds one.  So an array of 1 MB or more
 * gets a mapping of its own that starts on a 2 MB boundary (and rounds up to
 * whole huge pages: at most 2 MB more memory than asked for, per array).
 *
 * Such a mapping belongs to a memory context all the same: a reset callback
 * registered in the context unmaps it when the context is reset or deleted
 * (so an error cleans it up like any palloc), and cr_free_big() unmaps it
 * earlier.  MemoryContextStats() does not count it.  Smaller arrays, and
 * platforms without MAP_ANONYMOUS and MADV_HUGEPAGE, take plain palloc.
 */
#include "postgres.h"

#ifndef WIN32
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "utils/memutils.h"

#include "ceptoar_registry.h"

#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
#define BIG_MAP 1
#endif

#define HUGE_PAGE	((Size) 2 * 1024 * 1024)
#define BIG_MIN		(HUGE_PAGE / 2) /* from here on, a mapping of its own */

#ifdef BIG_MAP
/* lives in the owning context; map NULL once unmapped */
typedef struct BigMap
{
	MemoryContextCallback cb;
	char	   *map;
	Size		len;
} BigMap;

/* the last bytes of the page before the data */
typedef struct BigHeader
{
	BigMap	   *owner;
} BigHeader;

static void
big_unmap(void *arg)
{
	BigMap	   *m = (BigMap *) arg;

	if (m->map)
		(void) munmap(m->map, m->len);
	m->map = NULL;
}

static inline BigHeader *
header_of(void *p)
{
	return (BigHeader *) ((char *) p - sizeof(BigHeader));
}
#endif

#ifdef BIG_MAP
/*
 * A fresh anonymous mapping whose data, of at least size bytes, starts on a
 * 2 MB boundary, with head bytes before it, advised into huge pages.  The
 * mapping is [*start, *start + *len).
 */
static char *
map_aligned(Size size, Size head, char **start, Size *len)
{
	Size		data_len = TYPEALIGN(HUGE_PAGE, size);
	Size		raw_len = data_len + HUGE_PAGE + head;
	char	   *raw,
			   *data,
			   *end;

	raw = mmap(NULL, raw_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed on request of size %zu.", size)));
	/* the data on the first 2 MB boundary after the head */
	data = (char *) TYPEALIGN(HUGE_PAGE, raw + head);
	*start = data - head;
	end = data + data_len;
	if (*start > raw)
		(void) munmap(raw, *start - raw);
	if (raw + raw_len > end)
		(void) munmap(end, raw + raw_len - end);
	*len = end - *start;
	(void) madvise(data, data_len, MADV_HUGEPAGE);
	return data;
}
#endif

/*
 * size bytes that live as long as cxt (or until cr_free_big), zeroed if
 * zero.  A mapping of its own is zero already, page by page as it is first
 * touched (in huge pages, after the advice): an array of a million entries
 * of which a call touches a few costs a few faults, not a million writes.
 */
void *
cr_alloc_big(MemoryContext cxt, Size size, bool zero)
{
#ifdef BIG_MAP
	if (size >= BIG_MIN)
	{
		BigMap	   *m = MemoryContextAllocZero(cxt, sizeof(BigMap));

		/* the header's own page, before the data; pages may be 64 kB */
		long		ps = sysconf(_SC_PAGESIZE);
		char	   *data;
		BigHeader  *h;

		m->cb.func = big_unmap;
		m->cb.arg = m;
		MemoryContextRegisterResetCallback(cxt, &m->cb);
		data = map_aligned(size, ps > 0 ? (Size) ps : 4096, &m->map, &m->len);
		h = header_of(data);
		h->owner = m;
		return data;			/* zero: a fresh anonymous mapping */
	}
#endif
	return MemoryContextAllocExtended(cxt, Max(size, 1),
									  MCXT_ALLOC_HUGE | (zero ? MCXT_ALLOC_ZERO : 0));
}

/* whether cr_map_huge() maps */
bool
cr_huge_maps(void)
{
#ifdef BIG_MAP
	return true;
#else
	return false;
#endif
}

/*
 * At least size bytes, zero, in huge pages, starting on a 2 MB boundary, not
 * in any memory context: the caller gives them back with cr_unmap_huge(p,
 * *len).  NULL where there are no such mappings (cr_huge_maps()).
 */
void *
cr_map_huge(Size size, Size *len)
{
#ifdef BIG_MAP
	char	   *start;

	return map_aligned(size, 0, &start, len);
#else
	*len = 0;
	return NULL;
#endif
}

void
cr_unmap_huge(void *p, Size len)
{
#ifdef BIG_MAP
	(void) munmap(p, len);
#endif
}

/* give p, of size bytes, back now rather than with its context */
void
cr_free_big(void *p, Size size)
{
#ifdef BIG_MAP
	if (size >= BIG_MIN)
	{
		big_unmap(header_of(p)->owner);
		return;
	}
#endif
	pfree(p);
}

/* p, of old bytes, as new bytes in cxt (its context); the contents kept */
void *
cr_realloc_big(MemoryContext cxt, void *p, Size old, Size new)
{
	void	   *q;

#ifdef BIG_MAP
	if (old < BIG_MIN && new < BIG_MIN)
#endif
		return repalloc_huge(p, Max(new, 1));
	q = cr_alloc_big(cxt, new, false);
	memcpy(q, p, Min(old, new));
	cr_free_big(p, old);
	return q;
}
