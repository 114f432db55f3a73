import type { NodeglassApi } from '../../../shared/api';
import { createBrowserApi, takeToken } from './browser-api';

declare global {
  interface Window {
    nodeglass?: NodeglassApi;
  }
}

let api: NodeglassApi | null = null;

/** The desktop preload's API when present, otherwise the browser-mode WebSocket client. */
export function getApi(): NodeglassApi {
  api ??= window.nodeglass ?? createBrowserApi(takeToken());
  return api;
}

/** For component tests: replace the API with a fake host. */
export function setApi(next: NodeglassApi): void {
  api = next;
}
