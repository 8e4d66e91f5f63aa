import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Runs a parked message through its consumer's handlers again, inside `manager`'s transaction (so the
 * handlers' writes and the dead letter's `replayed` mark commit together). Throws when it fails again.
 */
export type DeadLetterReplayer = (payload: Record<string, unknown>, manager: EntityManager) => Promise<void>;

/** Each consumer that parks messages registers how to replay them, under its `source` name. */
@Injectable()
export class DeadLetterReplayers {
  private readonly replayers = new Map<string, DeadLetterReplayer>();

  register(source: string, replayer: DeadLetterReplayer): void {
    this.replayers.set(source, replayer);
  }

  get(source: string): DeadLetterReplayer | undefined {
    return this.replayers.get(source);
  }
}
