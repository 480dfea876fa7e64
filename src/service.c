/*
 * service.c
 *		Type ceptoar.service: a critical-infrastructure service (重要インフラサービス),
 *		a path in a tree rooted at the sectors: "sector", "sector.service" or
 *		"sector.scope.service" (and one more level for the classes a law
 *		distinguishes, e.g. telecom.telecommunications.emergency_voice).
 *
 * A by-value int4 (layout in ceptoar_registry.h): comparison and hashing
 * reuse the int4 support functions; ancestry (@>, <@) is a prefix test.
 * Every sector code is itself a valid service, the root of its tree, so a
 * rule written for "rail" applies to every rail service.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "ceptoar_registry.h"

#define S001 "seed 001 (2nd Action Plan verification levels)"
#define S000 "seed 000 (CEPTOAR table)"
#define TBA58 "電気通信事業法施行規則 第58条 (Telecommunications Business Act ordinance, serious accidents, 2015 amendment)"

/*
 * Sorted by id (a pre-order walk): cr_service_info() relies on it, and a
 * regression test checks it.  Sector roots are not listed: they are made
 * from cr_sectors.
 */
const CrServiceInfo cr_services[] = {
	{CR_SERVICE(1, 1, 0, 0), "telecom.telecommunications", CR_KIND_SERVICE,
		"電気通信", "telecommunications",
	"電気通信役務", "telecommunications services", "users", S001 "; " S000},
	{CR_SERVICE(1, 1, 1, 0), "telecom.telecommunications.emergency_voice", CR_KIND_CLASS,
		"電気通信", "telecommunications",
		"緊急通報を取り扱う音声伝送役務", "voice services carrying emergency calls",
	"users", TBA58},
	{CR_SERVICE(1, 1, 2, 0), "telecom.telecommunications.voice", CR_KIND_CLASS,
		"電気通信", "telecommunications",
		"緊急通報を取り扱わない音声伝送役務", "voice services without emergency calls",
	"users", TBA58},
	{CR_SERVICE(1, 1, 3, 0), "telecom.telecommunications.data", CR_KIND_CLASS,
		"電気通信", "telecommunications",
		"その他の電気通信役務(データ伝送役務等)", "other telecommunications services (data transmission)",
	"users", TBA58},
	{CR_SERVICE(1, 1, 4, 0), "telecom.telecommunications.free_internet", CR_KIND_CLASS,
		"電気通信", "telecommunications",
		"利用者から料金の支払いを受けないインターネット関連サービス",
		"internet services provided free of charge",
	"users", TBA58},
	{CR_SERVICE(1, 2, 0, 0), "telecom.broadcasting", CR_KIND_SERVICE,
		"放送", "broadcasting",
	"放送", "broadcasting", "households", S001 "; " S000},
	{CR_SERVICE(1, 2, 1, 0), "telecom.broadcasting.cable_tv", CR_KIND_SERVICE,
		"放送", "broadcasting",
	"ケーブルテレビ", "cable television", "households", S000 " (ケーブルテレビ CEPTOAR)"},
	{CR_SERVICE(2, 1, 0, 0), "finance.bank", CR_KIND_SCOPE,
		"銀行等", "banks and other deposit-taking institutions",
	"銀行等の業務", "banking", "users", S001 "; " S000},
	{CR_SERVICE(2, 1, 1, 0), "finance.bank.deposit", CR_KIND_SERVICE,
		"銀行等", "banks and other deposit-taking institutions",
	"預金の払戻し", "deposit withdrawal", "users", S001},
	{CR_SERVICE(2, 1, 2, 0), "finance.bank.lending", CR_KIND_SERVICE,
		"銀行等", "banks and other deposit-taking institutions",
	"融資承諾をした貸付の実行", "execution of approved loans", "users", S001},
	{CR_SERVICE(2, 1, 3, 0), "finance.bank.remittance", CR_KIND_SERVICE,
		"銀行等", "banks and other deposit-taking institutions",
	"為替(銀行振込)", "remittance (bank transfer)", "users", S001},
	{CR_SERVICE(2, 2, 0, 0), "finance.life_insurance", CR_KIND_SCOPE,
		"生命保険", "life insurance",
	"生命保険の業務", "life insurance", "users", S001 "; " S000},
	{CR_SERVICE(2, 2, 1, 0), "finance.life_insurance.claims", CR_KIND_SERVICE,
		"生命保険", "life insurance",
	"保険金等の支払い", "payment of insurance claims", "users", S001},
	{CR_SERVICE(2, 3, 0, 0), "finance.nonlife_insurance", CR_KIND_SCOPE,
		"損害保険", "non-life insurance",
	"損害保険の業務", "non-life insurance", "users", S001 "; " S000},
	{CR_SERVICE(2, 3, 1, 0), "finance.nonlife_insurance.claims", CR_KIND_SERVICE,
		"損害保険", "non-life insurance",
	"保険金等の支払い", "payment of insurance claims", "users", S001},
	{CR_SERVICE(2, 4, 0, 0), "finance.securities", CR_KIND_SCOPE,
		"証券", "securities companies and exchanges",
	"証券会社・金融商品取引所の業務", "securities and exchanges", "users", S001 "; " S000},
	{CR_SERVICE(2, 4, 1, 0), "finance.securities.custody", CR_KIND_SERVICE,
		"証券", "securities companies and exchanges",
		"預り有価証券等の売却、解約代金の払い出し等",
	"sale of deposited securities and payout of proceeds", "users", S001},
	{CR_SERVICE(2, 4, 2, 0), "finance.securities.trading", CR_KIND_SERVICE,
		"証券", "securities companies and exchanges",
		"有価証券の売買又は市場デリバティブ取引等",
	"trading of securities and exchange-traded derivatives", "users", S001},
	{CR_SERVICE(3, 1, 0, 0), "aviation.scheduled_flights", CR_KIND_SERVICE,
		"航空", "aviation",
		"定期便の運航(貨客の運送)", "scheduled flights (passengers and cargo)",
	"flights", S001},
	{CR_SERVICE(4, 1, 0, 0), "airport.operations", CR_KIND_SERVICE,
		"空港", "airports",
		"空港の運用(旅客・貨物の取扱い)", "airport operations (passengers and cargo handling)",
	"flights", "inferred (airports split from aviation, 4th Action Plan as revised 2018-07-25)"},
	{CR_SERVICE(5, 1, 0, 0), "rail.passenger", CR_KIND_SERVICE,
		"鉄道", "railway",
	"旅客の輸送", "passenger rail transport", "trains", S001},
	{CR_SERVICE(6, 1, 0, 0), "electricity.supply", CR_KIND_SERVICE,
		"電力", "electric power",
	"電力の供給", "electricity supply", "kW", S001},
	{CR_SERVICE(7, 1, 0, 0), "gas.supply", CR_KIND_SERVICE,
		"ガス", "gas",
	"ガスの供給", "gas supply", "households", S001},
	{CR_SERVICE(8, 1, 0, 0), "government.administration", CR_KIND_SERVICE,
		"政府・地方公共団体", "central and local government",
		"行政サービス", "administrative services", "residents",
	S001 "; " S000 " (自治体 CEPTOAR: 地方公共団体)"},
	{CR_SERVICE(9, 1, 0, 0), "medical.records", CR_KIND_SERVICE,
		"医療", "medical",
	"診療録等の保存", "keeping of medical records", "patients", S001},
	{CR_SERVICE(10, 1, 0, 0), "water.supply", CR_KIND_SERVICE,
		"水道", "water",
	"水道による給水", "water supply", "households", S001},
	{CR_SERVICE(11, 1, 0, 0), "logistics.freight", CR_KIND_SERVICE,
		"物流", "logistics",
	"貨物の運送", "freight transport", "shipments", S001},
	{CR_SERVICE(12, 1, 0, 0), "chemical.production", CR_KIND_SERVICE,
		"化学", "chemical industry",
		"石油化学製品等の製造・供給", "production and supply of chemicals", "plants",
	"inferred (chemical sector, 3rd Action Plan 2014)"},
	{CR_SERVICE(13, 1, 0, 0), "credit.card_payment", CR_KIND_SERVICE,
		"クレジット", "credit cards",
		"クレジットカード決済", "credit card payment", "cardholders",
	"inferred (credit sector, 3rd Action Plan 2014)"},
	{CR_SERVICE(14, 1, 0, 0), "petroleum.supply", CR_KIND_SERVICE,
		"石油", "petroleum",
		"石油の供給", "petroleum supply", "facilities",
	"inferred (petroleum sector, 3rd Action Plan 2014)"},
	{CR_SERVICE(15, 1, 0, 0), "port.terminal_operations", CR_KIND_SERVICE,
		"港湾", "ports",
		"港湾ターミナルの運営", "port terminal operations", "vessels",
	"inferred (ports added by the Action Plan 2022 as revised 2024-03-08)"},
};


