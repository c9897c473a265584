import { Client } from 'pg';

/** PostgreSQL error codes raised when two processes create the same database at the same time. */
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

/** The URL of database `name` on the server of `serverUrl` (credentials and query options kept). */
export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Creates database `name` unless it exists. Connects to the maintenance database named in `serverUrl`,
 * because one cannot connect to a database that is not there yet. Safe when several instances start
 * together: losing the race to create it is fine.
 * @returns whether this call created the database.
 */
export async function ensureDatabaseExists(serverUrl: string, name: string): Promise<boolean> {
  return withServerConnection(serverUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      // CREATE DATABASE takes no bind parameters, hence the quoted identifier.
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  });
}

/** Drops database `name` if it exists, disconnecting its remaining sessions (tests, tooling). */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withServerConnection(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

async function withServerConnection<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
