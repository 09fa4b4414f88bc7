// Reconnect delay: exponential with full jitter, capped. Pure (random source injectable).

export function backoffMs(retries: number, random: () => number = Math.random, baseMs = 500, capMs = 30_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retries));
  // "Equal jitter": at least half the ceiling, so retries never bunch up at ~0 ms.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
