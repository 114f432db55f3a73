import type { Browser } from 'playwright-core';

/**
 * A page that Playwright does not instrument. Playwright enables the DevTools Network domain on every page
 * and worker it drives, and Chromium then copies every WebSocket frame, base64-encoded, to the driver: for a
 * log stream that is the whole stream twice more, in the browser and in this process (which is also the
 * host). Real users run no DevTools, so the log benchmarks open their page in a browser context Playwright
 * does not know (it detaches from such targets) and reach it over a bare CDP session that only evaluates
 * script and reads the heap.
 */
export interface BarePage {
  /** Evaluates `expression` in the page (promises awaited) and returns its value. */
  evaluate<T>(expression: string): Promise<T>;
  /**
   * Memory of the page and its workers after a full GC, in MB: the JS heap, and what lives outside it (array
   * buffers, and external strings: Blink keeps long decoded text such as log blocks outside the JS heap).
   */
  memory(): Promise<{ heapMb: number; backingMb: number }>;
  close(): Promise<void>;
}

type Message = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
};

/** How messages reach a target: through the browser session, or nested through its parent target (a page's workers). */
interface Transport {
  send(sessionId: string, message: string): void;
  onMessage(listener: (sessionId: string, message: string) => void): void;
}

/** A non-flat CDP session with one target: commands by id, events by method. */
class TargetChannel {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Message) => void>();
  private readonly listeners = new Map<string, (params: Record<string, unknown>) => void>();

  constructor(
    private readonly transport: Transport,
    readonly sessionId: string,
  ) {
    transport.onMessage((from, text) => {
      if (from !== this.sessionId) return;
      const message = JSON.parse(text) as Message;
      if (message.id !== undefined) {
        this.waiting.get(message.id)?.(message);
        this.waiting.delete(message.id);
      } else if (message.method) this.listeners.get(message.method)?.(message.params ?? {});
    });
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, (reply) => (reply.error ? reject(new Error(`${method}: ${reply.error.message}`)) : resolve(reply.result as T)));
      this.transport.send(this.sessionId, JSON.stringify({ id, method, params }));
    });
  }

  on(method: string, listener: (params: Record<string, unknown>) => void): void {
    this.listeners.set(method, listener);
  }

  /** This target as the transport of the targets it auto-attaches (a page's workers). */
  asTransport(): Transport {
    const listeners: ((sessionId: string, message: string) => void)[] = [];
    this.on('Target.receivedMessageFromTarget', (p) => listeners.forEach((l) => l(p.sessionId as string, p.message as string)));
    return {
      send: (sessionId, message) => void this.send('Target.sendMessageToTarget', { sessionId, message }),
      onMessage: (listener) => listeners.push(listener),
    };
  }
}

export async function openBarePage(browser: Browser, url: string, size: { width: number; height: number }): Promise<BarePage> {
  const session = await browser.newBrowserCDPSession();
  const browserTransport: Transport = {
    send: (sessionId, message) => void session.send('Target.sendMessageToTarget', { sessionId, message }),
    onMessage: (listener) =>
      session.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => listener(e.sessionId, e.message)),
  };
  const { browserContextId } = (await session.send('Target.createBrowserContext')) as { browserContextId: string };
  const { targetId } = (await session.send('Target.createTarget', { url: 'about:blank', browserContextId, ...size })) as {
    targetId: string;
  };
  const { sessionId } = (await session.send('Target.attachToTarget', { targetId, flatten: false })) as { sessionId: string };
  const page = new TargetChannel(browserTransport, sessionId);
  // The page's workers attach through the page's own session (a worker does not answer a session of its own).
  const workers = new Map<string, TargetChannel>();
  const nested = page.asTransport();
  page.on('Target.attachedToTarget', (p) => {
    const info = p.targetInfo as { type: string };
    if (info.type === 'worker') workers.set(p.sessionId as string, new TargetChannel(nested, p.sessionId as string));
  });
  page.on('Target.detachedFromTarget', (p) => workers.delete(p.sessionId as string));
  await page.send('Runtime.runIfWaitingForDebugger');
  await page.send('Emulation.setDeviceMetricsOverride', { ...size, deviceScaleFactor: 1, mobile: false });
  await page.send('Emulation.setFocusEmulationEnabled', { enabled: true });
  await page.send('Page.bringToFront');
  await page.send('Page.navigate', { url });

  const evaluate = async <T>(expression: string): Promise<T> => {
    const { result, exceptionDetails } = await page.send<{
      result: { value?: unknown };
      exceptionDetails?: { exception?: { description?: string }; text: string };
    }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value as T;
  };

  return {
    evaluate,
    async memory() {
      // Set here, after navigation (which may have moved the page to another process): attaches the workers there are.
      await page.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
      let used = 0;
      let backing = 0;
      if (workers.size === 0) throw new Error('the page has no worker: the log store was not measured');
      for (const target of [page, ...workers.values()]) {
        await target.send('HeapProfiler.collectGarbage');
        const heap = await target.send<{ usedSize: number; backingStorageSize?: number }>('Runtime.getHeapUsage');
        used += heap.usedSize;
        backing += heap.backingStorageSize ?? 0;
      }
      return { heapMb: used / 1e6, backingMb: backing / 1e6 };
    },
    async close() {
      await session.send('Target.disposeBrowserContext', { browserContextId });
      await session.detach();
    },
  };
}
