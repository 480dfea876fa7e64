/*
 * graph.h
 *		The impact engine's dependency graph in memory (graph.c), its image
 *		shared between backends through a file (graph_image.c) and the counter
 *		of its changes (graph_counter.c).
 */
#ifndef CEPTOAR_GRAPH_H
#define CEPTOAR_GRAPH_H

#include "utils/rel.h"
#include "utils/snapshot.h"

#include "ceptoar_registry.h"

#define HAS_AREA	0x01
#define HAS_SITE	0x02
#define MODE_SITE	1

/* one dependency, from its supplier's side: one 16-byte record, one cache miss */
typedef struct Edge
{
	int64		buffer;			/* microseconds */
	int32		dep;			/* the dependent's index */
	uint8		mode;
} Edge;

/*
 * What changed since an image, laid over it (graph_delta.c): instances
 * changed, deleted or new, and the out-edges of suppliers whose dependencies
 * changed, in private memory proportional to the change.  Instances keep
 * the image's indexes; new ones follow them (n_base, n_base + 1, ...), so
 * their indexes are not in id order.  Edges of the delta are numbered after
 * the image's (m_base, m_base + 1, ...).
 */
typedef struct OverNode
{
	int64		id;
	int64		population;		/* -1: NULL */
	int64		lo;				/* its out-edges: [lo, hi) of the delta's */
	int64		hi;
	Service		service;
	uint8		has;
	bool		deleted;		/* gone: no index, no edges */
	bool		edges;			/* its out-edges are the delta's, not the
								 * image's */
} OverNode;

typedef struct GraphDelta
{
	int			n_base;			/* the image's instances and edges */
	int64		m_base;
	int			nnew;			/* over[0 .. nnew): indexes n_base + k */
	int			nover;
	OverNode   *over;
	const uint64 *changed;		/* bit per image instance: in over[] */
	void	   *by_index;		/* image index -> slot of over[] */
	void	   *by_id;			/* id -> index (-1: deleted), new or deleted */
	const Edge *out;			/* the delta's edges */
	int64		m_over;
	int64		keys;			/* keys read */
} GraphDelta;

/* the mode bit of an edge in 8 bytes (Graph.out8) */
#define OUT8_SITE		(UINT64CONST(1) << 63)

/*
 * The graph of a statement: compressed sparse rows by supplier, pointer-free,
 * normally mapped read-only from the image file that every backend of the
 * database shares (graph_image.c), else private arrays (graph.c), and
 * possibly a delta over it.  Nothing here is written after it is built: the
 * searches keep their state of each call in memory of their own.  Read it
 * through the functions below, which see the delta.
 */
typedef struct Graph
{
	int			n;				/* instances (indexes), with the delta's */
	const int64 *ids;			/* ascending */
	const Service *service;
	const int64 *population;	/* -1: NULL */
	const uint8 *has;			/* HAS_AREA, HAS_SITE */
	int64		dense_base;		/* ids - dense_base index "dense", if not NULL */
	int64		dense_len;
	const int32 *dense;
	int64		m;				/* dependencies (edge numbers), with the
								 * delta's */
	const int64 *out_start;		/* n + 1, by supplier */
	const Edge *out;			/* by supplier */
	const GraphDelta *delta;	/* NULL: none */

	/*
	 * A common divisor of every edge's buffer (0: all are 0; -1: unknown) and
	 * a bound of them, in microseconds: the one-pass search counts onsets in
	 * such units (impact_times.c)
	 */
	int64		buffer_unit;
	int64		buffer_max;

	/*
	 * The edges again in 8 bytes, where the image has them (else NULL), of
	 * the image's instances: (uint32) dependent | buffer in units of
	 * out8_unit << 32 | OUT8_SITE, from start32[s] to start32[s + 1]
	 */
	const int32 *start32;
	const uint64 *out8;
	int64		out8_unit;
	Oid			geometry_type;
	bool		any_geometry;
	bool		from_image;		/* read from the shared image, not the tables */
	bool		mapped;			/* the arrays are the shared image's mapping */
} Graph;

extern const OverNode *cr_graph_over_slow(const GraphDelta *d, int i);
extern int	cr_graph_index_delta(const Graph *g, int64 id);

/* what the delta says of instance i, or NULL */
static inline const OverNode *
cr_graph_over(const Graph *g, int i)
{
	const GraphDelta *d = g->delta;

	if (likely(d == NULL))
		return NULL;
	if (i >= d->n_base)
		return &d->over[i - d->n_base];
	if (!(d->changed[i >> 6] & (UINT64CONST(1) << (i & 63))))
		return NULL;
	return cr_graph_over_slow(d, i);
}

static inline int64
cr_graph_id(const Graph *g, int i)
{
	const OverNode *o = cr_graph_over(g, i);

	return o ? o->id : g->ids[i];
}

static inline Service
cr_graph_service(const Graph *g, int i)
{
	const OverNode *o = cr_graph_over(g, i);

	return o ? o->service : g->service[i];
}

static inline int64
cr_graph_population(const Graph *g, int i)
{
	const OverNode *o = cr_graph_over(g, i);

	return o ? o->population : g->population[i];
}

static inline uint8
cr_graph_has(const Graph *g, int i)
{
	const OverNode *o = cr_graph_over(g, i);

	return o ? o->has : g->has[i];
}

/*
 * The out-edges of s: *count edges from the one returned, numbered *first,
 * *first + 1, ... among all of the graph's.
 */
