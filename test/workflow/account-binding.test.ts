/**
 * The account a request is made in is part of what its approval covers: the worker refuses a
 * record whose account is not the one approved, as it refuses changed parameters. The account of
 * a bot without an accounts file keeps the hash it always had, so requests in flight across an
 * upgrade carry on.
 */
import { describe, expect, it } from 'vitest';
import { paramsHash } from '../../src/resources/index.js';
import { hashedAccount } from '../../src/workflow/accounts.js';
import { approvedAsStored } from '../../src/workflow/provision-secrets.js';
import type { ResourceRequest } from '../../src/workflow/types.js';

const params = { RegionId: 'cn-hangzhou', IpAddress: '47.96.1.10' };

function request(account: string): ResourceRequest {
  return {
    id: 'gw-20261207-0000000001',
    operation: 'create',
    resource: 'customer_gateway',
    account,
    params,
    paramsHash: paramsHash('create', 'customer_gateway', params, {}, hashedAccount(account)),
    requester: { userId: 'U0ASKER' },
    channelId: 'C0NETOPS',
    locale: 'en',
    state: 'approved',
    version: 3,
    createdAt: 0,
    updatedAt: 0,
    expiresAt: 1,
    approvals: [{ userId: 'U0LEAD1', at: 0 }],
    cloud: { facts: {}, requestIds: [] },
  };
}

describe('the approval covers the account', () => {
  it('holds for the account approved, and not once the record names another', () => {
    const approved = request('production');
    expect(approvedAsStored(approved, {}, undefined)).toBe(true);
    expect(approvedAsStored({ ...approved, account: 'staging' }, {}, undefined)).toBe(false);
    expect(approvedAsStored({ ...approved, account: 'default' }, {}, undefined)).toBe(false);
  });

  it('keeps the hash of a bot without an accounts file as it was before accounts existed', () => {
    expect(request('default').paramsHash).toBe(paramsHash('create', 'customer_gateway', params));
    expect(approvedAsStored(request('default'), {}, undefined)).toBe(true);
  });
});
