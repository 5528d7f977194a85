-- probe_rows: the (series_id, at) key moves from the partitioned parent to each partition (issue
-- 20, storage round three). A key on the parent must exist on every partition, and a closed day
-- is cheaper without one (its heap ordered by the key and a small series_id index instead: ~53
-- bytes a result instead of ~81). So each partition now owns a unique index "<partition>_key",
-- which the writer's ON CONFLICT DO NOTHING (no conflict target) uses as it used the primary
-- key. New partitions get theirs when the writer or retention makes them, and retention then
-- packs closed days (packClosedDays). Every row stays where it is: the new indexes are built
-- before the primary key goes, in the same transaction.
-- The loop is an E'' string with \073 for each semicolon: Prisma's pg driver adapter splits a
-- migration script at every semicolon, even inside a dollar-quoted body or a comment.

DO E'DECLARE part text\073
BEGIN
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = ''probe_rows''::regclass
  LOOP
    EXECUTE format(''CREATE UNIQUE INDEX IF NOT EXISTS %I ON %I ("series_id", "at")'', part || ''_key'', part)\073
  END LOOP\073
END';

ALTER TABLE "probe_rows" DROP CONSTRAINT "probe_rows_pkey";
