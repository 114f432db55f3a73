import { stringify } from 'yaml';

/** One context of a talosconfig file, as talosctl reads and writes it. */
export interface TalosconfigContext {
  endpoints: string[];
  nodes?: string[];
  /** base64 of PEM */
  ca: string;
  crt: string;
  key: string;
}

export interface Talosconfig {
  context: string;
  contexts: Record<string, TalosconfigContext>;
}

export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Writes YAML the way talosctl does: 4-space indentation, keys in talosctl's order. */
export function stringifyTalosconfig(config: Talosconfig): string {
  const contexts: Record<string, Record<string, unknown>> = {};
  for (const [name, ctx] of Object.entries(config.contexts)) {
    const out: Record<string, unknown> = { endpoints: ctx.endpoints };
    if (ctx.nodes?.length) out.nodes = ctx.nodes;
    out.ca = ctx.ca;
    out.crt = ctx.crt;
    out.key = ctx.key;
    contexts[name] = out;
  }
  return stringify({ context: config.context, contexts }, { indent: 4, lineWidth: 0, aliasDuplicateObjects: false });
}
