import { describe, expect, it } from 'vitest';
import { evalJsonPath } from './print-columns';

describe('print column JSONPath', () => {
  it('evaluates the expressions Talos print columns use', () => {
    const spec = {
      hostname: 'n1',
      addresses: ['10.5.0.2'],
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'Other', status: 'False' },
      ],
    };
    expect(evalJsonPath(spec, '{.hostname}')).toBe('n1');
    expect(evalJsonPath(spec, '{.addresses}')).toBe('["10.5.0.2"]');
    expect(evalJsonPath(spec, '{.conditions[?(@.type=="Ready")].status}')).toBe('True');
    expect(evalJsonPath('controlplane', '{@}')).toBe('controlplane');
    expect(evalJsonPath(spec, '{.missing.field}')).toBe('');
  });
});
