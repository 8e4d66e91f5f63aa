import type { InstanceDetail } from '@/api/client';
import { formatDateTime, formatDuration } from '@/utils/time';

/** Node types a person sees in the 流转记录 (gateways and flows are plumbing). */
const SHOWN = /^(userTask|startEvent|endEvent|manualTask|receiveTask|callActivity|subProcess)$/;

export interface TrailEntry {
  key: string;
  elementId: string;
  node: string;
  actorId: string | null;
  enteredAt: string;
  leftAt: string | null;
  duration: string;
  /** open, completed, cancelled, returned, rejected, delegated, transferred … */
  state: string;
  comments: { type: string; actorId: string; message: string; at: string }[];
}

/** Comments that say how a passage ended (a transfer or delegation happens on the way). */
const STATE_BY_COMMENT: Record<string, string> = {
  return: 'returned',
  reject: 'rejected',
};

/** The 流转记录: who handled which node, when, how long, and what they wrote. */
export function processTrail(instance: Pick<InstanceDetail, 'history' | 'comments'>): TrailEntry[] {
  const commentsByTask = new Map<string, InstanceDetail['comments']>();
  for (const c of instance.comments) {
    if (!c.taskId) continue;
    commentsByTask.set(c.taskId, [...(commentsByTask.get(c.taskId) ?? []), c]);
  }
  return instance.history
    .filter((h) => SHOWN.test(h.elementType))
    .sort((a, b) => a.enteredAt.localeCompare(b.enteredAt))
    .map((h, i) => {
      const comments = (h.taskId ? commentsByTask.get(h.taskId) : undefined) ?? [];
      const decisive = comments.map((c) => STATE_BY_COMMENT[c.type]).find(Boolean);
      const state = !h.leftAt ? 'open' : (decisive ?? h.outcome ?? 'completed');
      return {
        key: `${h.elementId}-${h.enteredAt}-${i}`,
        elementId: h.elementId,
        node: h.elementName ?? h.elementId,
        actorId: h.actorId ?? null,
        enteredAt: h.enteredAt,
        leftAt: h.leftAt ?? null,
        duration: formatDuration(h.enteredAt, h.leftAt ?? null),
        state,
        comments: comments.map((c) => ({
          type: c.type,
          actorId: c.actorId,
          message: c.message,
          at: c.createdAt,
        })),
      };
    });
}

/** Nodes a return sent the run back from (coloured as returned in the diagram). */
export function returnedNodes(trail: TrailEntry[]): string[] {
  return [...new Set(trail.filter((e) => e.state === 'returned').map((e) => e.elementId))];
}

/** Hover text per node: the latest passage through it. */
export function nodeDetails(
  trail: TrailEntry[],
  label: { who: string; entered: string; left: string; comment: string },
  nameOf: (id: string | null) => string,
): Record<string, { lines: string[] }> {
  const out: Record<string, { lines: string[] }> = {};
  for (const entry of trail) {
    const lines: string[] = [];
    if (entry.actorId) lines.push(`${label.who}: ${nameOf(entry.actorId)}`);
    lines.push(`${label.entered}: ${formatDateTime(entry.enteredAt)}`);
    if (entry.leftAt) lines.push(`${label.left}: ${formatDateTime(entry.leftAt)} (${entry.duration})`);
    for (const c of entry.comments) if (c.message) lines.push(`${label.comment}: ${c.message}`);
    out[entry.elementId] = { lines };
  }
  return out;
}
