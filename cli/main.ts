#!/usr/bin/env node
/** `vigie COMMAND [options]`: dispatches to cli/commands/COMMAND.ts. */
import { VigieError } from '../common/errors.js';
import type { CommandContext } from './command.js';
import { COMMANDS } from './registry.js';

// `vigie sensors | head`: a reader that goes away is not an error; stop writing to it.
let stdoutClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') stdoutClosed = true;
  else throw e;
});

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const stdout = (t: string) => void (stdoutClosed || process.stdout.write(t));
  const stderr = (t: string) => void process.stderr.write(t);
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    stdout('usage: vigie COMMAND [options]\n\ncommands:\n');
    for (const [cmd, load] of Object.entries(COMMANDS)) stdout(`  ${cmd.padEnd(10)} ${(await load()).command.summary}\n`);
    stdout('\n`vigie COMMAND --help` shows a command\'s options.\n');
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    stderr(`vigie: unknown command "${name}" (try: vigie help)\n`);
    return 2;
  }
  const { command } = await load();
  const helpHere = command.subcommands ? rest[0] === '--help' || rest[0] === '-h' || rest.length === 0 : rest.includes('--help') || rest.includes('-h');
  if (helpHere && (rest.length > 0 || !command.subcommands)) {
    stdout(`${command.summary}\n\nusage: ${command.usage}\n`);
    return 0;
  }
  let signalled = 0;
  const stopSignal = new Promise<string>((resolve) => {
    const onSignal = (sig: string) => {
      signalled++;
      if (signalled > 1) {
        stderr('vigie: second signal, exiting now\n');
        process.exit(130);
      }
      resolve(sig);
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
  });
  const ctx: CommandContext = { argv: rest, stdout, stderr, stopSignal };
  try {
    return await command.run(ctx);
  } catch (e) {
    if (e instanceof VigieError) {
      stderr(`vigie ${name}: ${e.message}\n`);
      return 1;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      stderr(`vigie ${name}: ${e.message}\nusage: ${command.usage}\n`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => { process.stderr.write(`vigie: internal error: ${(e as Error).stack ?? String(e)}\n`); process.exitCode = 70; },
);
