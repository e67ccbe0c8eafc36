import { parseArgs, UsageError } from './cli.ts';
import { compareRun } from './compare.ts';
import { helpText } from './flags.ts';
import { startMatmulThreads } from './matmul-threads.ts';
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
  let firstInterrupt = 0;
  process.on('SIGINT', () => {
    // One Ctrl-C can arrive twice (from the terminal and relayed by a parent process): a second
    // interrupt counts only when it comes a moment later. (The start script runs `node --import tsx`
    // rather than the tsx CLI, whose relay SIGKILLs a child that is busy for more than 60 ms.)
    if (stop.signal.aborted) {
      if (performance.now() - firstInterrupt > 500) process.exit(130);
      return;
    }
    firstInterrupt = performance.now();
    process.stderr.write(
      '\nstopping after this epoch (its checkpoint is saved); press Ctrl-C again to quit now\n',
    );
    stop.abort();
  });
  const io = { log: (line: string) => console.log(line), signal: stop.signal };
  if (command.kind !== 'help') {
    const threads = await startMatmulThreads(command.threads);
    io.log(`matrix products on ${threads} thread${threads === 1 ? '' : 's'}`);
  }
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
