import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './trusted-sender';
import { createEventBus } from './event-bus';

const renderer = 'app://nodeglass/index.html';

describe('IPC sender check', () => {
  it('accepts only the app renderer page in the main frame', () => {
    const main = (url: string | undefined) => ({ url, parent: null });
    expect(isTrustedSender(main(renderer), renderer)).toBe(true);
    expect(isTrustedSender(main(`${renderer}#/logs`), renderer)).toBe(true);
    expect(isTrustedSender(main('https://evil.example/index.html'), renderer)).toBe(false);
    expect(isTrustedSender(main('file:///tmp/index.html'), renderer)).toBe(false);
    expect(isTrustedSender(main('app://other/index.html'), renderer)).toBe(false);
    expect(isTrustedSender(main(`${renderer}?x=1`), renderer)).toBe(false);
    expect(isTrustedSender(main(undefined), renderer)).toBe(false);
    expect(isTrustedSender(main('not a url'), renderer)).toBe(false);
    expect(isTrustedSender(null, renderer)).toBe(false);
    // The app's own page loaded in a subframe is not the app's main frame.
    expect(isTrustedSender({ url: renderer, parent: { url: renderer } }, renderer)).toBe(false);
  });
});

describe('event bus', () => {
  it('forwards events that match the contract, strips undeclared fields and drops the rest', () => {
    const logs: string[] = [];
    const bus = createEventBus((m) => logs.push(m));
    const seen: unknown[] = [];
    bus.subscribe((_name, payload) => seen.push(payload));
    bus.emit('stream.mark', { streamId: 's', key: 'k', lost: false, message: 'a', secret: 'x' } as never);
    bus.emit('stream.mark', { streamId: 's', key: 'k', lost: false, message: ['not a string'] } as never);
    expect(seen).toEqual([{ streamId: 's', key: 'k', lost: false, message: 'a' }]);
    expect(logs[0]).toContain('dropped a stream.mark event');
  });
});
