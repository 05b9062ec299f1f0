/**
 * Failures as a request records and shows them: the cloud's own errors (classified by the cloud
 * error model) and the few the workflow itself decides (a time limit, parameters that changed
 * after approval, a preflight that failed right before the create call, a secret that cannot be
 * opened). Each says what happened and what to do, in both languages.
 */
import { CloudError, toCloudError } from '../cloud/errors.js';
import { inBoth, type Text, text } from '../i18n/index.js';
import type { RequestError } from './types.js';

/** Failures decided from the request alone, in the words of the catalogue's `failure` section. */
type RequestFailureCode =
  | 'CreateDeadlinePassed'
  | 'ParamsChanged'
  | 'PreflightFailed'
  | 'ResourceGone'
  | 'SecretUnavailable';

const REQUEST_FAILURES: Record<RequestFailureCode, (id: string) => Pick<RequestError, 'what' | 'todo'>> = {
  CreateDeadlinePassed: (id) => ({
    what: inBoth((m) => m.failure.createDeadlinePassed({ id })),
    todo: inBoth((m) => m.failure.createDeadlinePassedTodo({ id })),
  }),
  ParamsChanged: (id) => ({
    what: inBoth((m) => m.failure.paramsChanged({ id })),
    todo: inBoth((m) => m.failure.paramsChangedTodo),
  }),
  PreflightFailed: (id) => ({
    what: inBoth((m) => m.failure.preflightFailed({ id })),
    todo: inBoth((m) => m.failure.preflightFailedTodo),
  }),
  ResourceGone: (id) => ({
    what: inBoth((m) => m.failure.resourceGone({ id })),
    todo: inBoth((m) => m.failure.resourceGoneTodo),
  }),
  SecretUnavailable: (id) => ({
    what: inBoth((m) => m.failure.secretUnavailable({ id })),
    todo: inBoth((m) => m.failure.secretUnavailableTodo),
  }),
};

export function workflowError(code: RequestFailureCode, vars: { requestId: string }): RequestError {
  return { code, retryable: false, ...REQUEST_FAILURES[code](vars.requestId) };
}

/** The time limit passed while a resource was watched; `hint` (the declaration's) says what may still happen. */
export function timeoutError(v: {
  title: Text;
  resourceId: string;
  waitedMs: number;
  hint: Text;
}): RequestError {
  return {
    code: 'ProvisionTimeout',
    retryable: false,
    what: inBoth((m, locale) =>
      m.failure.provisionTimeout({
        title: v.title[locale],
        target: v.resourceId,
        waited: m.duration({ ms: v.waitedMs }),
      }),
    ),
    todo: v.hint,
  };
}

/** A deletion Alibaba accepted, but the resource was still listed when the time limit passed. */
export function deleteTimeoutError(v: {
  title: Text;
  resourceId: string;
  regionId: string;
  status: string;
  waitedMs: number;
  requestId: string;
}): RequestError {
  return {
    code: 'DeleteTimeout',
    retryable: false,
    what: inBoth((m, locale) =>
      m.failure.deleteTimeout({
        title: v.title[locale],
        target: v.resourceId,
        status: v.status,
        waited: m.duration({ ms: v.waitedMs }),
      }),
    ),
    todo: inBoth((m) =>
      m.failure.deleteTimeoutTodo({ target: v.resourceId, region: v.regionId, id: v.requestId }),
    ),
  };
}

/** Any failure of a cloud call, as the request records it. */
export function toRequestError(err: unknown, action = 'unknown'): RequestError {
  const cloud = err instanceof CloudError ? err : toCloudError(err, action);
  const en = cloud.explain('en');
  const zh = cloud.explain('zh-CN');
  return {
    code: cloud.code,
    retryable: cloud.retryable,
    ...(cloud.httpStatus !== undefined ? { httpStatus: cloud.httpStatus } : {}),
    ...(cloud.requestId !== undefined ? { requestId: cloud.requestId } : {}),
    what: text(en.what, zh.what),
    todo: text(en.todo, zh.todo),
  };
}
