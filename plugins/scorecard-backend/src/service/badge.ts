import { EntityLevel } from '@causeway/plugin-scorecard-common';

const COLORS: Record<EntityLevel | 'unknown', string> = {
  gold: '#c9a227',
  silver: '#8a8f98',
  bronze: '#a0522d',
  none: '#e05d44',
  unknown: '#9f9f9f',
};

const escape = (text: string) =>
  text.replace(
    /[<>&"']/g,
    c =>
      ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' }[
        c
      ]!),
  );

/** Roughly Verdana 11px, as shields.io measures. */
const textWidth = (text: string) => Math.round(text.length * 6.5 + 10);

/**
 * A flat shields-style badge: "scorecard | gold". Without a level (not
 * evaluated) it says so in grey.
 */
export function scorecardBadge(level: EntityLevel | undefined): string {
  const label = 'scorecard';
  const value = level ?? 'not evaluated';
  const color = COLORS[level ?? 'unknown'];
  const left = textWidth(label);
  const right = textWidth(value);
  const width = left + right;
  const title = escape(`${label}: ${value}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${title}">
<title>${title}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${left}" height="20" fill="#555"/><rect x="${left}" width="${right}" height="20" fill="${color}"/><rect width="${width}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${left / 2}" y="14">${escape(label)}</text>
<text x="${left + right / 2}" y="14">${escape(value)}</text>
</g>
</svg>
`;
}
