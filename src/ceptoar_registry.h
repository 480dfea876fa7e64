/*
 * ceptoar_registry.h
 *		What several files of ceptoar_registry share: the value layouts of the
 *		by-value types, the compiled-in catalogues, and the error helpers.
 *
 * The catalogues are C tables on purpose: type input and output must never
 * read a table (output functions run inside logical decoding), and one
 * source of truth serves the parser, the error hints and the SQL views.
 */
#ifndef CEPTOAR_REGISTRY_H
#define CEPTOAR_REGISTRY_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "datatype/timestamp.h"
#include "utils/date.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"

/*
 * sector: int2, the sector's position in NISC's official order (1..15).
 * 0 is never a valid value.  Order of values = NISC order, so btree and hash
 * support reuse the int2 functions.
 */
typedef int16 Sector;

#define CR_NSECTORS			15
#define DatumGetSector(X)	((Sector) DatumGetInt16(X))
#define SectorGetDatum(X)	Int16GetDatum(X)
#define PG_GETARG_SECTOR(n) DatumGetSector(PG_GETARG_DATUM(n))
#define PG_RETURN_SECTOR(x) return SectorGetDatum(x)

/*
 * service: int4, a path of up to four labels, one byte each, most
 * significant first: sector, then child numbers (0 = no label).  So the
 * integer order is a pre-order walk of the tree (parents before children,
 * siblings in catalogue order) and "a is an ancestor of b" is a prefix test.
 * Child numbers are frozen once released; new services get new numbers.
 */
typedef int32 Service;

#define CR_SERVICE(a,b,c,d) ((Service) (((a) << 24) | ((b) << 16) | ((c) << 8) | (d)))
#define CR_SERVICE_SECTOR(s) ((Sector) (((uint32) (s)) >> 24))
#define DatumGetService(X)	((Service) DatumGetInt32(X))
#define ServiceGetDatum(X)	Int32GetDatum(X)
#define PG_GETARG_SERVICE(n) DatumGetService(PG_GETARG_DATUM(n))
#define PG_RETURN_SERVICE(x) return ServiceGetDatum(x)

/*
 * tlp: int2, a Traffic Light Protocol 2.0 label's rank, clear = 0 ... red = 4
 * (tlp.c).  Order of values = order of restriction, so btree and hash
 * support reuse the int2 functions, as for sector.
 */
typedef int16 Tlp;

#define CR_TLP_CLEAR		0
#define CR_TLP_GREEN		1
#define CR_TLP_AMBER		2
#define CR_TLP_AMBER_STRICT 3
#define CR_TLP_RED			4
#define CR_NTLP				5
#define DatumGetTlp(X)		((Tlp) DatumGetInt16(X))
#define TlpGetDatum(X)		Int16GetDatum(X)
#define PG_GETARG_TLP(n)	DatumGetTlp(PG_GETARG_DATUM(n))
#define PG_RETURN_TLP(x)	return TlpGetDatum(x)

/* Binary format version of tlp: this byte, then the rank as one byte. */
#define CR_TLP_BINARY_VERSION 1

/* lengthof() as an int, for loops over the catalogues */
#define NELEM(a)			((int) lengthof(a))

/* Longest literal any catalogue accepts; longer input is rejected early. */
#define CR_MAX_NAME			96

/* Binary format version of sector and service (send/recv). */
#define CR_NAME_BINARY_VERSION 1

/* What an entry of the service tree is. */
typedef enum CrServiceKind
{
	CR_KIND_SECTOR,				/* the root: all services of a sector */
	CR_KIND_SCOPE,				/* a business scope (事業の範囲) grouping
								 * services */
	CR_KIND_SERVICE,			/* a critical-infrastructure service */
	CR_KIND_CLASS				/* a class of a service that a law
								 * distinguishes */
} CrServiceKind;

typedef struct CrSectorInfo
{
	const char *code;			/* canonical code, lower case ASCII */
	const char *name_ja;		/* official Japanese name (UTF-8) */
	const char *name_en;
	const char *aliases_ja[4];	/* other accepted Japanese spellings */
	const char *plan_added;		/* code of the plan that added it */
	const char *source;
} CrSectorInfo;

