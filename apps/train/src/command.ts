/**
 * The command a user types to run the trainer, as the repository README gives it: it needs only Node and
 * npm (no pnpm on the PATH), so every hint the app prints can be pasted as it is.
 */
export const TRAIN_COMMAND = 'npx -y pnpm@12.4.2 train';

/**
 * Quotes a word for a POSIX shell when it needs quoting (spaces, quotes, `$`, …), so a printed command
 * still works when pasted.
 *
 * @example
 * shellQuote('/tmp/run 1'); // "'/tmp/run 1'"
 * shellQuote('/tmp/run-1'); // '/tmp/run-1'
 */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that continues the run in `dir`.
 *
 * @example
 * resumeCommand('/work/runs/a'); // 'npx -y pnpm@12.4.2 train --resume /work/runs/a'
 */
export function resumeCommand(dir: string): string {
  return `${TRAIN_COMMAND} --resume ${shellQuote(dir)}`;
}
