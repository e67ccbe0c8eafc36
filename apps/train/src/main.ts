import { parseArgs, UsageError } from './cli.ts';
import { compareRun } from './compare.ts';
import { helpText } from './flags.ts';
import { resumeRun, trainRun } from './run.ts';

/** The `pnpm train` entry point: parse the flags, then train, resume or compare. */
async function main(argv: string[]): Promise<number> {
  let command: ReturnType<typeof parseArgs>;
  try {
    // pnpm runs the app in apps/train; paths the user typed are relative to where they typed them.
    command = parseArgs(argv, undefined, process.env.INIT_CWD ?? process.cwd());
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\nRun with --help to see every flag.\n`);
      return 2;
    }
    throw err;
  }
  const stop = new AbortController();
  process.on('SIGINT', () => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write(
      '\nstopping after this epoch (its checkpoint is saved); press Ctrl-C again to quit now\n',
    );
    stop.abort();
  });
  const io = { log: (line: string) => console.log(line), signal: stop.signal };
  switch (command.kind) {
    case 'help':
      console.log(helpText());
      return 0;
    case 'train':
      await trainRun(command.options, io);
      return 0;
    case 'resume':
      await resumeRun(command.dir, command.epochs, io);
      return 0;
    case 'compare':
      await compareRun(command.options, io);
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
