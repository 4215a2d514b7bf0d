/**
 * Whether a link from a check file may be rendered as an href: an http(s)
 * URL, or a path within the portal ("/create/..."). Anything else
 * (javascript:, data:, protocol-relative "//host") is refused: check files
 * are written by admins, but the link is opened by every user.
 */
export function isSafeLink(link: string): boolean {
  // Browsers drop tabs and newlines and read "\" as "/" ("/\evil.example"):
  // no spaces, control characters or backslashes.
  for (const character of link) {
    const code = character.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f || character === '\\') return false;
  }
  if (link.startsWith('/')) return !link.startsWith('//');
  try {
    const { protocol } = new URL(link);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
