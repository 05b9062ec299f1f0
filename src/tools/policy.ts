/**
 * `npm run policy`: the approval policy file, checked and tried without starting the bot.
 *
 *   npm run policy -- check [FILE]     every problem with its line and column; exit 0 when valid, 1 when not;
 *                                      warnings (a pattern only known when its rule runs) on a valid file
 *   npm run policy -- explain [FILE] --resource vpn_gateway --operation create \
 *       --param RegionId=cn-hangzhou --param Bandwidth=500 [--account A] [--channel C…] [--requester U…]
 *       [--lang zh-CN]
 *                                      the rules a request matches and the decision
 *
 * FILE defaults to POLICY_FILE. `explain` takes the base rule (APPROVERS, APPROVER_USERGROUP,
 * REQUIRED_APPROVALS, ALLOW_SELF_APPROVAL) from the environment, as the bot would. Parameter
 * values are typed as the request record stores them: whole numbers are integers, true and false
 * are booleans, anything else (or anything in double quotes, such as "123") is a string.
 */
import { ConfigError, loadConfig } from '../config/index.js';
import { isLocale, type Locale } from '../i18n/index.js';
import { exitWhenWritten } from '../observability/exit-when-written.js';
import {
  evaluatePolicy,
  formatProblem,
  loadPolicyFile,
  type ParamValue,
  POLICY_OPERATIONS,
  PolicyError,
  type PolicyOperation,
  type PolicyResource,
  plainMention,
  type RequestFacts,
} from '../policy/index.js';
import { findResource, resources } from '../resources/index.js';

const USAGE = `usage: npm run policy -- check [FILE]
       npm run policy -- explain [FILE] --resource ${resources()
         .map((r) => r.type)
         .join('|')} --operation ${POLICY_OPERATIONS.join('|')}
                         [--param NAME=VALUE]... [--account NAME] [--channel C…] [--requester U…] [--lang en|zh-CN]
FILE defaults to POLICY_FILE. VALUE: whole numbers are integers, true/false booleans, the rest strings ("123" in double quotes is a string).`;

class UsageError extends Error {}

const out = (line = '') => process.stdout.write(`${line}\n`);

/** A command-line value typed as the request record would store it. */
function paramValue(raw: string): ParamValue {
  if (/^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1);
  return raw;
}

function typeOf(value: ParamValue): string {
  return typeof value === 'number' ? 'integer' : typeof value === 'boolean' ? 'boolean' : 'string';
}

interface ExplainArgs {
  file?: string;
  facts: RequestFacts;
  lang: Locale;
}

function parseExplainArgs(args: string[]): ExplainArgs {
  let file: string | undefined;
  let resource: string | undefined;
  let operation: string | undefined;
  let channel = '';
  let requester = '';
  let account = 'default';
  let lang: Locale = 'en';
  const params: Record<string, ParamValue> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--resource') resource = value();
    else if (arg === '--operation') operation = value();
    else if (arg === '--channel') channel = value();
    else if (arg === '--requester') requester = value();
    else if (arg === '--account') account = value();
    else if (arg === '--lang') {
      const l = value();
      if (!isLocale(l)) throw new UsageError(`--lang must be en or zh-CN (got "${l}")`);
      lang = l;
    } else if (arg === '--param') {
      const pair = value();
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--param needs NAME=VALUE (got "${pair}")`);
      params[pair.slice(0, eq)] = paramValue(pair.slice(eq + 1));
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`one policy file at a time (got "${file}" and "${arg}")`);
  }
  if (!findResource(resource ?? '')) {
    throw new UsageError(
      `--resource must be one of ${resources()
        .map((r) => r.type)
        .join(', ')}`,
    );
  }
  if (!(POLICY_OPERATIONS as readonly string[]).includes(operation ?? '')) {
    throw new UsageError(`--operation must be one of ${POLICY_OPERATIONS.join(', ')}`);
  }
  return {
    ...(file === undefined ? {} : { file }),
    facts: {
      operation: operation as PolicyOperation,
      resource: resource as PolicyResource,
      account,
      params,
      channel,
      requester,
    },
    lang,
  };
}

function fileOr(file: string | undefined): string {
  const path = file ?? process.env.POLICY_FILE?.trim();
  if (!path) throw new UsageError('give a policy FILE, or set POLICY_FILE');
  return path;
}

async function check(args: string[]): Promise<number> {
  if (args.length > 1 || args.some((a) => a.startsWith('--'))) throw new UsageError('check takes one FILE');
  const path = fileOr(args[0]);
  const policy = await loadPolicyFile(path);
  out(
    `${path}: valid, ${policy.rules.length} rule${policy.rules.length === 1 ? '' : 's'}${
      policy.rules.length > 0 ? `: ${policy.rules.map((r) => r.name).join(', ')}` : ''
    }`,
  );
  for (const warning of policy.warnings) out(`  warning: ${formatProblem(path, warning)}`);
  return 0;
}

async function explain(args: string[]): Promise<number> {
  const { file, facts, lang } = parseExplainArgs(args);
  const path = fileOr(file);
  const policy = await loadPolicyFile(path);
  const base = loadConfig(process.env).approval;
  const decision = evaluatePolicy(policy, base, facts, { mention: plainMention });

  const params = Object.entries(facts.params);
  out(
    `request:  ${facts.operation} ${facts.resource}, channel ${facts.channel || '"" (not given)'}, requester ${facts.requester || '"" (not given)'}`,
  );
  out(
    `params:   ${params.length === 0 ? 'none' : params.map(([k, v]) => `${k}=${JSON.stringify(v)} (${typeOf(v)})`).join(', ')}`,
  );
  const baseIds = [...base.approvers, ...(base.usergroup ? [base.usergroup] : [])];
  out(
    `base:     ${base.requiredApprovals} approval(s) from ${baseIds.join(', ') || 'nobody'}; self-approval ${
      base.allowSelfApproval ? 'allowed' : 'not allowed'
    } (from the environment)`,
  );
  if (baseIds.length === 0)
    out(
      '          APPROVERS and APPROVER_USERGROUP are not set here: set them as the bot has them, or nobody may approve',
    );
  out(`policy:   ${path}, ${policy.rules.length} rule(s)`);
  out();
  const matched = new Set(decision.matches.map((m) => m.rule));
  for (const rule of policy.rules) {
    const match = decision.matches.find((m) => m.rule === rule.name);
    out(`${matched.has(rule.name) ? 'MATCH' : '  -  '}  ${rule.name}  (line ${rule.position.line})`);
    out(`       when: ${rule.when.trim().replace(/\s*\n\s*/g, ' ')}`);
    if (match) out(`       ${match.explanation[lang]}`);
  }
  out();
  if (decision.outcome === 'denied') {
    out(`decision: DENIED by rule ${decision.rule}`);
    out(`  en:    ${decision.message.en}`);
    out(`  zh-CN: ${decision.message['zh-CN']}`);
  } else {
    out(`decision: ${decision.summary[lang]}`);
    if (decision.unsatisfiable) out(`warning:  ${decision.unsatisfiable[lang]}`);
  }
  return 0;
}

async function main([command, ...args]: string[]): Promise<number> {
  try {
    if (command === 'check') return await check(args);
    if (command === 'explain') return await explain(args);
    throw new UsageError(command === undefined ? 'which command?' : `unknown command "${command}"`);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof PolicyError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => exitWhenWritten(code),
  (err: unknown) => {
    process.stderr.write(
      `${err instanceof ConfigError ? err.message : `policy failed: ${(err as Error).message}`}\n`,
    );
    return exitWhenWritten(err instanceof ConfigError ? 2 : 1);
  },
);