const int	cr_nservices = lengthof(cr_services);

/*
 * Catalogue positions: 0..CR_NSECTORS-1 the sector roots, then cr_services in
 * order.  While every label number is below 16 (it is), a 64 kB table maps a
 * path to its position without a search: hot paths (classification per row)
 * use it.
 */
int8		cr_pos_table[1 << 16];
bool		cr_pos_table_usable = false;


/* sector roots, made from cr_sectors */
static CrServiceInfo service_roots[CR_NSECTORS + 1];

static CrNameMap service_names;
static const char *service_codes[CR_NSECTORS + lengthof(cr_services)];
static int	service_ncodes;
static char *service_lists[CR_NSECTORS + 1];	/* per sector, for hints */

static void
build_service_names(void)
{
	if (service_names.built)
		return;

	service_ncodes = 0;
	for (int s = 1; s <= CR_NSECTORS; s++)
	{
		CrServiceInfo *r = &service_roots[s];

		r->id = CR_SERVICE(s, 0, 0, 0);
		r->code = cr_sectors[s].code;
		r->kind = CR_KIND_SECTOR;
		r->name_ja = cr_sectors[s].name_ja;
		r->name_en = cr_sectors[s].name_en;
		r->source = cr_sectors[s].source;
		cr_namemap_add(&service_names, r->code, r->id);
		service_codes[service_ncodes++] = r->code;
	}
	for (int i = 0; i < cr_nservices; i++)
	{
		if (i > 0 && cr_services[i - 1].id >= cr_services[i].id)
			elog(ERROR, "ceptoar service catalogue is not sorted at \"%s\"",
				 cr_services[i].code);
		cr_namemap_add(&service_names, cr_services[i].code, cr_services[i].id);
		service_codes[service_ncodes++] = cr_services[i].code;
	}
	cr_pos_table_usable = true;
	memset(cr_pos_table, -1, sizeof(cr_pos_table));
	for (int p = 0; p < CR_NSECTORS + cr_nservices; p++)
	{
		uint32		id = (uint32) (p < CR_NSECTORS ? CR_SERVICE(p + 1, 0, 0, 0) :
								   cr_services[p - CR_NSECTORS].id);

		if ((id & 0xF0F0F0F0) != 0 || CR_NSECTORS + cr_nservices > 127)
			cr_pos_table_usable = false;
		else
			cr_pos_table[CR_POS_INDEX(id)] = p;
	}
	service_names.built = true;
}

