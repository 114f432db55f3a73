import { describe, expect, it } from 'vitest';
import { formatFileMode, formatModified } from './file-mode';

describe('Go FileMode rendering', () => {
  it('renders like os.FileMode.String()', () => {
    expect(formatFileMode(0o644)).toBe('-rw-r--r--');
    expect(formatFileMode(2 ** 31 + 0o755)).toBe('drwxr-xr-x');
    expect(formatFileMode(2 ** 27 + 0o777)).toBe('Lrwxrwxrwx');
    expect(formatFileMode(2 ** 31 + 2 ** 20 + 0o777)).toBe('dtrwxrwxrwx');
    expect(formatFileMode(2 ** 26 + 2 ** 21 + 0o660)).toBe('Dcrw-rw----');
    expect(formatFileMode(2 ** 24 + 0o755)).toBe('Srwxr-xr-x');
    expect(formatFileMode(2 ** 23 + 0o4755 - 0o4000)).toBe('urwxr-xr-x');
  });

  it('prints times like talosctl ls -l', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(formatModified(Date.parse('2026-11-02T09:04:05Z') / 1000, now)).toBe('Nov  2 09:04:05');
    expect(formatModified(Date.parse('2025-01-15T10:20:30Z') / 1000, now)).toBe('Jan 15 2025 10:20');
  });
});
