/*
 * uuid_v5.c
 *		Name-based UUIDs of version 5 (RFC 4122, section 4.3: SHA-1).
 *
 * The STIX ids of the registry (300_stix.sql) are name-based, so that the
 * same report and revision give the same ids in every database.  Version 5
 * hashes the namespace's 16 bytes followed by the name in UTF-8 with SHA-1
 * (PostgreSQL's src/common), keeps the first 16 bytes of the digest and sets
 * the version (5) and the variant (RFC 4122): the same UUID as Python's
 * uuid.uuid5(namespace, name).
 */
#include "postgres.h"

#include "common/cryptohash.h"
#include "common/sha1.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#include "ceptoar_registry.h"

PG_FUNCTION_INFO_V1(uuid_v5);

/* _uuid_v5(namespace uuid, name text) RETURNS uuid */
Datum
uuid_v5(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *ns = PG_GETARG_UUID_P(0);
	text	   *name = PG_GETARG_TEXT_PP(1);
	const char *raw = VARDATA_ANY(name);
	int			rawlen = VARSIZE_ANY_EXHDR(name);
	char	   *utf8;
	uint8		digest[SHA1_DIGEST_LENGTH];
	pg_cryptohash_ctx *ctx;
	pg_uuid_t  *result;

	/* the name as UTF-8 bytes, whatever the database's encoding */
	utf8 = pg_server_to_any(raw, rawlen, PG_UTF8);
	if (utf8 != raw)
		rawlen = strlen(utf8);

	ctx = pg_cryptohash_create(PG_SHA1);
	if (pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, ns->data, UUID_LEN) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) utf8, rawlen) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not compute a SHA-1 digest: %s",
						pg_cryptohash_error(ctx))));
	pg_cryptohash_free(ctx);

	result = (pg_uuid_t *) palloc(sizeof(pg_uuid_t));
	memcpy(result->data, digest, UUID_LEN);
	result->data[6] = (result->data[6] & 0x0f) | 0x50;	/* version 5 */
	result->data[8] = (result->data[8] & 0x3f) | 0x80;	/* variant RFC 4122 */
	PG_RETURN_UUID_P(result);
}