/* the catalogue position of a service (see pos_table), or -1 */
int
cr_service_pos(Service s)
{
	uint32		id = (uint32) s;

	if (!service_names.built)
		build_service_names();
	if (cr_pos_table_usable && (id & 0xF0F0F0F0) == 0)
		return cr_pos_table[CR_POS_INDEX(id)];
	if ((id & 0x00FFFFFF) == 0)
		return (CR_SERVICE_SECTOR(s) >= 1 && CR_SERVICE_SECTOR(s) <= CR_NSECTORS) ?
			CR_SERVICE_SECTOR(s) - 1 : -1;
	for (int i = 0; i < cr_nservices; i++)
		if (cr_services[i].id == s)
			return CR_NSECTORS + i;
	return -1;
}

/* the service at a catalogue position */
Service
cr_service_at(int pos)
{
	return pos < CR_NSECTORS ? CR_SERVICE(pos + 1, 0, 0, 0) : cr_services[pos - CR_NSECTORS].id;
}

/* the entry for a service value, or NULL if the value names nothing */
const CrServiceInfo *
cr_service_info(Service s)
{
	int			pos = cr_service_pos(s);

	if (pos < 0)
		return NULL;
	return pos < CR_NSECTORS ? &service_roots[pos + 1] : &cr_services[pos - CR_NSECTORS];
}

