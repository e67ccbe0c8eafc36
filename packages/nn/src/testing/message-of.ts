/**
 * The message of the error `f` throws; throws itself if `f` returns (for tests that check a message in
 * several parts). Not exported from the package.
 */
export function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}