typedef struct CrServiceInfo
{
	Service		id;
	const char *code;			/* full path, e.g. finance.bank.deposit */
	CrServiceKind kind;
	const char *scope_ja;		/* business scope (事業の範囲) */
	const char *scope_en;
	const char *name_ja;
	const char *name_en;
	const char *unit;			/* unit of scale; NULL for sector roots */
	const char *source;
} CrServiceInfo;

/* sector.c */
extern const CrSectorInfo cr_sectors[CR_NSECTORS + 1];
extern const CrSectorInfo *cr_sector_info(Sector s);
extern Sector cr_sector_parse(const char *str, bool report_errors);
extern Datum cr_text_datum_utf8(const char *utf8);
extern char *cr_utf8_to_server(const char *utf8);

/* tlp.c */
extern const char *const cr_tlp_labels[CR_NTLP];
extern const char *cr_tlp_label(Tlp t);
extern Tlp	cr_tlp_parse(const char *str);

/* service.c */
extern const CrServiceInfo cr_services[];
extern const int cr_nservices;
extern const CrServiceInfo *cr_service_info(Service s);
extern Service cr_service_parent(Service s);
extern int	cr_service_depth(Service s);
extern bool cr_service_contains(Service ancestor, Service descendant);
extern Service cr_service_parse(const char *str);
extern int	cr_service_pos(Service s);
extern Service cr_service_at(int pos);
#define CR_NCATALOGUE (CR_NSECTORS + cr_nservices)

/*
 * The catalogue position of a service without a call, for the hot paths
 * (classification per row): while every label number is below 16 (it is),
 * a 64 kB table maps a path to its position, filled with the names
 * (cr_service_pos fills it, so a caller has called that once first).
 */
#define CR_POS_INDEX(id) ((((id) >> 12) & 0xF000) | (((id) >> 8) & 0x0F00) | \
						  (((id) >> 4) & 0x00F0) | ((id) & 0x000F))
extern int8 cr_pos_table[1 << 16];
extern bool cr_pos_table_usable;

static inline int
cr_service_pos_quick(Service s)
{
	uint32		id = (uint32) s;

	if (likely(cr_pos_table_usable && (id & 0xF0F0F0F0) == 0))
		return cr_pos_table[CR_POS_INDEX(id)];
	return cr_service_pos(s);
}

/* names.c: normalising and looking up names */
typedef struct CrNameMap
{
	bool		built;
	int			nused;
	const char *keys[512];
	int16		lens[512];
	int32		values[512];
} CrNameMap;

extern int	cr_normalise(const char *in, char *out, bool *non_ascii);
extern void cr_namemap_add(CrNameMap *map, const char *key, int32 value);
extern bool cr_namemap_find(const CrNameMap *map, const char *key, int len,
							int32 *value);
extern bool cr_namemap_find_plain(const CrNameMap *map, const char *str,
								  int32 *value);
extern bytea *cr_send_name(const char *code);
extern char *cr_recv_name(StringInfo buf, const char *typname);

/* report.c: errors that name the bad part and say what is valid; numbers for people */
extern const char *cr_nearest(const char *input, const char *const *candidates,
							  int ncandidates);
extern char *cr_join(const char *const *items, int nitems);
extern void cr_report_bad_name(const char *typname, const char *input,
							   const char *detail, const char *nearest,
							   const char *what, const char *valid_list)
			pg_attribute_noreturn();
extern void cr_append_count(StringInfo buf, int64 n);
#define CR_COUNT_MAXLEN 32		/* "-9,223,372,036,854,775,808" and a NUL */
extern int	cr_write_count(char *out, int64 n);

/* time.c: Japan time, timestamps in the text forms, durations */

/*
 * Japan time is UTC+9 all year: Japan has had no summer time since 1951, so
 * a fixed offset needs no tz database and gives the same text in every
 * session.  (The tz database's Asia/Tokyo, which src/sql/040_time.sql uses,
 * differs only before 1888 and in the summers of 1948 to 1951.)
 */
#define CR_JST_OFFSET_USEC	((int64) 9 * USECS_PER_HOUR)

