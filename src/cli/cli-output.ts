/** Where CLI commands write; a port so tests can capture output and exit codes. */
export interface CliOutput {
  print(line: string): void
  error(line: string): void
  exitCode(code: number): void
}

export const processOutput: CliOutput = {
  print: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
  exitCode: (code) => {
    process.exitCode = code
  },
}
