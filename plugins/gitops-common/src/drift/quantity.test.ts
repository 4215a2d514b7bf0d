import { parseQuantity, sameQuantity } from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['2', 2],
    ['1k', 1000],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1.5e-3', 0.0015],
    ['1M', 1e6],
    ['1G', 1e9],
    ['2T', 2e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ki', 1024],
    ['512Mi', 512 * 2 ** 20],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1Ti', 2 ** 40],
    ['1Pi', 2 ** 50],
    ['1Ei', 2 ** 60],
    ['-1', -1],
    ['+250m', 0.25],
  ])('reads %s as %d', (quantity, amount) => {
    expect(parseQuantity(quantity)).toBe(amount);
  });

  it.each(['', 'm', '1 Gi', '1gi', '1KiB', '1e', 'one', '1e3Mi'])(
    'refuses %j',
    quantity => {
      expect(parseQuantity(quantity)).toBeUndefined();
    },
  );
});

describe('sameQuantity', () => {
  it('treats two spellings of one amount as the same', () => {
    expect(sameQuantity('1Gi', '1024Mi')).toBe(true);
    expect(sameQuantity('500m', '0.5')).toBe(true);
    expect(sameQuantity('1', '1000m')).toBe(true);
    expect(sameQuantity('100m', '0.1')).toBe(true);
    expect(sameQuantity('1G', '1e9')).toBe(true);
  });

  it('tells different amounts apart, decimal from binary too', () => {
    expect(sameQuantity('1Gi', '1G')).toBe(false);
    expect(sameQuantity('500m', '0.6')).toBe(false);
    expect(sameQuantity('1Gi', undefined)).toBe(false);
    expect(sameQuantity(undefined, undefined)).toBe(true);
  });

  it('compares what is not a quantity as written', () => {
    expect(sameQuantity('lots', 'lots')).toBe(true);
    expect(sameQuantity('lots', 'many')).toBe(false);
  });
});
