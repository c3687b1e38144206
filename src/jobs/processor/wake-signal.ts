/**
 * Lets the claim loop sleep until something may have changed: a notification, a freed slot, a poll tick, shutdown.
 * A `fire()` while the loop is busy is remembered, so a wake-up that lands during a claim is never lost.
 */
export class WakeSignal {
  private fired = false;
  private resolve?: () => void;

  fire(): void {
    this.fired = true;
    this.resolve?.();
  }

  reset(): void {
    this.fired = false;
  }

  wait(timeoutMs: number): Promise<void> {
    if (this.fired) {
      this.fired = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.resolve = undefined;
        self.fired = false;
        resolve();
      }
      this.resolve = done;
    });
  }
}
