import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command writes. Tests capture both; the real CLI uses stdout/stderr. */
export type Io = {
  out: (s: string) => void;
  err: (s: string) => void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  isTty?: boolean;
  /** Redraws the one progress line on stderr (no newline); `null` ends it. Used only when isTty. */
  progress?: (line: string | null) => void;
  /** All of standard input (`--password-stdin`); default: the process's. */
  stdin?: () => Promise<string>;
  /** Asks for a secret on the terminal, unechoed; null when there is no terminal (default: promptHidden). */
  prompt?: (question: string) => Promise<string | null>;
  /** The environment (default: the process's). */
  env?: Record<string, string | undefined>;
  /** A server command (`jiedai hub`) stops when this settles; default: on SIGINT or SIGTERM. */
  stop?: Promise<unknown>;
};

/** Draws progress on stderr only when it is a terminal; scheduled runs and pipes get none. */
export function progressLine(io: Io): (line: string | null) => void {
  if (!io.isTty) return () => {};
  return (
    io.progress ??
    ((line) => {
      if (line !== null) io.err(line);
    })
  );
}

/** Bad arguments: the CLI prints the message with the command's usage and exits 2. */
export class UsageError extends Error {}

/** One `jiedai <name>` command. Each lives in its own file under cli/commands/. */
export type Command = {
  name: string;
  /** Earlier names that still run it (scripts written against them keep working); never listed. */
  aliases?: readonly string[];
  /** One line for the command list. */
  summary: string;
  /** The command's own usage text (options after the name). */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** How many positionals it takes (default 0). */
  positionals?: { min: number; max: number };
  run(args: { values: Record<string, unknown>; positionals: string[]; dataDir: string }, io: Io): Promise<number>;
};

export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: command.options });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
