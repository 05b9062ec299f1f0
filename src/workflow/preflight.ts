/**
 * Preflight: run a resource type's declared checks against the cloud, at submission (so a request
 * that cannot succeed is refused in the modal, not approved and failed ten minutes later) and
 * again right before the create call (so nothing is created when the cloud has changed since).
 * A check that could not run (the cloud unreachable, too slow for Slack's 3 s) is `unknown`, with
 * why, never a silent pass; only a check the cloud answered can fail a request.
 */
import { toCloudError } from '../cloud/errors.js';
import { inBoth, type Text } from '../i18n/index.js';
import {
  type Check,
  type CheckContext,
  checksFor,
  deleteTarget,
  type RequestParams,
  type Resource,
  type ResourceOptions,
  resourceOf,
} from '../resources/index.js';
import { DEFAULT_ACCOUNT_NAME } from './accounts.js';
import {
  ACTIVE_STATES,
  type Operation,
  type PreflightCheck,
  type PreflightResult,
  type ResourceRequest,
} from './types.js';

export interface PreflightOptions {
  /** Any VPC action by name in an account (that account's VPC client's `call`). */
  callIn: (account: string) => CheckContext['call'];
  /**
   * The request of the bot's own that last made or deleted a cloud resource, by its id: a resource
   * it is still creating cannot be deleted.
   * @defaultValue none: only the cloud is asked
   */
  madeBy?: (resourceId: string) => Promise<ResourceRequest | undefined>;
  /** The settings in force (quotas among them: each type declares its own and its default). */
  options?: ResourceOptions;
  now?: () => number;
}

/** How a preflight runs: for which operation, in which account, within what time. */
export interface PreflightRun {
  /** @defaultValue `create` */
  operation?: Operation;
  /** @defaultValue the default account (no accounts file) */
  account?: string;
  /** With a budget, a check still running when it ends is `unknown`. @defaultValue none */
  budgetMs?: number;
}

/** Runs a resource type's checks for an operation (its create checks, or its delete checks). */
export type RunPreflight = (
  resource: Resource,
  params: RequestParams,
  run?: PreflightRun,
) => Promise<PreflightResult>;

function couldNotCheck(id: string, err: unknown): PreflightCheck {
  const e = toCloudError(err, 'preflight');
  return {
    id,
    outcome: 'unknown',
    detail: inBoth((m) =>
      m.preflight.notChecked({ action: e.action === 'preflight' ? '' : e.action, code: e.code }),
    ),
  };
}

function tooSlow(id: string, budgetMs: number): PreflightCheck {
  const seconds = (budgetMs / 1000).toFixed(1);
  return {
    id,
    outcome: 'unknown',
    detail: inBoth((m) => m.preflight.tooSlow({ seconds })),
  };
}

/**
 * The cloud calls of one preflight run: checks that ask the same thing (a region's list, for a
 * value not taken and for the quota) share one call, which paced describes make worth having:
 * a burst of creates in one region re-checks each right before its create call.
 */
function sharedCalls(call: CheckContext['call']): CheckContext['call'] {
  const made = new Map<string, Promise<unknown>>();
  return <T>(action: string, params: Parameters<CheckContext['call']>[1]) => {
    const key = JSON.stringify([action, Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1))]);
    let answer = made.get(key);
    if (!answer) {
      answer = call<T>(action, params);
      made.set(key, answer);
    }
    return answer as Promise<T>;
  };
}

/**
 * Before a delete: the bot is not still creating the resource (a create request of its own that
 * has the id and has not finished: it would go on watching a resource that is gone). Checked at
 * submission and again right before the delete call.
 */
function notBeingMade(madeBy: NonNullable<PreflightOptions['madeBy']>): Check<RequestParams> {
  return {
    id: 'in_flight',
    async run(params) {
      const { id } = deleteTarget(params);
      const maker = await madeBy(id);
      const making = maker?.operation === 'create' && ACTIVE_STATES.has(maker.state);
      return making
        ? {
            id: 'in_flight',
            outcome: 'fail',
            detail: inBoth((m) => m.deletion.stillBeingMade({ target: id, id: maker.id })),
          }
        : {
            id: 'in_flight',
            outcome: 'pass',
            detail: inBoth((m) => m.deletion.notBeingMade({ target: id })),
          };
    },
  };
}

export function createPreflight(o: PreflightOptions): RunPreflight {
  const now = o.now ?? Date.now;
  return async function runPreflight(resource, params, run = {}) {
    const { operation = 'create', account = DEFAULT_ACCOUNT_NAME, budgetMs } = run;
    const ctx: CheckContext = {
      call: sharedCalls(o.callIn(account)),
      options: o.options ?? {},
      listOf: (type) => resourceOf(type).list,
    };
    const declared = checksFor(resource, operation);
    const checks = [
      ...(operation !== 'create' && o.madeBy ? [notBeingMade(o.madeBy)] : []),
      ...declared,
    ].filter((c) => {
      // A condition that reads a field still in error (readingValid) cannot hold yet.
      try {
        return c.when?.(params) ?? true;
      } catch {
        return false;
      }
    });
    const results = await Promise.all(
      checks.map(async (check): Promise<PreflightCheck[]> => {
        const ran = check.run(params, ctx).then(
          (r) => (Array.isArray(r) ? [...r] : [r as PreflightCheck]),
          (err: unknown) => [couldNotCheck(check.id, err)],
        );
        if (budgetMs === undefined) return ran;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<PreflightCheck[]>((resolve) => {
          timer = setTimeout(() => resolve([tooSlow(check.id, budgetMs)]), budgetMs);
        });
        try {
          return await Promise.race([ran, late]);
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const flat = results.flat();
    return { ok: flat.every((c) => c.outcome !== 'fail'), checkedAt: now(), checks: flat };
  };
}

/**
 * Failed checks as modal errors, keyed by the field each belongs to (the region by default). A
 * check's finding already names what it found and what to do, and is shown as it is.
 */
export function preflightErrors(result: PreflightResult): Record<string, Text> {
  const errors: Record<string, Text> = {};
  for (const check of result.checks) {
    if (check.outcome !== 'fail') continue;
    const field = check.param ?? 'RegionId';
    errors[field] ??= check.detail;
  }
  return errors;
}
