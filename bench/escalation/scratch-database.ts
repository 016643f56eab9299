/** Scratch databases on the bench server: created per run, copied from a template, dropped. */
import pg from 'pg'

export async function withClient<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'leadclock-bench' })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export interface ScratchDatabases {
  /** Creates `name` (empty, or a copy of `template`) and returns its connection string. */
  create(name: string, template?: string): Promise<string>
  drop(name: string): Promise<void>
  /** The server-side name of `name`. */
  databaseName(name: string): string
  /** Drops every database this run created. */
  dropAll(): Promise<void>
}

export function scratchDatabases(serverUrl: string, prefix: string): ScratchDatabases {
  const created = new Set<string>()
  const admin = (statement: string): Promise<unknown> =>
    withClient(serverUrl, (client) => client.query(statement))
  const fullName = (name: string): string => `${prefix}_${name}`
  return {
    async create(name, template) {
      const database = fullName(name)
      created.add(database)
      await admin(
        template === undefined
          ? `CREATE DATABASE ${database}`
          : `CREATE DATABASE ${database} TEMPLATE ${fullName(template)}`,
      )
      return databaseUrl(serverUrl, database)
    },
    databaseName: fullName,
    async drop(name) {
      const database = fullName(name)
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
      created.delete(database)
    },
    async dropAll() {
      for (const database of [...created]) {
        await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
        created.delete(database)
      }
    },
  }
}
