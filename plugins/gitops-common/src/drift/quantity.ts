/*
 * Kubernetes resource quantities (500m, 0.5, 1Gi, 1024Mi, 1e3), read into
 * numbers so that two spellings of one amount compare equal: the API server
 * answers its canonical form, not the one written in git.
 */

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const DECIMAL_EXPONENT: Record<string, number> = {
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

// <signedNumber><suffix>; a suffix of e or E followed by a number is an
// exponent, E alone is exa.
const QUANTITY =
  /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|(m|k|M|G|T|P|E)?)$/;

/** The amount a quantity stands for, or undefined when it is not one. */
export function parseQuantity(quantity: string | number): number | undefined {
  if (typeof quantity === 'number') {
    return Number.isFinite(quantity) ? quantity : undefined;
  }
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  const [, number, binary, exponent, decimal] = match;
  // Scaling by the decimal exponent inside the number literal, and by a power
  // of two after, are both exact up to rounding once: equal amounts give
  // equal numbers however they are spelled.
  const scale = exponent !== undefined ? Number(exponent) : undefined;
  const value = Number(`${number}e${scale ?? DECIMAL_EXPONENT[decimal ?? '']}`);
  const result = binary ? value * BINARY[binary] : value;
  return Number.isFinite(result) ? result : undefined;
}

/** Whether two quantities are the same amount; ones that do not parse are compared as written. */
export function sameQuantity(a: string | undefined, b: string | undefined) {
  if (a === undefined || b === undefined) return a === b;
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  return x !== undefined && y !== undefined ? x === y : a === b;
}
