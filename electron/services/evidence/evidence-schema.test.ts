import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { evidenceJsonSchema } from './pack';
import controls from './controls.json';
import { CONTROL_ITEM_IDS, evaluateControls, evaluateItems } from './items';

const committed = readFileSync(path.join(import.meta.dirname, 'evidence-v1.schema.json'), 'utf8');

describe('evidence.json schema', () => {
  it('is committed as generated from the zod schema (npm run evidence:schema regenerates it)', () => {
    expect(committed).toBe(evidenceJsonSchema());
  });

  it('rejects a document missing a section, so the versioned schema means something', () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(committed) as object);
    expect(validate({ schema: 'nodeglass-evidence', schemaVersion: 1 })).toBe(false);
    expect(validate.errors!.some((e) => e.message?.includes('required'))).toBe(true);
  });
});

describe('controls mapping', () => {
  it('names SOC 2 CC6.1-CC8.1 with ISO 27001 equivalents, each pointing at evidence items that exist', () => {
    expect(controls.controls.map((c) => c.id)).toEqual(['CC6.1', 'CC6.2', 'CC6.3', 'CC6.6', 'CC7.1', 'CC7.2', 'CC8.1']);
    const empty = {
      nodes: [],
      drift: [],
      access: { identities: [], clusterCa: null, rbac: { state: 'unknown' as const, basis: '' }, limitation: '' },
    };
    const verification = {
      state: 'empty' as const,
      count: 0,
      head: '',
      firstBroken: null,
      problems: [],
      problemsOmitted: 0,
      seal: 'missing' as const,
      segments: [],
      breaks: [],
      repaired: null,
    };
    const items = evaluateItems({ ...empty, changeHistory: { entries: [], verification } });
    for (const id of CONTROL_ITEM_IDS) expect(items.map((i) => i.id)).toContain(id);
    for (const c of controls.controls) expect(c.iso27001.every((a) => /^A\.[5-8]\.\d+$/.test(a))).toBe(true);
    // Nothing was collected: no control may pass.
    expect(evaluateControls(items).every((c) => c.verdict !== 'pass')).toBe(true);
  });

  it('reports a broken audit chain as a failing change-management control', () => {
    const verification = {
      state: 'broken' as const,
      count: 3,
      head: 'ab',
      firstBroken: null,
      problems: [],
      problemsOmitted: 0,
      seal: 'invalid' as const,
      segments: [],
      breaks: [],
      repaired: null,
    };
    const items = evaluateItems({
      nodes: [],
      drift: [],
      access: { identities: [], clusterCa: null, rbac: { state: 'enabled', basis: '' }, limitation: '' },
      changeHistory: { entries: [], verification },
    });
    expect(items.find((i) => i.id === 'audit-chain-intact')!.verdict).toBe('fail');
    expect(evaluateControls(items).find((c) => c.id === 'CC8.1')!.verdict).toBe('fail');
  });
});
