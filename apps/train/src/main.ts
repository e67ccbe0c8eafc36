import { parseArgs, UsageError } from './cli.ts';
import { resumeCommand } from './command.ts';
import { compareRun } from './compare.ts';
import { helpText } from './flags.ts';
import { startMatmulThreads } from './matmul-threads.ts';
import { freshRunDir, type RunStatus, resumeRun, trainRun } from './run.ts';

/** The `npx -y pnpm@12.4.2 train` entry point (through bin/train.mjs): parse the flags, then train, resume or compare. */
async function main(argv: string[]): Promise<number> {
  let command: ReturnType<typeof parseArgs>;
  // pnpm may run the app in another folder; paths the user typed are relative to where they typed them.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  try {
    command = parseArgs(argv, undefined, cwd);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\nRun with --help to see every flag.\n`);
      return 2;
    }
    throw err;
  }
  const stop = new AbortController();
  let firstInterrupt = 0;
  let runDir: string | undefined;
  process.on('SIGINT', () => {
    // One Ctrl-C can arrive twice (from the terminal and relayed by a parent process): a second
    // interrupt counts only when it comes a moment later. (The start script runs `node --import tsx`
    // rather than the tsx CLI, whose relay SIGKILLs a child that is busy for more than 60 ms.)
    if (stop.signal.aborted) {
      if (performance.now() - firstInterrupt <= 500) return;
      // Quit now: the folder keeps its last checkpoint (or, before the first one, its settings).
      if (runDir) process.stderr.write(`\nquit; continue with: ${resumeCommand(runDir)}\n`);
      process.exit(130);
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
    case 'train': {
      const { seed, out } = command.options;
      const options = { ...command.options, out: out ?? freshRunDir(seed, '', new Date(), cwd) };
      runDir = options.out;
      return EXIT[(await trainRun(options, { ...io, writeOnnx: command.onnx })).status];
    }
    case 'resume':
      runDir = command.dir;
      return EXIT[(await resumeRun(command.dir, command.epochs, { ...io, writeOnnx: command.onnx })).status];
    case 'compare': {
      const { seed, out } = command.options;
      const options = { ...command.options, out: out ?? freshRunDir(seed, 'compare-', new Date(), cwd) };
      await compareRun(options, io);
      return 0;
    }
  }
}

/** Exit codes (documented in apps/train/README.md); 1 is any other error, 2 a usage error. */
const EXIT: Record<RunStatus, number> = { done: 0, diverged: 3, stopped: 130 };

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