/* the white space of the text forms: blank, tab, newline, carriage return */
static inline bool
cr_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline const char *
cr_skip_spaces(const char *p)
{
	while (cr_is_space(*p))
		p++;
	return p;
}

extern DateADT cr_japan_day(TimestampTz t);
extern bool cr_parse_timestamp(const char *s, TimestampTz *result);
extern void cr_append_timestamp(StringInfo buf, TimestampTz t);
extern bool cr_parse_duration(const char **p, int64 *usec);
extern void cr_append_duration(StringInfo buf, int64 usec);
#define CR_DURATION_MAXLEN 64	/* "106751991 d 23 h 59 min 59.999999 s", room
								 * for pg_lltoa */
extern int	cr_write_duration(char *out, int64 usec);

/*
 * An interval as a duration in microseconds, with one rule: a month has no
 * fixed length (28 to 31 days, and interval arithmetic counts it as 30), so
 * an interval with months or years is refused rather than guessed at.  Days
 * are 24 hours (Japan has no summer time).  Exact in 128 bits: days and time of opposite signs may meet within
 * the int64 range though either alone overflows it.
 *
 * cr_interval_usec() raises the error; cr_interval_duration() only says what
 * is wrong, for callers that decide themselves (a table read whose CHECK
 * constraint already refuses all three faults), and cr_report_duration()
 * raises the same error as cr_interval_usec() would.  The checks are inline
 * and cheap, for loops over many rows; the error path is out of line.
 */
typedef enum CrDurationFault
{
	CR_DURATION_OK = 0,
	CR_DURATION_IN_MONTHS,		/* has months or years */
	CR_DURATION_NEGATIVE,
	CR_DURATION_TOO_LONG		/* beyond 2^63 - 1 microseconds */
} CrDurationFault;

#define CR_DURATION_HINT \
	"Give a duration in days, hours and minutes, from 0 to 106751991 days 04:00:54.775807."

extern void cr_report_duration(CrDurationFault fault, const char *what,
							   const Interval *iv) pg_attribute_noreturn();

/* the fault of iv as a duration; *usec is set when there is none */
static inline CrDurationFault
cr_interval_duration(const Interval *iv, int64 *usec)
{
	int128		r;

	if (unlikely(iv->month != 0))
		return CR_DURATION_IN_MONTHS;
	r = (int128) iv->day * USECS_PER_DAY + iv->time;
	if (unlikely(r < 0))
		return CR_DURATION_NEGATIVE;
	if (unlikely(r > PG_INT64_MAX))
		return CR_DURATION_TOO_LONG;
	*usec = (int64) r;
	return CR_DURATION_OK;
}

/* iv in microseconds, or an error naming the argument "what" */
static inline int64
cr_interval_usec(const Interval *iv, const char *what)
{
	int64		usec = 0;
	CrDurationFault fault = cr_interval_duration(iv, &usec);

	if (unlikely(fault != CR_DURATION_OK))
		cr_report_duration(fault, what, iv);
	return usec;
}


/*
 * incident: the facts of one IT failure.  Fixed length, passed by
 * reference, 64 bytes; this layout is the frozen on-disk format (version 1).
 * A measure whose "known" bit is clear is unknown, never zero, and is stored
 * as 0 so that equal values are equal bytes (hashing relies on it).
 */
#define CR_INCIDENT_VERSION	1

/* effect */
#define CR_EFFECT_STOP			0
#define CR_EFFECT_DEGRADATION	1
#define CR_EFFECT_DELAY			2
#define CR_EFFECT_LOSS			3
#define CR_NEFFECTS				4

/* cause */
#define CR_CAUSE_ATTACK		0
#define CR_CAUSE_FAILURE	1
#define CR_CAUSE_ERROR		2
#define CR_CAUSE_DISASTER	3
#define CR_CAUSE_CASCADE	4
#define CR_CAUSE_UNKNOWN	5
#define CR_NCAUSES			6

