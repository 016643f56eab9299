/** Where CLI commands write; a port so tests can capture output and exit codes. */
export interface CliOutput {
  print(line: string): void
  error(line: string): void
  exitCode(code: number): void
}

/**
 * The process's stdout and stderr. The exit code a command asks for is kept here and set on the
 * process only once the command is over (`settledExitCode`): the embedded database resets
 * `process.exitCode` to 0 when it closes (PGlite's Emscripten runtime exits with 0), which would
 * otherwise erase a failure reported before the close.
 */
export function processOutput(): CliOutput & { settledExitCode(): number } {
  // A reader that stops early (`leadclock connectors | head`) closes the pipe: what is left to
  // print has nobody to read it, which is no error of the command.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      throw error
    }
    process.stdout.destroy()
  })
  let requested = 0
  return {
    print: (line) => {
      if (!process.stdout.destroyed) {
        process.stdout.write(`${line}\n`)
      }
    },
    error: (line) => process.stderr.write(`${line}\n`),
    exitCode: (code) => {
      requested = code
    },
    settledExitCode: () => requested,
  }
}
