/** A CLI command: one per file under cli/commands/, registered by name in cli/registry.ts. */
export interface CommandContext {
  argv: string[];
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); long-running commands await it. */
  stopSignal: Promise<string>;
}

export interface Command {
  summary: string;
  usage: string;
  /** A command with subcommands: `vigie CMD SUB --help` goes to the subcommand, not to this usage. */
  subcommands?: boolean;
  /** Returns the process exit code. Never calls process.exit(): teardown must run. */
  run(ctx: CommandContext): Promise<number>;
}