/* measures, in field order; bit i of "known" */
#define CR_M_USERS		0
#define CR_M_HOUSEHOLDS 1
#define CR_M_LOST_KW	2
#define CR_M_CANCELLED	3
#define CR_NMEASURES	4
#define CR_KNOWN_LASTED 0x10	/* the duration is known */
#define CR_ONGOING		0x20	/* lasted unknown because the failure goes on */

/* qualitative flags */
#define CR_F_RIGHTS_IMPAIRED	0x01
#define CR_F_WATER_QUALITY		0x02
#define CR_F_CARGO_LOST			0x04
#define CR_F_RECORDS_IMPAIRED	0x08
#define CR_NFLAGS				4

typedef struct Incident
{
	int32		service;
	uint8		version;
	uint8		effect;
	uint8		cause;
	uint8		known;			/* measure bits, CR_KNOWN_LASTED, CR_ONGOING */
	uint8		flags;
	uint8		reserved[7];	/* zero */
	TimestampTz began;
	int64		lasted;			/* microseconds */
	int64		measure[CR_NMEASURES];
} Incident;

#define DatumGetIncidentP(X)	((Incident *) DatumGetPointer(X))
#define PG_GETARG_INCIDENT_P(n) DatumGetIncidentP(PG_GETARG_DATUM(n))
#define PG_RETURN_INCIDENT_P(x) PG_RETURN_POINTER(x)

extern const char *const cr_effect_names[CR_NEFFECTS];
extern const char *const cr_cause_names[CR_NCAUSES];
extern const char *const cr_measure_names[CR_NMEASURES];
extern const char *const cr_flag_names[CR_NFLAGS];


/*
 * criterion: a threshold rule, parsed once into postfix nodes and evaluated
 * with Kleene's three-valued logic.
 */
typedef enum CrTri
{
	CR_FALSE = 0,
	CR_TRUE = 1,
	CR_UNKNOWN = 2
} CrTri;

#define CR_OP_ANY		1
#define CR_OP_CMP		2		/* field cmp value */
#define CR_OP_EFFECT_IN 3		/* arg = effect bit set */
#define CR_OP_FLAG		4		/* arg = flag bit */
#define CR_OP_NOT		5
#define CR_OP_AND		6
#define CR_OP_OR		7

#define CR_FIELD_DURATION CR_NMEASURES	/* after the four measures */

#define CR_CMP_GE	0
#define CR_CMP_GT	1
#define CR_CMP_LE	2
#define CR_CMP_LT	3
#define CR_CMP_EQ	4
#define CR_CMP_NE	5

typedef struct CrNode
{
	uint8		op;
	uint8		field;
	uint8		cmp;
	uint8		arg;
	int32		reserved;
	int64		value;
} CrNode;

#define CR_CRITERION_VERSION 1

typedef struct Criterion
{
	int32		vl_len_;
	uint8		version;
	uint8		reserved[3];
	int32		nnodes;
	CrNode		nodes[FLEXIBLE_ARRAY_MEMBER];
} Criterion;

#define DatumGetCriterionP(X)	((Criterion *) PG_DETOAST_DATUM(X))
#define PG_GETARG_CRITERION_P(n) DatumGetCriterionP(PG_GETARG_DATUM(n))
#define PG_RETURN_CRITERION_P(x) PG_RETURN_POINTER(x)

/*
 * A criterion compiled for evaluation once a row (the rule cache compiles
 * each rule once): its terms in postfix order and, when it has at most
 * CR_COMPILED_TERMS of them, a truth table.  Each term gives false, true or
 * unknown (two bits, as CrTri) and the table, indexed by the terms' values,
 * holds what cr_evaluate gives for them: the same answer, without reading
 * the postfix program a row.  Also what the explanation's facts name (see
 * cr_write_facts).
 */
#define CR_COMPILED_TERMS 4

#define CR_TERM_CMP		0		/* a measure or the duration, compared */
#define CR_TERM_BITS	1		/* a byte of the incident (effect, flags) */

typedef struct CrTerm
{
	uint8		kind;
	uint8		offset;			/* of the field in Incident */
	uint8		known;			/* CMP: its bit of Incident.known */
	uint8		results;		/* CMP: bit (x < value) * 2 + (x == value) */
	uint32		mask;			/* BITS: bit b set when the byte b makes it
								 * true */
	int64		value;			/* CMP: the threshold */
} CrTerm;

