/**
 * Where a runtime keeps its files. A module of its own, without imports, so that the CLI can find
 * a server holding the embedded store without loading the store.
 */

/** The runtime folder: the option given, else LEADCLOCK_DATA_DIR, else `.leadclock-data`. */
export function runtimeDirOf(env: NodeJS.ProcessEnv, option: string | undefined): string {
  return option ?? env.LEADCLOCK_DATA_DIR ?? '.leadclock-data'
}

/** The embedded PGlite database inside a runtime folder. */
export function pgliteFolderOf(runtimeDir: string): string {
  return `${runtimeDir}/pglite`
}
