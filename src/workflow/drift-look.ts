/**
 * One look of the health sweep at what a created resource was approved as: each attribute its
 * declaration compares (`drift`), or the resource gone from the account. A difference not seen
 * before (or now another value) is numbered and announced once (`drift`); one that went away is
 * forgotten, so it is said again if it comes back. A resource the bot is deleting is not drift:
 * the sweep does not ask then.
 */
import { inBoth } from '../i18n/index.js';
import type { CloudItem, DriftSpec } from '../resources/index.js';
import type { Decision } from './store.js';
import type { DriftChange, DriftDifference, DriftRecord, ResourceRequest } from './types.js';

const KEPT_CHANGES = 20;

/** The key of the difference "no longer in the account". */
export const GONE = 'gone';

function differences(
  request: ResourceRequest,
  spec: DriftSpec,
  item: CloudItem | undefined,
): DriftDifference[] {
  if (!item)
    return [
      {
        key: GONE,
        label: inBoth((m) => m.thread.inAccount),
        approved: 'present',
        now: 'gone',
      },
    ];
  return spec.attributes.flatMap((a) => {
    // An adopted resource was never asked for through the bot: it is compared with how it was taken over.
    const approved = request.baseline ? (request.baseline[a.key] ?? '') : a.approved(request.params);
    const now = a.now(item);
    return approved !== '' && approved !== now ? [{ key: a.key, label: a.label, approved, now }] : [];
  });
}

/** Applies one look: the listed row, or undefined when the whole list was read and it is not there. */
export function recordDriftLook(
  request: ResourceRequest,
  spec: DriftSpec,
  item: CloudItem | undefined,
  at: number,
): Decision {
  const before: DriftRecord = request.drift ?? { differs: {}, changes: [], seq: 0 };
  const now = differences(request, spec, item);
  const differs = Object.fromEntries(now.map((d) => [d.key, d]));
  const fresh = now.filter((d) => before.differs[d.key]?.now !== d.now);
  if (fresh.length === 0 && Object.keys(differs).length === Object.keys(before.differs).length)
    return { kind: 'skip' };
  const change: DriftChange[] = fresh.length > 0 ? [{ seq: before.seq + 1, at, differences: fresh }] : [];
  return {
    kind: 'apply',
    action: fresh.length > 0 ? 'drift_seen' : 'drift_cleared',
    details: Object.fromEntries(now.map((d) => [d.key, `${d.approved} → ${d.now}`])),
    next: {
      ...request,
      drift: {
        differs,
        changes: [...before.changes, ...change].slice(-KEPT_CHANGES),
        seq: before.seq + change.length,
      },
    },
  };
}
