/**
 * The policy in force in a process: replaced by a reload of its file, and kept as it was when the
 * file no longer checks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicyFile, PolicyError, PolicyInForce } from '../../src/policy/index.js';

const dir = mkdtempSync(join(tmpdir(), 'policy-in-force-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const names = (p: PolicyInForce) => p.current?.rules.map((r) => r.name);

describe('PolicyInForce', () => {
  it('reloads its file, and keeps the policy in force when the file has problems', async () => {
    const file = join(dir, 'policy.yml');
    writeFileSync(file, 'rules:\n  - name: one\n    when: "true"\n    approvals: 2\n');
    const inForce = new PolicyInForce(await loadPolicyFile(file), file);
    expect(names(inForce)).toEqual(['one']);

    writeFileSync(file, 'rules:\n  - name: two\n    when: request.nope\n    approvals: 2\n');
    await expect(inForce.reload()).rejects.toBeInstanceOf(PolicyError);
    expect(names(inForce)).toEqual(['one']);

    writeFileSync(file, 'rules:\n  - name: three\n    when: "true"\n    approvals: 3\n');
    await inForce.reload();
    expect(names(inForce)).toEqual(['three']);
  });

  it('keeps what it has when there is no file to read', async () => {
    const inForce = new PolicyInForce(undefined);
    expect(await inForce.reload()).toBeUndefined();
    expect(inForce.current).toBeUndefined();
  });
});
