import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvelopeBody, HttpAnswer, HttpClient } from '@app/testing';

export const CORPUS = join(__dirname, '../../apps/workflow/src/engine/__tests__/fixtures/corpus');
export const FIXTURES = join(__dirname, '../fixtures/bpmn');

export const corpusXml = (name: string) => readFileSync(join(CORPUS, name), 'utf8');
export const fixtureXml = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

export interface TaskView {
  id: string;
  instanceId: string;
  elementId: string;
  name: string;
  assigneeId: string | null;
  candidates: string[];
  status: string;
  multiInstance: { index: number; total: number } | null;
}

export interface InstanceView {
  id: string;
  serialNo: string;
  status: string;
  version: number;
  tasks: TaskView[];
  variables?: Record<string, unknown>;
  history?: {
    elementId: string;
    executionId: string;
    enteredAt: string;
    leftAt: string | null;
    actorId: string | null;
    outcome: string | null;
  }[];
  comments?: { type: string; message: string; actorId: string }[];
}

export function ok<T>(answer: HttpAnswer<EnvelopeBody<T>>, what = 'request'): T {
  if (answer.status !== 200 || answer.body?.code !== 200) {
    throw new Error(`${what}: HTTP ${answer.status} ${answer.text.slice(0, 2000)}`);
  }
  return answer.body.data;
}

export async function deploy(
  http: HttpClient,
  xml: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; key: string; version: number }> {
  return ok(await http.post('/api/v1/workflow/deployments', { xml, ...extra }), 'deploy');
}

export async function start(
  http: HttpClient,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<InstanceView> {
  return ok(await http.post('/api/v1/workflow/instances', body, { headers }), 'start');
}

export async function openTasks(http: HttpClient, instanceId: string): Promise<TaskView[]> {
  const detail = ok<InstanceView>(await http.get(`/api/v1/workflow/instances/${instanceId}`), 'instance');
  return detail.tasks;
}

export async function instance(http: HttpClient, instanceId: string): Promise<InstanceView> {
  return ok<InstanceView>(await http.get(`/api/v1/workflow/instances/${instanceId}`), 'instance');
}

export async function complete(
  http: HttpClient,
  taskId: string,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return ok<{ instanceStatus: string; createdTasks: TaskView[] }>(
    await http.post(`/api/v1/workflow/tasks/${taskId}/complete`, body, { headers }),
    `complete ${taskId}`,
  );
}

export async function until<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  // 25 ms doubling to 200: most conditions hold within a poll or two of the app, and a fixed 200 ms
  // pause left each wait ~100 ms late on average; long waits still probe five times a second.
  for (let pause = 25; ; pause = Math.min(pause * 2, 200)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** Runs `work` over `items` with at most `limit` in flight (a realistic client, not a thundering herd). */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}
