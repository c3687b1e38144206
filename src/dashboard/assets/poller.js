// Live refresh by polling: one call at a time, paused while the tab is hidden, resumed (at once) when it shows.

/**
 * Runs `task` now and again `interval()` ms after each run ends. `refresh()` runs it at once (after the run in
 * progress, if any); `stop()` ends it. Errors go to `onError` and polling goes on.
 */
export function poll(task, interval, onError = () => undefined) {
  let timer;
  let running = false;
  let again = false;
  let stopped = false;

  const schedule = () => {
    clearTimeout(timer);
    if (!stopped && !document.hidden) timer = setTimeout(run, interval());
  };

  async function run() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = true;
    try {
      await task();
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      void run();
    } else {
      schedule();
    }
  }

  const onVisibility = () => (document.hidden ? clearTimeout(timer) : void run());
  document.addEventListener('visibilitychange', onVisibility);
  void run();
  return {
    refresh: () => void run(),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
