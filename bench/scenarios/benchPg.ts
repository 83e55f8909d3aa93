import pg from 'pg';
import { pgBinDir, startPgCluster } from '../../src-main/store/pg/testing';

/**
 * PostgreSQL for the bench's hub rows (issue 14): the server `JIEDAI_BENCH_PG` names (a postgres://
 * URL of a user who may create databases), else a throwaway cluster of the installed Debian
 * PostgreSQL on 127.0.0.1 with its data in a temp folder, durable as production runs it (fsync,
 * synchronous commit and full-page writes on); `stop()` in the caller's finally. Null with the
 * reason when there is neither (the PG rows then say so and are skipped).
 */
export type BenchPg = { admin: string; database(label: string): Promise<string>; stop(): void };

let made = 0;

export function benchPg(): BenchPg | { unavailable: string } {
  let admin = process.env.JIEDAI_BENCH_PG;
  let stop = () => undefined as void;
  if (!admin) {
    const bin = pgBinDir();
    if (!bin) return { unavailable: "no PostgreSQL: set JIEDAI_BENCH_PG=postgres://… or install Debian's postgresql package" };
    const cluster = startPgCluster(bin, { durable: true });
    admin = cluster.url;
    stop = cluster.stop;
  }
  const url = admin;
  return {
    admin: url,
    async database(label) {
      const name = `jiedai_bench_${label.replace(/\W/g, '_')}_${process.pid}_${++made}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`);
      } finally {
        await client.end();
      }
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    stop,
  };
}

/** A pg client on one database, for the bench's own reads and SQL-side generation. */
export async function pgClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}
