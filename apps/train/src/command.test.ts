import { describe, expect, it } from 'vitest';
import { resumeCommand, shellQuote, TRAIN_COMMAND } from './command.ts';

describe('the commands the app prints', () => {
  it('start with the README command, which needs only Node and npm', () => {
    expect(TRAIN_COMMAND).toBe('npx -y pnpm@12.4.2 train');
    expect(resumeCommand('/work/runs/a')).toBe('npx -y pnpm@12.4.2 train --resume /work/runs/a');
  });
  it('quote a path that a shell would split or expand', () => {
    expect(shellQuote('/tmp/run-1.x')).toBe('/tmp/run-1.x');
    expect(shellQuote('/tmp/my run')).toBe("'/tmp/my run'");
    expect(shellQuote("/tmp/it's$x")).toBe("'/tmp/it'\\''s$x'");
  });
});
