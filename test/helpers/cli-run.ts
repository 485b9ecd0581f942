/** Runs a CLI command in process, as `vigie` would: exit code, stdout, stderr, and stdout's last line as JSON (if it is). */
import type { Command } from '../../cli/command.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** stdout's last line parsed as JSON, whatever the command printed; undefined when it is not JSON. */
  json: any;
}

export async function runCommand(command: Command, argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await command.run({ argv, stdout: (t) => void (out += t), stderr: (t) => void (err += t), stopSignal: new Promise(() => {}) });
  let json: unknown;
  try {
    json = JSON.parse(out.trim().split('\n').pop() ?? '');
  } catch {
    json = undefined;
  }
  return { code, out, err, json };
}
