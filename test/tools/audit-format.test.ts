/**
 * A counted refusal in `npm run audit`'s words: how many times in all and when the last was, on the
 * line of the first; a refusal made once reads as it always did.
 */
import { describe, expect, it } from 'vitest';
import { formatAuditEvent } from '../../src/tools/audit-format.js';
import type { AuditEvent } from '../../src/workflow/types.js';

const at = Date.parse('2026-12-08T09:14:02.120Z');
const refusal: AuditEvent = {
  requestId: 'gw-20261208-k3j9x2m4qp',
  at,
  actor: 'U0INTERN',
  action: 'reveal',
  from: 'succeeded',
  refused: 'not_allowed',
};

describe('formatAuditEvent', () => {
  it('says how often a refusal was repeated, and until when', () => {
    expect(formatAuditEvent({ ...refusal, times: 300, lastAt: at + 841 })).toBe(
      '2026-12-08 09:14:02.120Z  U0INTERN                     refused: reveal, because only the person who asked for it and the approvers may see it; nothing changed (300 times in all, the last at 2026-12-08 09:14:02.961Z)',
    );
    expect(formatAuditEvent(refusal)).toMatch(/may see it; nothing changed$/);
    expect(formatAuditEvent({ ...refusal, action: 'connect', refused: 'not_allowed' })).toContain(
      'refused: connect, because they may not see the request from where they clicked',
    );
  });
});