static inline const Edge *
cr_graph_out(const Graph *g, int s, int64 *first, int64 *count)
{
	const OverNode *o = cr_graph_over(g, s);

	if (o && o->edges)
	{
		*first = g->delta->m_base + o->lo;
		*count = o->hi - o->lo;
		return g->delta->out + o->lo;
	}
	*first = g->out_start[s];
	*count = g->out_start[s + 1] - *first;
	return g->out + *first;
}

/* edge number x (cr_graph_out) */
static inline const Edge *
cr_graph_edge(const Graph *g, int64 x)
{
	if (g->delta && x >= g->delta->m_base)
		return &g->delta->out[x - g->delta->m_base];
	return &g->out[x];
}

/*
 * What a graph was read from: the three tables as they were (relfilenode and
 * length change with TRUNCATE, rewrites and bulk loads) and how many changes
 * graph_version had counted.
 */
#define GRAPH_RELS	3			/* service_instance, dependency, graph_version */

typedef struct GraphToken
{
	Oid			dboid;
	Oid			relid[GRAPH_RELS];
	Oid			relfilenode[GRAPH_RELS];
	uint32		nblocks[GRAPH_RELS];
	int64		changes;
} GraphToken;

/* index of an instance id in the image's (or the tables') arrays, or -1 */
static inline int
cr_graph_index_base(const Graph *g, int64 id)
{
	int			lo = 0,
				hi = (g->delta ? g->delta->n_base : g->n) - 1;

	if (g->dense)
	{
		/* unsigned: ids may span all of bigint; one below the base wraps high */
		uint64		k = (uint64) id - (uint64) g->dense_base;

		return (k < (uint64) g->dense_len) ? g->dense[k] : -1;
	}
	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (g->ids[mid] == id)
			return mid;
		if (g->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* index of an instance id, or -1 */
static inline int
cr_graph_index(const Graph *g, int64 id)
{
	if (g->delta)
		return cr_graph_index_delta(g, id);
	return cr_graph_index_base(g, id);
}

/*
 * The searches' one tie-break (docs/impact-semantics.md): of two instances
 * otherwise equal, the one with the smaller id comes first and is the via.
 * The image's indexes are in id order, so it compares indexes, unless one is
 * new in the delta.
 */
static inline bool
cr_graph_precedes(const Graph *g, int a, int b)
{
	if (g->delta && (a >= g->delta->n_base || b >= g->delta->n_base))
		return cr_graph_id(g, a) < cr_graph_id(g, b);
	return a < b;
}

/*
 * Take buffer b (microseconds) into a graph's buffer_unit and buffer_max,
 * which start at 0 (for all of its edges, or some more: then the unit still
 * divides theirs, and the bound still bounds them).
 */
static inline void
cr_graph_note_buffer(int64 *unit, int64 *max, int64 b)
{
	if (*unit < 0 || b < 0)
	{
		*unit = -1;
		return;
	}
	if (b > *max)
		*max = b;
	if (*unit == 0 || b % *unit != 0)
	{
		int64		a = *unit;

		while (b != 0)
		{
			int64		r = a % b;

			a = b;
			b = r;
		}
		*unit = a;
	}
}

/* the order of cr_graph_precedes needs ids, not indexes */
static inline bool
cr_graph_new_instances(const Graph *g)
{
	return g->delta && g->delta->nnew > 0;
}

/*
 * An image mapped (graph_image.c): the graph it holds, what it was read
 * from, and the snapshot it was read with (full transaction ids), by which a
 * delta over it is found (graph_delta.c).
 */
typedef struct GraphImage
{
	MemoryContext cxt;			/* holds the mapping, and this */
	uint64		dev;			/* the file, which a newer image replaces */
	uint64		ino;
	GraphToken	tok;
	Oid			log_relid;		/* graph_change as it was */
	Oid			log_relfilenode;
	uint64		xmin;
	uint64		xmax;
	int32		nxip;			/* -1: unknown, no delta over this image */
	const uint64 *xip;			/* running then, ascending */
	Graph		g;
} GraphImage;

/* graph.c */
extern Graph *cr_graph_get(Oid fn, Snapshot snap, MemoryContext query_cxt);
extern void cr_graph_pin(const Graph *g, MemoryContext holder);
extern int32 *cr_graph_index_dense(const int64 *ids, int n, int64 *base, int64 *len,
								   MemoryContext cxt);

/* graph_image.c */
extern bool cr_graph_token(Relation *rels, Snapshot snap, GraphToken *tok);
extern bool cr_graph_token_equal(const GraphToken *a, const GraphToken *b);
extern GraphImage *cr_graph_image_map(MemoryContext parent);
extern bool cr_graph_image_is_current(const GraphImage *img);
extern bool cr_graph_log_complete_for(Relation log, Snapshot snap);
extern GraphImage *cr_graph_image_write(const GraphToken *tok, Relation log, Snapshot snap,
										const Graph *g, MemoryContext parent);

/* graph_delta.c */
extern uint64 cr_full_xid(TransactionId xid);
extern bool cr_graph_delta(Graph *g, const GraphImage *img, Relation *rels, Relation log,
						   Snapshot snap, int64 max_keys, MemoryContext cxt);
extern Graph *cr_graph_fold(const Graph *g, MemoryContext cxt);

#endif							/* CEPTOAR_GRAPH_H */
