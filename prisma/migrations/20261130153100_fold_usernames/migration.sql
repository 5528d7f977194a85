-- (No semicolons in these comments: the migration runner splits statements on them.)
-- Usernames are case-folded (issue 19): OPS and ops are one account. Written by hand: the Prisma
-- schema cannot express the check constraint, and migrate diff leaves check constraints alone.
-- Existing case variants: the oldest keeps the folded name, every later one is renamed to the
-- folded name plus a dash and the first 8 hex digits of its id, so nobody loses an account.
UPDATE "users" AS u
SET "username" = lower(u."username") || '-' || left(replace(u."id"::text, '-', ''), 8),
    "updated_at" = CURRENT_TIMESTAMP
WHERE EXISTS (
  SELECT 1 FROM "users" AS o
  WHERE lower(o."username") = lower(u."username")
    AND (o."created_at", o."id") < (u."created_at", u."id")
);

UPDATE "users"
SET "username" = lower("username"), "updated_at" = CURRENT_TIMESTAMP
WHERE "username" <> lower("username");

-- With every name stored folded, the unique index on username is a unique index on the folded
-- name, this constraint keeps a writer that forgets to fold from breaking that.
ALTER TABLE "users" ADD CONSTRAINT "users_username_folded" CHECK ("username" = lower("username"));
