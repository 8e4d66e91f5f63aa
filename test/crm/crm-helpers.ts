import type { EnvelopeBody, HttpClient } from '@app/testing';

export type Row = Record<string, unknown> & { id: string };
export type PageOf<T = Row> = { total: number; more?: boolean; pageNum: number; pageSize: number; rows: T[] };

/** The `data` of a 200 answer; throws with the answer otherwise. */
export async function ok<T = Row>(answer: Promise<{ status: number; body: unknown }>): Promise<T> {
  const { status, body } = await answer;
  const envelope = body as EnvelopeBody<T>;
  if (status !== 200 || envelope?.code !== 200) throw new Error(`HTTP ${status} ${JSON.stringify(body)}`);
  return envelope.data;
}

export const listOf = <T = Row>(http: HttpClient, path: string) => ok<PageOf<T>>(http.get(path));