/* CrCompiled.facts: bit m for a measure, CR_FIELD_DURATION, flags, effect */
#define CR_FACTS_MEASURES(f)	((f) & 0x1F)
#define CR_FACTS_FLAGS(f)		(((f) >> 8) & 0xFF)
#define CR_FACTS_EFFECT			0x10000

typedef struct CrCompiled
{
	const Criterion *criterion;
	int			nterms;			/* -1: too many, cr_evaluate(criterion) */
	uint32		facts;			/* the explanation's parts, see cr_write_facts */
	CrTerm		terms[CR_COMPILED_TERMS];
	uint8		table[1 << (2 * CR_COMPILED_TERMS)];
} CrCompiled;

/* criterion.c */
extern CrTri cr_evaluate(const Criterion *c, const Incident *i);
extern char *cr_criterion_text(const Criterion *c);
extern char *cr_criterion_describe(const Criterion *c);
extern char *cr_write_incident_facts(char *out, const Criterion *c, const Incident *i);
extern void cr_criterion_compile(const Criterion *c, CrCompiled *out);
extern char *cr_write_facts(char *out, const CrCompiled *k, const Incident *i);

/* the value (0, 1 or 2: CrTri) of a compiled term for an incident */
static inline int
cr_term_value(const CrTerm *t, const Incident *inc)
{
	if (t->kind == CR_TERM_CMP)
	{
		int64		x;
		int			r;

		memcpy(&x, (const char *) inc + t->offset, sizeof(x));
		r = (t->results >> (((x < t->value) << 1) | (x == t->value))) & 1;
		return (inc->known & t->known) ? r : CR_UNKNOWN;
	}
	return (t->mask >> (((const uint8 *) inc)[t->offset] & 31)) & 1;
}

/* cr_evaluate(k->criterion, inc), by the truth table when there is one */
static inline CrTri
cr_compiled_evaluate(const CrCompiled *k, const Incident *inc)
{
	unsigned	idx = 0;

	if (unlikely(k->nterms < 0))
		return cr_evaluate(k->criterion, inc);
	for (int i = 0; i < k->nterms; i++)
		idx |= cr_term_value(&k->terms[i], inc) << (2 * i);
	return (CrTri) k->table[idx];
}

/* the most cr_write_incident_facts writes, NUL included */
#define CR_FACTS_MAXLEN (CR_NMEASURES * (CR_COUNT_MAXLEN + 16) + CR_DURATION_MAXLEN + 32 + \
						 CR_NFLAGS * (NAMEDATALEN + 8))

/* classify.c */
extern bool cr_verification_level(Oid fn, const Incident *inc,
								  const char **outcome, text **set_code);

/* catalog.c */
extern const char *cr_ministry(Sector sec, DateADT day);

/* owner_write.c: one fixed statement run as the owner of a table of the extension */
typedef struct CrOwnerStatement
{
	const char *table;			/* the table whose owner runs it */
	const char *sql_fmt;		/* the statement, %s for the quoted schema */
	int			nargs;
	Oid		   *argtypes;
	int			expected;		/* SPI_OK_INSERT ... */
	struct _SPI_plan *plan;		/* prepared once per backend */
	char		plan_nsp[NAMEDATALEN];	/* the schema name it was prepared for */
} CrOwnerStatement;

extern bool cr_write_as_owner(CrOwnerStatement *st, Oid nsp, Datum *args, const char *nulls);

/* snapshot_key.c: caches answer as the statement's own queries would */
typedef struct CrSnapshotKey
{
	bool		valid;
	bool		suboverflowed;
	bool		takenDuringRecovery;
	SnapshotType snapshot_type;
	LocalTransactionId lxid;
	CommandId	curcid;
	TransactionId xmin;
	TransactionId xmax;
	uint32		xcnt;
	int32		subxcnt;
	uint64		xips;			/* hash of the running transactions */
	uint64		subxact_aborts; /* subtransactions aborted before it */
} CrSnapshotKey;

