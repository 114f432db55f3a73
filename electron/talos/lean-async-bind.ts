import { AsyncResource } from 'node:async_hooks';

let installed = false;

/**
 * Node 20's HTTP/2 client binds the connect callback of every request with `AsyncResource#bind`, which also
 * defines the deprecated `asyncResource` accessor (DEP0172) through two `util.deprecate` wrappers; each
 * wrapper re-parents a fresh function's prototype (`Object.setPrototypeOf`), which costs V8 tens of
 * microseconds and a new map. Every gRPC call paid that twice: about a third of the client's CPU per call in
 * a 100-node fan-out (see the `client` benchmark). This `bind` runs the function in the same async scope with
 * the same `this`, arguments and `length`, without the deprecated accessor. Installed once, by the Talos
 * connection, in the privileged process only.
 */
export function installLeanAsyncBind(): void {
  if (installed) return;
  installed = true;
  AsyncResource.prototype.bind = function bind<Func extends (...args: never[]) => unknown>(
    this: AsyncResource,
    fn: Func,
    thisArg?: unknown,
  ) {
    return leanBind(this, fn, thisArg);
  };
}

type AnyFn = (...args: unknown[]) => unknown;

function leanBind<Func extends (...args: never[]) => unknown>(resource: AsyncResource, fn: Func, thisArg: unknown): Func {
  if (typeof fn !== 'function')
    throw Object.assign(new TypeError(`The "fn" argument must be of type function. Received ${typeof fn}`), {
      code: 'ERR_INVALID_ARG_TYPE',
    });
  const bound =
    thisArg === undefined
      ? function (this: unknown, ...args: unknown[]) {
          return resource.runInAsyncScope(fn as unknown as AnyFn, this, ...args);
        }
      : resource.runInAsyncScope.bind(resource, fn as unknown as AnyFn, thisArg);
  Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, value: fn.length, writable: false });
  return bound as unknown as Func;
}
