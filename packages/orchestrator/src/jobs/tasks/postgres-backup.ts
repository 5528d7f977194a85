import { masking, type PgConnection, pgTarget } from "../backup/pg-target.ts";
import type { Retention } from "../backup/retention.ts";
import { writeCopy } from "../backup/write-copy.ts";
import { commandTask } from "./command.ts";
import type { JobTask } from "./task.ts";

export interface PostgresBackupSpec extends PgConnection {
  type: "postgres";
  destination: string;
  retention: Retention;
}

/** `pg_dump -Fc` of one database into the destination, then retention. */
export function postgresBackupTask(spec: PostgresBackupSpec): JobTask {
  return (ctx) => {
    const target = pgTarget(spec);
    const log = masking(ctx.log, [target.password]);
    log(`pg_dump -Fc ${target.display}`);
    return writeCopy({ ...ctx, log }, { ...spec, ext: "dump" }, (partial) =>
      commandTask({
        command: ["pg_dump", "-Fc", "--no-password", "-f", partial, "--dbname", target.dbname],
        env: target.env,
      })({ ...ctx, log }),
    );
  };
}
