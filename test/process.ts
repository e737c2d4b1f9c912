// Runs dyte-mock as a person would (a command in a shell, through npm or npx), waits for the line
// saying where it listens, and stops the whole process group when the test ends.
import type { Test } from 'tap'
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { once } from 'node:events'

export interface Running {
  child: ChildProcess
  /** The URL from "dyte-mock listening on <url>". */
  base: string
  /** The line that said so. */
  line: string
  /** Everything printed so far (stdout and stderr). */
  output: () => string
  /** SIGTERM to the process group; resolves with the exit code, or the signal that ended it. */
  stop: () => Promise<number | NodeJS.Signals>
}

export function startListening (t: Test, command: string, args: string[], options: SpawnOptions = {}): Promise<Running> {
  // Its own process group, so a signal reaches the server behind npm or npx too.
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | NodeJS.Signals)
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM')
    return exited
  }
  t.teardown(stop)
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      out += chunk
      const m = /^.*dyte-mock listening on (http:\/\/\S+).*$/m.exec(out)
      if (m) resolve({ child, base: m[1], line: m[0], output: () => out, stop })
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    void exited.then((code) => reject(new Error(`${command} ${args.join(' ')} exited (${code}) before listening:\n${out}`)))
  })
}
