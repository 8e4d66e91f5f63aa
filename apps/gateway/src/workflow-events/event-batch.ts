/**
 * The events of one delivered batch, handled in one transaction. Handlers share reads through it
 * (subscriptions, templates, preference defaults: the batch is handled at one moment, and nothing
 * outlives it, so no other replica's change can be missed by more than one batch) and leave writes
 * collected from every event to run once after the last event's handlers, before the commit.
 */
export class EventBatch {
  private readonly reads = new Map<string, Promise<unknown>>();
  private readonly pending = new Map<string, { value: unknown; flush: (value: unknown) => Promise<void> }>();

  /** The value of a read made once per batch under `key`. */
  read<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.reads.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      this.reads.set(key, value);
    }
    return value;
  }

  /** A collection the batch's events add to under `key`, written by `flush` once at the end. */
  collect<T>(key: string, create: () => T, flush: (value: T) => Promise<void>): T {
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { value: create(), flush: flush as (value: unknown) => Promise<void> };
      this.pending.set(key, entry);
    }
    return entry.value as T;
  }

  /** Runs the collected writes in the order they were first collected. */
  async flush(): Promise<void> {
    for (const { value, flush } of this.pending.values()) await flush(value);
    this.pending.clear();
  }
}
