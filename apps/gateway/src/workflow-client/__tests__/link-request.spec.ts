import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { request } from '../workflow.client';

type Reply = (callback: (packet: WritePacket) => void) => void;

/** A transport that answers each published packet with `reply`, recording what it publishes and releases. */
class FakeTransport extends ClientProxy {
  readonly published: ReadPacket[] = [];
  readonly released: ReadPacket[] = [];
  constructor(
    private readonly reply: Reply,
    private readonly connectError?: Error,
  ) {
    super();
  }
  connect(): Promise<void> {
    return this.connectError ? Promise.reject(this.connectError) : Promise.resolve();
  }
  close(): void {}
  unwrap<T>(): T {
    return undefined as T;
  }
  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    this.published.push(packet);
    this.reply(callback);
    return () => this.released.push(packet);
  }
  protected dispatchEvent<T>(): Promise<T> {
    return Promise.resolve(undefined as T);
  }
  protected override serializeError(err: unknown): unknown {
    return { serialized: err };
  }
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error instanceof Error ? error.constructor.name : error }),
  );

const later =
  (packet: WritePacket): Reply =>
  (callback) =>
    setTimeout(() => callback(packet), 5);

// Three elements each: it.each passes them as arguments, and a missing third would read as jest's `done`.
const cases: [string, Reply, Error | undefined][] = [
  ['a reply', later({ response: { list: [1] }, isDisposed: true }), undefined],
  [
    'a reply then its end',
    (cb) => setTimeout(() => (cb({ response: 2 }), cb({ isDisposed: true })), 5),
    undefined,
  ],
  ['an error', later({ err: { code: 4101 }, isDisposed: true }), undefined],
  ['an end without a value', later({ isDisposed: true }), undefined],
  ['a value of undefined without the end', later({ response: undefined }), undefined],
  [
    'a synchronous error (the packet did not serialize)',
    (cb) => cb({ err: new TypeError('circular') }),
    undefined,
  ],
  ['no answer', () => undefined, undefined],
  [
    'no connection',
    () => undefined,
    Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  ],
];

describe('request (the workflow link without rxjs)', () => {
  it.each(cases)(
    'settles as firstValueFrom(send().pipe(timeout)) does on %s',
    async (_name, reply, connectError) => {
      const nest = new FakeTransport(reply, connectError);
      const ours = new FakeTransport(reply, connectError);
      const expected = await outcome(
        firstValueFrom(nest.send('workflow.definition.list', { a: 1 }).pipe(timeout(40))),
      );
      const actual = await outcome(request(ours, 'workflow.definition.list', { a: 1 }, 40));
      expect(actual).toEqual(expected);
      expect(ours.published).toEqual(nest.published.map((p) => ({ ...p })));
      // Whatever the outcome, a published packet's routing entry is released, as an unsubscribe does.
      expect(ours.released).toEqual(ours.published);
    },
  );

  it('releases the routing entry once, when the answer comes, and ignores what follows', async () => {
    let answer: ((packet: WritePacket) => void) | undefined;
    const transport = new FakeTransport((cb) => (answer = cb));
    const reply = request(transport, 'workflow.task.todo', { b: 2 }, 1_000);
    await new Promise((r) => setImmediate(r));
    expect(transport.released).toHaveLength(0);
    answer!({ response: 'first' });
    answer!({ response: 'second', isDisposed: true });
    await expect(reply).resolves.toBe('first');
    expect(transport.released).toHaveLength(1);
  });
});
