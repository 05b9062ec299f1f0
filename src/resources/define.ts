/**
 * `defineResource`: how a declaration file turns its typed declaration into the registry's form.
 */
import type { ParamSpec, ParamsOf, RequestParams, Resource, ResourceDefinition } from './spec.js';

/**
 * Checks a declaration and erases its parameter types, so the workflow can hold any of them. The
 * one cast here is sound because the workflow only ever passes a declaration the parameters its
 * own validation produced (and the approval hash proves they were not changed since).
 */
export function defineResource<const Ps extends readonly ParamSpec[]>(def: ResourceDefinition<Ps>): Resource {
  const region = def.params.find((p) => p.name === 'RegionId');
  if (!region?.required || region.type !== 'string')
    throw new Error(`${def.type}: every resource type declares RegionId as a required string`);
  const names = new Set(def.params.map((p) => p.name));
  if (names.size !== def.params.length) throw new Error(`${def.type}: a parameter is declared twice`);
  const unique = (def.unique ?? []).map((entry): readonly string[] =>
    typeof entry === 'string' ? [entry] : entry,
  );
  for (const name of unique.flat())
    if (!names.has(name)) throw new Error(`${def.type}: unique parameter ${name} is not declared`);
  for (const param of def.params)
    if (
      typeof param.source?.list === 'object' &&
      'resource' in param.source.list &&
      param.source.list.resource === def.type
    )
      throw new Error(`${def.type}: ${param.name} lists its own type`);
  const settings = [...(def.settings ?? []), ...(def.quota ? [def.quota.setting] : [])];
  const variables = settings.map((setting) => setting.variable);
  if (new Set(variables).size !== variables.length)
    throw new Error(`${def.type}: a setting is declared twice`);
  if (def.uses?.some((u) => u.resource === def.type)) throw new Error(`${def.type}: it uses its own type`);
  const typed = (params: RequestParams) => params as unknown as ParamsOf<Ps>;
  return {
    type: def.type,
    words: def.words,
    callbackId: def.callbackId,
    title: def.title,
    summary: def.summary,
    idPrefix: def.idPrefix,
    params: def.params,
    ...(def.advancedHeading ? { advancedHeading: def.advancedHeading } : {}),
    crossRules: (def.crossRules ?? []).map((rule) => ({
      param: rule.param,
      holds: (params, options) => rule.holds(typed(params), options),
      message: (params) => rule.message(typed(params)),
    })),
    unique,
    create: def.create,
    list: def.list,
    settings,
    ...(def.quota ? { quota: def.quota } : {}),
    uses: def.uses ?? [],
    calls: def.calls ?? [],
    publishedLimits: def.publishedLimits ?? {},
    ...(def.watch ? { watch: def.watch } : {}),
    ...(def.settle ? { settle: def.settle } : {}),
    ...(def.health ? { health: def.health } : {}),
    ...(def.drift ? { drift: def.drift } : {}),
    ...(def.delete ? { delete: def.delete } : {}),
    ...(def.rotateKey ? { rotateKey: def.rotateKey } : {}),
    ...(def.adopt ? { adopt: def.adopt } : {}),
    ...(def.followUp ? { followUp: def.followUp } : {}),
    ...(def.reveal ? { reveal: def.reveal } : {}),
    ...(def.peerConfig ? { peerConfig: def.peerConfig } : {}),
    wire: def.wire ?? ((params) => ({ ...params })),
    preflight: def.preflight.map((check) => ({
      id: check.id,
      ...(check.when ? { when: (params: RequestParams) => check.when?.(typed(params)) ?? true } : {}),
      run: (params, ctx) => check.run(typed(params), ctx),
    })),
    result: (facts, params, locale) => def.result(facts, typed(params), locale),
    readyStatus: def.readyStatus,
  };
}
