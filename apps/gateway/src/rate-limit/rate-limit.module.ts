import { Global, Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { ApiRateLimiter } from './api-rate-limiter';
import { RateLimitSweeper } from './rate-limit-sweeper';
import { RateLimitStore } from './rate-limit.store';

/**
 * Rate limits of the gateway: the shared counter store (also used by sign-in's brute-force limits in
 * the identity module) and the API-wide limits per route group, caller and IP.
 */
@Global()
@Module({
  imports: [IdentityModule],
  providers: [RateLimitStore, RateLimitSweeper, ApiRateLimiter],
  exports: [RateLimitStore],
})
export class RateLimitModule {}
