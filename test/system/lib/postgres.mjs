/**
 * The machine's PostgreSQL (postgres://postgres@127.0.0.1:5432): one fresh database per run,
 * created and dropped with psql, and the cluster restart the fault test needs.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';

const ADMIN_URL = process.env.SYSTEM_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function psql(sql, url = ADMIN_URL) {
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', sql], { encoding: 'utf8' }).trim();
}

/** Creates `<prefix>_<random>` and returns its URL; fails loudly when PostgreSQL is not there. */
export function createDatabase(prefix) {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export function dropDatabase(name) {
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/**
 * `pg_ctlcluster <version> main restart` (the version is the one folder in /etc/postgresql);
 * asynchronous, so the load loops of this process keep running through the outage.
 */
export async function restartPostgres() {
  const [version] = readdirSync('/etc/postgresql');
  await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
}

export function postgresIsReady() {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
