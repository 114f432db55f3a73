import path from 'node:path';
import { loadStaticFile } from '../browser/static-files';
import { RENDERER_CSP } from './window-policy';

export interface AppResponse {
  status: number;
  body: Uint8Array | string;
  headers: Record<string, string>;
}

/** Answers an `app://` request from the built renderer folder; anything outside it, or another host, is 404. */
export async function serveAppRequest(requestUrl: string, rendererDir: string): Promise<AppResponse> {
  const notFound: AppResponse = { status: 404, body: 'Not found', headers: { 'Content-Type': 'text/plain' } };
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return notFound;
  }
  if (url.protocol !== 'app:' || url.host !== 'nodeglass') return notFound;
  const file = await loadStaticFile(path.resolve(rendererDir), url.pathname);
  if (!file) return notFound;
  return {
    status: 200,
    body: new Uint8Array(file.body),
    headers: { 'Content-Type': file.type, 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff' },
  };
}
