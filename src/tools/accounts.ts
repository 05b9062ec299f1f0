/**
 * `npm run accounts -- check [FILE]`: an accounts file checked without starting the bot, against
 * this environment (the variables it names must be set here, as where the bot runs). Prints each
 * account with its channels, regions and how the bot signs in to it (never a key), or every
 * problem with its line and column. Exit 0 when valid, 1 when not, 2 for a wrong command line.
 * FILE defaults to ACCOUNTS_FILE.
 */
import { type Account, AccountsError, loadAccountsFile } from '../config/accounts.js';

const USAGE = 'usage: npm run accounts -- check [FILE]   (FILE defaults to ACCOUNTS_FILE)';

const out = (line = '') => process.stdout.write(`${line}\n`);

function signIn(account: Account): string {
  const c = account.credentials;
  if (c.kind === 'keys') return `access key from ${c.variables[0]} and ${c.variables[1]}`;
  if (c.kind === 'role')
    return `RAM role ${c.roleArn}${c.externalId ? ' (with an external id)' : ''}, assumed with the bot's own credentials`;
  return "the environment's own credentials";
}

function check(args: readonly string[]): number {
  const file = args[0] ?? process.env.ACCOUNTS_FILE;
  if (args.length > 1 || file === undefined || file.startsWith('-')) {
    process.stderr.write(
      `${file === undefined ? 'no FILE, and ACCOUNTS_FILE is not set' : 'one FILE only'}\n${USAGE}\n`,
    );
    return 2;
  }
  let accounts: Account[];
  try {
    accounts = loadAccountsFile(file, process.env);
  } catch (err) {
    if (!(err instanceof AccountsError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  out(`${file}: ${accounts.length} account${accounts.length === 1 ? '' : 's'}`);
  for (const account of accounts) {
    out();
    out(`${account.name}${account.label ? `  (${account.label.en} / ${account.label['zh-CN']})` : ''}`);
    out(`  channels:  ${account.channels === 'any' ? 'every channel' : account.channels.join(', ')}`);
    out(`  regions:   ${account.regions?.join(', ') ?? 'every region of the account'}`);
    out(`  signs in:  ${signIn(account)}`);
  }
  const shared = new Map<string, string[]>();
  for (const account of accounts)
    for (const channel of account.channels === 'any' ? [] : account.channels)
      shared.set(channel, [...(shared.get(channel) ?? []), account.name]);
  const several = [...shared].filter(([, names]) => names.length > 1);
  if (several.length > 0) {
    out();
    for (const [channel, names] of several)
      out(`${channel} may use ${names.join(' and ')}: its forms ask which.`);
  }
  return 0;
}

const [command, ...args] = process.argv.slice(2);
if (command === 'check') process.exitCode = check(args);
else {
  process.stderr.write(
    `${command === undefined ? 'which command?' : `unknown command "${command}"`}\n${USAGE}\n`,
  );
  process.exitCode = 2;
}
