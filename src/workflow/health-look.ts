/**
 * One look of the health sweep at a created resource, as a decision for the store's
 * compare-and-set: each part (a connection's tunnel) is compared with its state as last confirmed;
 * a part seen otherwise is noted (`seen`) and, seen so again on the next look, confirmed as a
 * change (numbered, to be announced once). Nothing new: nothing is written.
 *
 * The health of a resource starts where its settle window ended: the parts as the facts stood at
 * its end (the settle message said them), so the handover announces nothing twice.
 */
import type { HealthPart, HealthSpec } from '../resources/index.js';
import type { Decision } from './store.js';
import type { HealthChange, HealthPartState, HealthRecord, ResourceRequest } from './types.js';

/** The changes a record keeps: enough for every message still on its way. */
const KEPT_CHANGES = 20;

/** Whether the health sweep looks after this request now: a create that succeeded and settled, or an adoption. */
export function followed(request: ResourceRequest): boolean {
  return (
    (request.operation === 'create' || request.operation === 'adopt') &&
    request.state === 'succeeded' &&
    request.cloud.resourceId !== undefined &&
    (request.settle === undefined ||
      (request.settle.outcome !== undefined && request.settle.outcome !== 'gone'))
  );
}

/** The parts as they stood when the watch handed over: from the facts, since its end. */
function baseline(request: ResourceRequest, spec: HealthSpec): Record<string, HealthPartState> {
  const since = request.settle?.at ?? request.finishedAt ?? request.updatedAt;
  return Object.fromEntries(spec.parts(request.cloud.facts).map((p) => [p.key, { up: p.up, since }]));
}

/** One part after a look: unchanged, noted as seen otherwise, or a confirmed change. */
function lookAtPart(
  state: HealthPartState,
  part: HealthPart,
  at: number,
  minGapMs: number,
): { next: HealthPartState; change?: Omit<HealthChange, 'seq'> } {
  if (part.up === state.up) return { next: { up: state.up, since: state.since } };
  const seen = state.seen;
  // A second look in the new state: confirmed. Two sweeps a moment apart are not two looks.
  if (seen && seen.up === part.up && at - seen.at >= minGapMs) {
    return {
      next: { up: part.up, since: seen.at },
      change: {
        part: part.key,
        label: part.label,
        up: part.up,
        at: seen.at,
        confirmedAt: at,
        ...(part.up ? { downSince: state.since } : {}),
      },
    };
  }
  if (seen && seen.up === part.up) return { next: state };
  return { next: { up: state.up, since: state.since, seen: { up: part.up, at } } };
}

/**
 * Applies one look (the row's facts, read at `at`) to the request. `minGapMs` is the least time
 * between two looks that count as two (half the sweep interval).
 */
export function recordHealthLook(
  request: ResourceRequest,
  spec: HealthSpec,
  facts: Readonly<Record<string, string>>,
  at: number,
  minGapMs: number,
): Decision {
  if (!followed(request)) return { kind: 'skip' };
  const before: HealthRecord = request.health ?? { parts: baseline(request, spec), changes: [], seq: 0 };
  const parts: Record<string, HealthPartState> = { ...before.parts };
  const changes: HealthChange[] = [];
  let seq = before.seq;
  for (const part of spec.parts(facts)) {
    const state = parts[part.key] ?? { up: part.up, since: at };
    const { next, change } = lookAtPart(state, part, at, minGapMs);
    parts[part.key] = next;
    if (change) changes.push({ seq: ++seq, ...change });
  }
  if (request.health && JSON.stringify(parts) === JSON.stringify(before.parts)) return { kind: 'skip' };
  const health: HealthRecord = { parts, changes: [...before.changes, ...changes].slice(-KEPT_CHANGES), seq };
  return {
    kind: 'apply',
    action: changes.length > 0 ? 'health_changed' : 'health_seen',
    details: Object.fromEntries(
      Object.entries(parts).map(([key, p]) => [
        key,
        `${p.up ? 'up' : 'down'}${p.seen ? ' (seen otherwise once)' : ''}`,
      ]),
    ),
    // The facts follow confirmed changes only: the tunnels-down index says what was confirmed.
    next: {
      ...request,
      health,
      ...(changes.length > 0
        ? { cloud: { ...request.cloud, facts: { ...request.cloud.facts, ...facts } } }
        : {}),
    },
  };
}

/** The changes a write confirmed, to be announced. */
export function newChanges(previous: ResourceRequest, next: ResourceRequest): HealthChange[] {
  const from = previous.health?.seq ?? 0;
  return (next.health?.changes ?? []).filter((c) => c.seq > from);
}