static const CrServiceInfo *
service_info_checked(Service s)
{
	const CrServiceInfo *si = cr_service_info(s);

	if (si == NULL)
		elog(ERROR, "invalid ceptoar.service value %08x", (uint32) s);
	return si;
}

/* number of labels: 1 for a sector root */
int
cr_service_depth(Service s)
{
	if ((s & 0x0000FFFF) == 0)
		return (s & 0x00FF0000) ? 2 : 1;
	return (s & 0x000000FF) ? 4 : 3;
}

/* the parent path, or 0 for a sector root */
Service
cr_service_parent(Service s)
{
	static const uint32 keep[] = {0, 0, 0xFF000000, 0xFFFF0000, 0xFFFFFF00};

	return (Service) ((uint32) s & keep[cr_service_depth(s)]);
}

/* ancestor @> descendant, reflexive like ltree's */
bool
cr_service_contains(Service ancestor, Service descendant)
{
	static const uint32 prefix[] = {0, 0xFF000000, 0xFFFF0000, 0xFFFFFF00, 0xFFFFFFFF};
	uint32		mask = prefix[cr_service_depth(ancestor)];

	return ((uint32) descendant & mask) == (uint32) ancestor;
}

static const char *
sector_service_list(Sector sec)
{
	if (service_lists[sec] == NULL)
	{
		const char *items[lengthof(service_codes)];
		int			n = 0;
		char	   *l;

		for (int i = 0; i < service_ncodes; i++)
			if (strncmp(service_codes[i], cr_sectors[sec].code,
						strlen(cr_sectors[sec].code)) == 0 &&
				(service_codes[i][strlen(cr_sectors[sec].code)] == '\0' ||
				 service_codes[i][strlen(cr_sectors[sec].code)] == '.'))
				items[n++] = service_codes[i];
		l = cr_join(items, n);
		service_lists[sec] = MemoryContextStrdup(TopMemoryContext, l);
		pfree(l);
	}
	return service_lists[sec];
}

Service
cr_service_parse(const char *str)
{
	char		norm[CR_MAX_NAME + 1];
	int			len;
	int32		value;
	char	   *dot;
	Sector		sec;

	build_service_names();
	if (cr_namemap_find_plain(&service_names, str, &value))
		return (Service) value;
	len = cr_normalise(str, norm, NULL);
	if (len > 0 && cr_namemap_find(&service_names, norm, len, &value))
		return (Service) value;

	if (len == 0)
		cr_report_bad_name("ceptoar.service", str, "The service is empty.",
						   NULL, "sectors", cr_join(service_codes, CR_NSECTORS));
	if (len < 0)
		cr_report_bad_name("ceptoar.service", str,
						   psprintf("The service path is longer than %d bytes.",
									CR_MAX_NAME),
						   NULL, "sectors", cr_join(service_codes, CR_NSECTORS));

	/* name the bad part: the sector, an empty label, or the rest */
	dot = strchr(norm, '.');
	if (dot)
		*dot = '\0';
	/* norm is UTF-8; the sector parser reads the server encoding */
	sec = cr_sector_parse(cr_utf8_to_server(norm), false);
	if (sec != 0 && strcmp(norm, cr_sectors[sec].code) != 0)
	{
		/* a Japanese sector name where the code belongs: 電力.supply */
		char	   *fixed = psprintf("%s%s%s", cr_sectors[sec].code,
									 dot ? "." : "", dot ? dot + 1 : "");

		cr_report_bad_name("ceptoar.service", str,
						   psprintf("\"%s\" is the Japanese name of sector \"%s\"; a service path starts with the sector code.",
									norm, cr_sectors[sec].code),
						   cr_nearest(fixed, service_codes, service_ncodes),
						   psprintf("services of %s", cr_sectors[sec].code),
						   sector_service_list(sec));
	}
	if (sec == 0)
	{
		if (dot)
			*dot = '.';
		cr_report_bad_name("ceptoar.service", str,
						   psprintf("Unknown sector \"%.*s\"; a service path starts with a sector code.",
									dot ? (int) (dot - norm) : len, norm),
						   cr_nearest(norm, service_codes, service_ncodes),
						   "sectors", cr_join(service_codes, CR_NSECTORS));
	}
	Assert(dot != NULL);
	*dot = '.';
	if (dot[1] == '\0' || strstr(norm, "..") != NULL)
		cr_report_bad_name("ceptoar.service", str,
						   "The service path has an empty label.",
						   NULL, psprintf("services of %s", cr_sectors[sec].code),
						   sector_service_list(sec));
	cr_report_bad_name("ceptoar.service", str,
					   psprintf("Sector \"%s\" has no service \"%s\".",
								cr_sectors[sec].code, dot + 1),
					   cr_nearest(norm, service_codes, service_ncodes),
					   psprintf("services of %s", cr_sectors[sec].code),
					   sector_service_list(sec));
	pg_unreachable();
}

