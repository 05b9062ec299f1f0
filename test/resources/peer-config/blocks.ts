/** Assertions on configuration text: a block of lines that must appear together, in order. */
import { expect } from 'vitest';

/** The lines of `text`, without trailing blanks. */
export function linesOf(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\s+$/, ''));
}

/** Asserts that `block` appears in `text` as consecutive lines. */
export function expectBlock(text: string, block: string[]): void {
  const lines = linesOf(text);
  const first = block[0] ?? '';
  const found = lines.some((line, i) => line === first && block.every((b, j) => lines[i + j] === b));
  expect(found, `missing block:\n${block.join('\n')}\n--- in ---\n${text}`).toBe(true);
}
