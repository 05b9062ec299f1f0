/**
 * The simulator's clock. Gateway status is computed from it when asked, never by timers, so a
 * manual clock in a test moves a gateway from `init` to `active` instantly and nothing leaks.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private current = Date.now()) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}
