import type { FastifyInstance } from 'fastify';
import { registry } from '@app/observability';

/** State in memory that a fresh app would not have: a cache, counters, blocks. */
export interface ForgetsForTest {
  /** Drops it, so the app answers as if it had just booted against the database it sees now. */
  forgetForTest(): void;
}

/** Work an app does on its own while nobody calls it (a poller): none while its stack is parked. */
export interface PausesForTest {
  pauseForTest(): void;
  /** Goes on as after a boot. */
  resumeForTest(): void;
}

const owners = new Set<WeakRef<ForgetsForTest>>();
const pausable = new Set<WeakRef<PausesForTest>>();

/**
 * Every owner of such state registers itself here (in its constructor), so the test reset below finds
 * them all without knowing them. Weak: a unit test's discarded services are not kept alive.
 */
export function forgetOnTestReset(owner: ForgetsForTest): void {
  owners.add(new WeakRef(owner));
}

/** Every poller registers itself (when it starts), for the park and unpark below. Weak, as above. */
export function pauseOnTestPark(owner: PausesForTest): void {
  pausable.add(new WeakRef(owner));
}

function each<T extends object>(set: Set<WeakRef<T>>, act: (owner: T) => void): void {
  for (const ref of set) {
    const owner = ref.deref();
    if (owner) act(owner);
    else set.delete(ref);
  }
}

/**
 * POST /__test/reset (NODE_ENV=test only): libs/testing parks a booted stack between test files, resets
 * its database, then calls this so no cache, rate-limit block or metric of the previous file survives.
 */
export function serveTestReset(fastify: FastifyInstance, nodeEnv: string): void {
  if (nodeEnv !== 'test') return;
  fastify.post('/__test/reset', async (_request, reply) => {
    each(owners, (owner) => owner.forgetForTest());
    registry.resetMetrics();
    return reply.code(204).send();
  });
  // A parked stack waits for the next file with its pollers paused: idle, they cost both apps ~20 ms of
  // CPU a second, and a worker parks up to three stacks.
  fastify.post('/__test/park', async (_request, reply) => {
    each(pausable, (owner) => owner.pauseForTest());
    return reply.code(204).send();
  });
  fastify.post('/__test/unpark', async (_request, reply) => {
    each(pausable, (owner) => owner.resumeForTest());
    return reply.code(204).send();
  });
}
