-- drivers (0.5): criterion's = usable for hash and merge joins, as a fresh install declares
-- it (060_criterion.sql: CREATE OPERATOR ... HASHES, MERGES), now that criterion has a hash
-- and a btree operator class (340_drivers.sql).  PostgreSQL 15's ALTER OPERATOR cannot set
-- HASHES or MERGES, so the update sets the two flags of exactly that operator in
-- pg_operator (the update runs as a superuser, as CREATE EXTENSION of this one does).
UPDATE pg_catalog.pg_operator o
   SET oprcanhash = true, oprcanmerge = true
 WHERE o.oid OPERATOR(pg_catalog.=)
       '@extschema@.=(@extschema@.criterion,@extschema@.criterion)'::pg_catalog.regoperator::pg_catalog.oid;
