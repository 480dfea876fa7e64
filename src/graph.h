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
 * The geodesic area of an instance's own area, the denominator of its
 * population share: costly (thousands of points projected), and the same
 * until the area changes.  Keyed by a hash of the geometry's bytes, not by
 * the graph's life: the graph comes from the latest committed snapshot and
 * the geometry from the statement's, which can differ.
 */
typedef struct AreaMemo
{
	uint64		hash;
	double		area;			/* -1: none yet */
} AreaMemo;

typedef struct Graph
{
	int			n;				/* instances */
	int64	   *ids;			/* ascending */
	Service    *service;
	int64	   *population;		/* -1: NULL */
	uint8	   *has;			/* HAS_AREA, HAS_SITE */
	int64		dense_base;		/* ids - dense_base index "dense", if not NULL */
	int64		dense_len;
	int32	   *dense;
	int64		m;				/* dependencies */
	int64	   *out_start;		/* n + 1, by supplier */
	Edge	   *out;			/* by supplier */
	Oid			geometry_type;
	bool		any_geometry;
	bool		from_image;		/* read from the shared image, not the tables */
	uint32	   *stamp;			/* per-call validity of node states */
	AreaMemo   *whole_area;		/* geodesic area of each own area, once
								 * measured */
	struct Scratch *scratch;	/* the one-pass search's memory, NULL until
								 * used */
	uint32		call;
} Graph;

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

/* index of an instance id, or -1 */
static inline int
cr_graph_index(const Graph *g, int64 id)
{
	int			lo = 0,
				hi = g->n - 1;

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

/*
 * The searches' one tie-break (docs/impact-semantics.md): of two instances
 * otherwise equal, the one with the smaller id comes first and is the via.
 * Indexes are in id order, so it compares indexes.
 */
static inline bool
cr_graph_precedes(int a, int b)
{
	return a < b;
}

/* graph.c */
extern Graph *cr_graph_get(Oid fn, Snapshot snap, MemoryContext query_cxt);
extern void cr_graph_alloc_instances(Graph *g, MemoryContext cxt);
extern void cr_graph_index_dense(Graph *g, MemoryContext cxt);

/* graph_image.c */
extern bool cr_graph_token(Relation *rels, Snapshot snap, GraphToken *tok);
extern bool cr_graph_token_equal(const GraphToken *a, const GraphToken *b);
extern bool cr_graph_image_read(const GraphToken *tok, Graph *g, MemoryContext cxt);
extern void cr_graph_image_write(const GraphToken *tok, const Graph *g);

#endif							/* CEPTOAR_GRAPH_H */
