import { describe, expect, it } from 'vitest';
import { derivedKey, KEY_ALPHABET, KEY_LENGTH, SecretBox } from '../../src/workflow/secrets.js';

const box = new SecretBox(Buffer.alloc(32, 7));

describe('a rotated key', () => {
  it('is 32 characters of letters and digits, all of them keys Alibaba accepts', () => {
    const key = box.rotatedKey('req-1', 'tun-1');
    expect(key).toHaveLength(KEY_LENGTH);
    expect(key).toMatch(/^[A-Za-z0-9]{32}$/);
    // Alibaba's alphabet: letters, digits and these signs, no spaces.
    const alibaba = /^[A-Za-z0-9~!`@#$%^&*()_\-+={}[\]|;:',.<>/?]{1,100}$/;
    expect(KEY_ALPHABET).toMatch(alibaba);
  });

  it('is the same for the same request and tunnel, under the same configured key', () => {
    expect(box.rotatedKey('req-1', 'tun-1')).toBe(box.rotatedKey('req-1', 'tun-1'));
    expect(new SecretBox(Buffer.alloc(32, 7)).rotatedKey('req-1', 'tun-1')).toBe(
      box.rotatedKey('req-1', 'tun-1'),
    );
  });

  it('differs for another request, another tunnel or another configured key', () => {
    const key = box.rotatedKey('req-1', 'tun-1');
    expect(box.rotatedKey('req-2', 'tun-1')).not.toBe(key);
    expect(box.rotatedKey('req-1', 'tun-2')).not.toBe(key);
    expect(new SecretBox(Buffer.alloc(32, 8)).rotatedKey('req-1', 'tun-1')).not.toBe(key);
  });

  it('picks every character about equally often (no bias from the byte mapping)', () => {
    const counts = new Map<string, number>();
    const secret = Buffer.alloc(32, 1);
    const keys = 2_000;
    for (let i = 0; i < keys; i += 1)
      for (const ch of derivedKey(secret, `m${i}`)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    const n = keys * KEY_LENGTH;
    const expected = n / KEY_ALPHABET.length;
    expect(counts.size).toBe(KEY_ALPHABET.length);
    // Chi-squared with 61 degrees of freedom: 100 is beyond p = 0.001. A plain `byte % 62` gives
    // the first 8 characters 5/4 of the others' share, a chi-squared above 400 at this size.
    const chi = [...counts.values()].reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(100);
  });
});
