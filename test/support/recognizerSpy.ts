/**
 * The Recognizers' entry points wrapped to record every text they are shown, for `vi.mock`:
 *
 *   const shown = vi.hoisted(() => [] as string[]);
 *   vi.mock('@microsoft/recognizers-text-number', async (original) => (await import('…/recognizerSpy.js')).recording(await original(), shown));
 */
export function recording<M extends Record<string, unknown>>(module: M, shown: string[]): M {
  const wrapped: Record<string, unknown> = { ...module };
  for (const [name, value] of Object.entries(module)) {
    if (typeof value !== 'function' || !/^recognize[A-Z]/.test(name)) continue;
    const recognize = value as (text: string, ...rest: unknown[]) => unknown;
    wrapped[name] = (text: string, ...rest: unknown[]) => {
      shown.push(text);
      return recognize(text, ...rest);
    };
  }
  return wrapped as M;
}
