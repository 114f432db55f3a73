export interface StoredResource {
  namespace: string;
  type: string;
  id: string;
  version: number;
  owner: string;
  phase: 'running' | 'tearingDown';
  created: number;
  updated: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The spec as YAML text, exactly what goes into `spec.yaml_spec`. */
  yamlSpec: string;
  /** Raw bytes for `spec.proto_spec`, where the lab knows them. */
  protoSpec: Uint8Array;
}

export type ResourceEvent = { kind: 'created' | 'updated' | 'destroyed'; resource: StoredResource; old: StoredResource | null };

const key = (ns: string, type: string, id: string) => `${ns}\u0000${type}\u0000${id}`;

/** A node's COSI state: versioned resources and watchers. */
export class ResourceStore {
  private readonly items = new Map<string, StoredResource>();
  private readonly watchers = new Set<(event: ResourceEvent) => void>();

  constructor(private readonly now: () => number) {}

  put(
    namespace: string,
    type: string,
    id: string,
    yamlSpec: string,
    extra: Partial<Pick<StoredResource, 'owner' | 'labels' | 'annotations' | 'protoSpec'>> = {},
  ): StoredResource {
    const old = this.items.get(key(namespace, type, id)) ?? null;
    if (old && old.yamlSpec === yamlSpec) return old;
    const ts = this.now();
    const resource: StoredResource = {
      namespace,
      type,
      id,
      version: (old?.version ?? 0) + 1,
      owner: extra.owner ?? old?.owner ?? '',
      phase: 'running',
      created: old?.created ?? ts,
      updated: ts,
      labels: extra.labels ?? old?.labels ?? {},
      annotations: extra.annotations ?? old?.annotations ?? {},
      yamlSpec,
      protoSpec: extra.protoSpec ?? new Uint8Array(),
    };
    this.items.set(key(namespace, type, id), resource);
    this.notify({ kind: old ? 'updated' : 'created', resource, old });
    return resource;
  }

  destroy(namespace: string, type: string, id: string): void {
    const old = this.items.get(key(namespace, type, id));
    if (!old) return;
    this.items.delete(key(namespace, type, id));
    this.notify({ kind: 'destroyed', resource: old, old });
  }

  get(namespace: string, type: string, id: string): StoredResource | undefined {
    return this.items.get(key(namespace, type, id));
  }

  list(namespace: string, type: string): StoredResource[] {
    return [...this.items.values()].filter((r) => r.namespace === namespace && r.type === type).sort((a, b) => a.id.localeCompare(b.id));
  }

  watch(listener: (event: ResourceEvent) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  private notify(event: ResourceEvent): void {
    for (const watcher of this.watchers) watcher(event);
  }
}
