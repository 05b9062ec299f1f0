/**
 * The account a request is made in, as the workflow keeps it: on the record, in the approval hash
 * (where there is a choice of account), and in the keys of what is kept per account and region
 * (watch lists, sweeps). The account of a bot with no accounts file, `default`, keeps the hash and
 * the keys it had before accounts existed, so requests in flight across an upgrade carry on.
 */
import { DEFAULT_ACCOUNT } from '../config/index.js';

export const DEFAULT_ACCOUNT_NAME = DEFAULT_ACCOUNT.name;

/** The account as the approval hash covers it: none for the default account. */
export function hashedAccount(account: string): string | undefined {
  return account === DEFAULT_ACCOUNT_NAME ? undefined : account;
}

/** Where a resource is, as watch lists and sweeps are keyed: the region, in the account. */
export function placeOf(account: string, regionId: string): string {
  return account === DEFAULT_ACCOUNT_NAME ? regionId : `${account}:${regionId}`;
}
