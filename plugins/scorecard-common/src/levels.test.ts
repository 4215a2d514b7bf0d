import { computeLevel } from './levels';

describe('computeLevel', () => {
  it('is the highest level whose checks and all lower levels’ checks pass', () => {
    expect(
      computeLevel([
        { level: 'bronze', passing: true },
        { level: 'silver', passing: true },
        { level: 'gold', passing: false },
      ]),
    ).toBe('silver');
  });

  it('does not skip a failing lower level for passing higher ones', () => {
    expect(
      computeLevel([
        { level: 'bronze', passing: false },
        { level: 'silver', passing: true },
        { level: 'gold', passing: true },
      ]),
    ).toBe('none');
  });

  it('counts a level without applicable checks as passed', () => {
    expect(computeLevel([{ level: 'silver', passing: true }])).toBe('gold');
  });
});
