/**
 * Which account a request is made in: one of the accounts the channel may use (ACCOUNTS_FILE), the
 * one chosen in the form where the channel has several, and a region that account offers. Every
 * refusal is a field error in both languages, on the field a person can change.
 */
import { type Account, accountsOf } from '../config/index.js';
import { inBoth, type Text } from '../i18n/index.js';

/** A refusal is shown on the account select, or, in a form without one, on its first field (`field` unset). */
export type AccountChoice = { ok: true; account: Account } | { ok: false; field?: string; message: Text };

/** The block id of the account select (the contract's name). */
export const ACCOUNT_FIELD = 'account';

/** The account a form in this channel is for, from the choice made in it (none where there is one account). */
export function chooseAccount(
  accounts: readonly Account[],
  channelId: string,
  chosen: string | undefined,
): AccountChoice {
  const usable = accountsOf(accounts, channelId);
  if (usable.length === 0) return { ok: false, message: inBoth((m) => m.accounts.noneForChannel) };
  // The form of a channel with one account asks nothing: a value sent anyway is not a choice.
  const only = usable.length === 1 ? usable[0] : undefined;
  if (only) return { ok: true, account: only };
  if (chosen === undefined || chosen === '')
    return { ok: false, field: ACCOUNT_FIELD, message: inBoth((m) => m.accounts.choose) };
  const account = usable.find((a) => a.name === chosen);
  if (account) return { ok: true, account };
  return {
    ok: false,
    field: ACCOUNT_FIELD,
    message: inBoth((m) => m.accounts.notForChannel({ choices: usable.map((a) => a.name) })),
  };
}

/** A region the account offers (every region, where its entry names none), or why not. */
export function regionProblem(account: Account, regionId: string): Text | undefined {
  if (!account.regions || account.regions.includes(regionId)) return undefined;
  const regions = account.regions;
  return inBoth((m) => m.accounts.regionNotOffered({ region: regionId, account: account.name, regions }));
}