PG_FUNCTION_INFO_V1(service_in);
/* text -> service: a catalogue path, any case */
Datum
service_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_SERVICE(cr_service_parse(PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(service_out);
/* service -> its canonical path */
Datum
service_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(service_info_checked(PG_GETARG_SERVICE(0))->code));
}

PG_FUNCTION_INFO_V1(service_recv);
/* binary input: a version byte, then the path as text */
Datum
service_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	char	   *str = cr_recv_name(buf, "ceptoar.service");

	PG_RETURN_SERVICE(cr_service_parse(str));
}

PG_FUNCTION_INFO_V1(service_send);
/* binary output: a version byte, then the path as text */
Datum
service_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(cr_send_name(service_info_checked(PG_GETARG_SERVICE(0))->code));
}

PG_FUNCTION_INFO_V1(service_sector);
/* the sector a service belongs to */
Datum
service_sector(PG_FUNCTION_ARGS)
{
	Service		s = PG_GETARG_SERVICE(0);

	(void) service_info_checked(s);
	PG_RETURN_SECTOR(CR_SERVICE_SECTOR(s));
}

PG_FUNCTION_INFO_V1(service_from_sector);
/* a sector as a service: the root of its tree */
Datum
service_from_sector(PG_FUNCTION_ARGS)
{
	Sector		sec = PG_GETARG_SECTOR(0);

	(void) cr_sector_info(sec);
	PG_RETURN_SERVICE(CR_SERVICE(sec, 0, 0, 0));
}

PG_FUNCTION_INFO_V1(service_parent_fn);
/* the parent service, NULL for a sector root */
Datum
service_parent_fn(PG_FUNCTION_ARGS)
{
	Service		s = PG_GETARG_SERVICE(0);

	(void) service_info_checked(s);
	if (cr_service_depth(s) == 1)
		PG_RETURN_NULL();
	PG_RETURN_SERVICE(cr_service_parent(s));
}

PG_FUNCTION_INFO_V1(service_depth_fn);
/* number of labels in the path (1 for a sector root) */
Datum
service_depth_fn(PG_FUNCTION_ARGS)
{
	Service		s = PG_GETARG_SERVICE(0);

	(void) service_info_checked(s);
	PG_RETURN_INT32(cr_service_depth(s));
}

PG_FUNCTION_INFO_V1(service_contains);
/* a @> b: a is b or an ancestor of b */
Datum
service_contains(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cr_service_contains(PG_GETARG_SERVICE(0), PG_GETARG_SERVICE(1)));
}

PG_FUNCTION_INFO_V1(service_contained);
/* a <@ b: a is b or a descendant of b */
Datum
service_contained(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cr_service_contains(PG_GETARG_SERVICE(1), PG_GETARG_SERVICE(0)));
}

PG_FUNCTION_INFO_V1(service_name_ja);
/* the service's Japanese name */
Datum
service_name_ja(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(cr_text_datum_utf8(service_info_checked(PG_GETARG_SERVICE(0))->name_ja));
}

PG_FUNCTION_INFO_V1(service_name_en);
/* the service's English name */
Datum
service_name_en(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(cr_text_datum_utf8(service_info_checked(PG_GETARG_SERVICE(0))->name_en));
}
