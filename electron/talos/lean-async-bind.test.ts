import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { installLeanAsyncBind } from './lean-async-bind';

installLeanAsyncBind();

describe('the lean AsyncResource#bind', () => {
  it('runs the function in the async scope where the resource was made, with this, arguments and length', () => {
    const store = new AsyncLocalStorage<string>();
    const resource = store.run('where it was bound', () => new AsyncResource('test'));
    const seen = store.run('where it is called', () =>
      resource
        .bind(function (this: unknown, a: number, b: number) {
          return { store: store.getStore(), self: this, sum: a + b };
        })
        .call('me', 1, 2),
    );
    expect(seen).toEqual({ store: 'where it was bound', self: 'me', sum: 3 });
    // Node's bind takes an optional thisArg (the typings leave it out).
    const bindWithThis = resource.bind.bind(resource) as unknown as (fn: () => unknown, thisArg: unknown) => () => unknown;
    const withThis = bindWithThis(function (this: unknown) {
      return this;
    }, 'fixed');
    expect(withThis.call('other')).toBe('fixed');
    expect(resource.bind((_a: number, _b: number, _c: number) => 0).length).toBe(3);
    expect(store.run('x', () => AsyncResource.bind(() => store.getStore())())).toBe('x');
    expect(() => resource.bind('not a function' as never)).toThrow(/must be of type function/);
  });

  it('is what Node’s HTTP/2 client uses for every request (each gRPC call)', async () => {
    const server = http2.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const lean = AsyncResource.prototype.bind;
    let calls = 0;
    AsyncResource.prototype.bind = function (this: AsyncResource, ...args: Parameters<typeof lean>) {
      calls++;
      return lean.apply(this, args);
    } as typeof lean;
    try {
      for (let i = 0; i < 3; i++) {
        const body = await new Promise<string>((resolve, reject) => {
          const req = client.request({ ':path': '/' });
          let text = '';
          req.setEncoding('utf8');
          req.on('data', (d: string) => (text += d));
          req.on('end', () => resolve(text));
          req.on('error', reject);
          req.end();
        });
        expect(body).toBe('ok');
      }
      expect(calls).toBeGreaterThanOrEqual(3);
    } finally {
      AsyncResource.prototype.bind = lean;
      client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
