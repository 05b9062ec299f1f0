/**
 * A counted refusal in `npm run audit`'s words: how many times in all and when the last was, on the
 * line of the first; a refusal made once reads as it always did.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatAuditEvent, formatRequest } from '../../src/tools/audit-format.js';
import type { AuditEvent, ResourceRequest } from '../../src/workflow/types.js';

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

describe('a request told as a story', () => {
  const base = { requestId: 'gw-20261208-d3l3t3m4qp', at, actor: 'system:worker' } as const;

  it('names resource types with their article and their capitals', () => {
    const request = (resource: string, operation: 'create' | 'delete') =>
      ({
        id: 'gw-1',
        resource,
        operation,
        state: 'succeeded',
        channelId: 'C1',
        requester: { userId: 'U1', name: 'lee' },
        approvals: [],
        params: {},
        cloud: { requestIds: [] },
      }) as unknown as ResourceRequest;
    expect(formatRequest(request('vpn_connection', 'create'))).toContain(
      ': an IPsec connection in channel C1',
    );
    expect(formatRequest(request('vpn_gateway', 'delete'))).toContain(
      ': the deletion of a VPN gateway in channel',
    );
    expect(formatRequest(request('customer_gateway', 'create'))).toContain(': a customer gateway in channel');
    expect(
      formatAuditEvent({
        ...base,
        actor: 'U1',
        action: 'submitted',
        details: { resource: 'vpn_connection', operation: 'delete' },
      }),
    ).toContain('asked for the deletion of an IPsec connection');
  });

  it('tells a deletion as a deletion', () => {
    const deleting = { operation: 'delete' as const };
    expect(
      formatAuditEvent({ ...base, action: 'creating', from: 'approved', to: 'creating' }, deleting),
    ).toContain('started deleting it');
    expect(
      formatAuditEvent(
        { ...base, action: 'delete_retry', details: { code: 'Throttling', attempt: 2 } },
        deleting,
      ),
    ).toContain('will try deleting again after the cloud answered Throttling (retry 2)');
    expect(
      formatAuditEvent({ ...base, action: 'deleted', details: { resourceId: 'vpn-bp1x' } }, deleting),
    ).toContain('deleted vpn-bp1x');
    expect(
      formatAuditEvent(
        { ...base, action: 'ready', details: { resourceId: 'vpn-bp1x', status: 'deleted' } },
        deleting,
      ),
    ).toContain('saw vpn-bp1x gone from the account');
    // The same events of a create read as they did.
    expect(formatAuditEvent({ ...base, action: 'creating' })).toContain('started creating it');
    expect(
      formatAuditEvent({ ...base, action: 'ready', details: { resourceId: 'vpn-bp1x', status: 'active' } }),
    ).toContain('saw vpn-bp1x become ready (active)');
  });

  it('tells a key rotation as one, naming no key', () => {
    const rotating = { operation: 'rotate_key' as const };
    expect(
      formatAuditEvent(
        {
          ...base,
          actor: 'U1',
          action: 'submitted',
          details: { resource: 'vpn_connection', operation: 'rotate_key' },
        },
        rotating,
      ),
    ).toContain('asked for new pre-shared keys for an IPsec connection');
    expect(
      formatAuditEvent({ ...base, action: 'creating', from: 'approved', to: 'creating' }, rotating),
    ).toContain('started sending the new keys');
    expect(
      formatAuditEvent(
        { ...base, action: 'rotate_key_retry', details: { code: 'ServiceUnavailable', attempt: 1 } },
        rotating,
      ),
    ).toContain('will try sending the new keys again after the cloud answered ServiceUnavailable (retry 1)');
    expect(
      formatAuditEvent({ ...base, action: 'key_rotated', details: { resourceId: 'vco-bp1x' } }, rotating),
    ).toContain('sent new keys for vco-bp1x');
    expect(
      formatAuditEvent(
        { ...base, action: 'ready', details: { resourceId: 'vco-bp1x', status: 'active' } },
        rotating,
      ),
    ).toContain('saw vco-bp1x have its new keys in place');
  });

  it('tells an adoption as one, with what the resource was like when taken over', () => {
    const adopting = { operation: 'adopt' as const };
    expect(
      formatAuditEvent(
        {
          ...base,
          actor: 'U1',
          action: 'submitted',
          details: { resource: 'vpn_connection', operation: 'adopt' },
        },
        adopting,
      ),
    ).toContain('asked for the adoption of an IPsec connection');
    expect(
      formatAuditEvent({ ...base, action: 'creating', from: 'approved', to: 'creating' }, adopting),
    ).toContain('started taking it over');
    expect(
      formatAuditEvent(
        { ...base, action: 'adopt_retry', details: { code: 'ServiceUnavailable', attempt: 2 } },
        adopting,
      ),
    ).toContain('will try reading it again after the cloud answered ServiceUnavailable (retry 2)');
    expect(
      formatAuditEvent(
        {
          ...base,
          action: 'adopted',
          details: { resourceId: 'vco-bp1x', LocalSubnet: '10.0.0.0/16', CustomerGateways: '' },
        },
        adopting,
      ),
    ).toContain('took over vco-bp1x as it was: LocalSubnet 10.0.0.0/16, CustomerGateways (none)');
  });
});

describe('the trail as docs/operations.md shows it', () => {
  it('is what the audit tool prints for those events', () => {
    const docs = readFileSync('docs/operations.md', 'utf8');
    const people = new Map([['U0LEAD1', 'lee']]);
    const approved: AuditEvent = {
      requestId: 'gw-20261125-k3j9x2m4qp',
      at: Date.parse('2026-11-25T18:09:40.983Z'),
      actor: 'U0LEAD1',
      action: 'approved',
      from: 'pending_approval',
      to: 'approved',
      details: { approvals: 1, required: 1 },
    };
    const late: AuditEvent = {
      requestId: 'gw-20261125-k3j9x2m4qp',
      at: Date.parse('2026-11-25T18:09:40.986Z'),
      actor: 'U0LEAD2',
      action: 'reject',
      from: 'creating',
      refused: 'already_decided',
    };
    for (const e of [approved, late]) expect(docs).toContain(`\n${formatAuditEvent(e, { people })}\n`);
    expect(docs).toContain(`\n${formatAuditEvent({ ...refusal, times: 300, lastAt: at + 841 })}\n`);
  });
});
