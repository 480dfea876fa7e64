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
 * The graph of a statement: compressed sparse rows by supplier, pointer-free,
 * normally mapped read-only from the image file that every backend of the
 * database shares (graph_image.c), else private arrays (graph.c).  Nothing
 * here is written after it is built: the searches keep their state of each
 * call in memory of their own, sized by what they visit.
 */
typedef struct Graph
{
	int			n;				/* instances */
	const int64 *ids;			/* ascending */
	const Service *service;
	const int64 *population;	/* -1: NULL */
	const uint8 *has;			/* HAS_AREA, HAS_SITE */
	int64		dense_base;		/* ids - dense_base index "dense", if not NULL */
	int64		dense_len;
	const int32 *dense;
	int64		m;				/* dependencies */
	const int64 *out_start;		/* n + 1, by supplier */
	const Edge *out;			/* by supplier */
	Oid			geometry_type;
	bool		any_geometry;
	bool		from_image;		/* read from the shared image, not the tables */
	bool		mapped;			/* the arrays are the shared image's mapping */
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
extern int32 *cr_graph_index_dense(const int64 *ids, int n, int64 *base, int64 *len,
								   MemoryContext cxt);

/* graph_image.c */
extern bool cr_graph_token(Relation *rels, Snapshot snap, GraphToken *tok);
extern bool cr_graph_token_equal(const GraphToken *a, const GraphToken *b);
extern bool cr_graph_image_map(const GraphToken *tok, Graph *g, MemoryContext cxt);
extern bool cr_graph_image_write(const GraphToken *tok, Graph *g, MemoryContext cxt);

#endif							/* CEPTOAR_GRAPH_H */
