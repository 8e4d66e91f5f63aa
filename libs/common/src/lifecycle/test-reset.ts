import type { FastifyInstance } from 'fastify';
import { registry } from '@app/observability';

/** State in memory that a fresh app would not have: a cache, counters, blocks. */
export interface ForgetsForTest {
  /** Drops it, so the app answers as if it had just booted against the database it sees now. */
  forgetForTest(): void;
}

const owners = new Set<WeakRef<ForgetsForTest>>();

/**
 * Every owner of such state registers itself here (in its constructor), so the test reset below finds
 * them all without knowing them. Weak: a unit test's discarded services are not kept alive.
 */
export function forgetOnTestReset(owner: ForgetsForTest): void {
  owners.add(new WeakRef(owner));
}

/**
 * POST /__test/reset (NODE_ENV=test only): libs/testing parks a booted stack between test files, resets
 * its database, then calls this so no cache, rate-limit block or metric of the previous file survives.
 */
export function serveTestReset(fastify: FastifyInstance, nodeEnv: string): void {
  if (nodeEnv !== 'test') return;
  fastify.post('/__test/reset', async (_request, reply) => {
    for (const ref of owners) {
      const owner = ref.deref();
      if (owner) owner.forgetForTest();
      else owners.delete(ref);
    }
    registry.resetMetrics();
    return reply.code(204).send();
  });
}
