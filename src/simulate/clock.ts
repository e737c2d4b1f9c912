// Time as each org sees it. Every timestamp an org can observe comes from here.
export interface Clock {
  /** Milliseconds since the epoch, on the org's clock. */
  now (orgId: string): number
}

export const realClock: Clock = { now: () => Date.now() }

export const iso = (ms: number) => new Date(ms).toISOString()
