import { relativeTime } from './relativeTime';

const NOW = Date.parse('2026-03-10T12:00:00Z');

describe('relativeTime', () => {
  it('says how long ago, in the largest whole unit', () => {
    expect(relativeTime('2026-03-10T11:59:30Z', NOW)).toBe('30 seconds ago');
    expect(relativeTime('2026-03-10T09:00:00Z', NOW)).toBe('3 hours ago');
    expect(relativeTime('2026-03-09T12:00:00Z', NOW)).toBe('yesterday');
    expect(relativeTime('2026-01-10T12:00:00Z', NOW)).toBe('2 months ago');
  });

  it('keeps a time it cannot read as it is', () => {
    expect(relativeTime('soon', NOW)).toBe('soon');
  });
});