extern bool cr_snapshot_key_same(CrSnapshotKey *key, Snapshot snap);

/* subtransactions aborted in this backend (snapshot_key.c) */
extern uint64 cr_subxact_aborts;

/*
 * The usual case of cr_snapshot_key_same, inline: a call for every row of
 * one statement, the same snapshot as last time, no transaction running.
 * True only where cr_snapshot_key_same would be; false tells nothing.
 * lxid: MyProc->lxid (storage/proc.h is not included here).
 */
static inline bool
cr_snapshot_key_quick(const CrSnapshotKey *key, Snapshot snap, LocalTransactionId lxid)
{
	return key->valid && snap->xcnt == 0 && snap->subxcnt == 0 && key->xips == 0 &&
		key->subxact_aborts == cr_subxact_aborts && key->lxid == lxid &&
		key->curcid == snap->curcid && key->xmin == snap->xmin &&
		key->xmax == snap->xmax && key->xcnt == 0 && key->subxcnt == 0 &&
		key->suboverflowed == snap->suboverflowed &&
		key->takenDuringRecovery == snap->takenDuringRecovery &&
		key->snapshot_type == snap->snapshot_type;
}
extern uint64 cr_table_version(Relation rel, Snapshot snap);

/*
 * cache.c: a per-backend cache of tables, built whole or not at all from what
 * the statement's snapshot sees, readable only by users who may read the
 * tables.  Declare one statically with its tables set; see cache.c.
 */
#define CR_CACHE_MAX_TABLES 3

typedef struct CrCache
{
	/* set by the owner */
	int			ntables;
	int			nchecked;		/* the first nchecked tables need SELECT */
	const char *tables[CR_CACHE_MAX_TABLES];	/* in the extension's schema */
	const char *shared_detail;	/* why row-level security cannot apply */
	/* kept by cache.c */
	Oid			relids[CR_CACHE_MAX_TABLES];	/* looked up per new snapshot */
	MemoryContext cxt;			/* the contents; NULL: none yet */
	uint64		generation;		/* raised by every swap */
	CrSnapshotKey key;			/* the snapshot they were last found right for */
	CrSnapshotKey pending;		/* the snapshot being checked */
	Oid			priv_user;		/* the user last found allowed, until an
								 * invalidation */
	bool		registered;
	struct CrCache *next;
} CrCache;

extern bool cr_cache_still_right(CrCache *c, Oid fn, Snapshot snap,
								 const char *reader);

/*
 * A context to build new contents in (name: a constant string): below the
 * current one, so that an error frees it with the statement, until
 * cr_cache_swap keeps it.
 */
#define cr_cache_build_context(name) \
	AllocSetContextCreate(CurrentMemoryContext, (name), ALLOCSET_DEFAULT_SIZES)
extern void cr_cache_swap(CrCache *c, MemoryContext built);
extern void cr_cache_right_for_snapshot(CrCache *c);

/* big_alloc.c: arrays of megabytes, in huge pages where the kernel has them */
extern void *cr_alloc_big(MemoryContext cxt, Size size, bool zero);
extern void *cr_realloc_big(MemoryContext cxt, void *p, Size old, Size new);
extern void cr_free_big(void *p, Size size);
extern bool cr_huge_maps(void);
extern void *cr_map_huge(Size size, Size *len);
extern void cr_unmap_huge(void *p, Size len);

/* bump_context.c: allocations that go together (a result's rows), in huge pages */
extern MemoryContext cr_bump_context_create(MemoryContext parent, const char *name);
extern MemoryContext cr_bump_context_empty(MemoryContext parent, const char *name);
extern void cr_bump_context_expect(MemoryContext cxt, Size size);

/* party.c: the current user's party (kind, code: NULL when none); how many */
extern int	cr_current_party(Oid fn_oid, char **kind, char **code);

/* module.c: ceptoar.impact_result_memory, in kB */
extern int	cr_impact_result_memory;

/* impact_scan.c: impact() in FROM as a custom scan */
extern bool cr_impact_scan;
extern void cr_impact_scan_init(void);

#endif							/* CEPTOAR_REGISTRY_H */
