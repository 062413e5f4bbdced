// The TOTP QR code arrives as an SVG document drawn on the server by the `qrcode` package. It is
// not put into the page as markup: it is read here against a strict allowlist of exactly what
// that package writes (an <svg> of <path>s with plain attributes) and redrawn by Svelte from the
// parsed values. Anything else (a script, an event handler, a link, a foreignObject, a style) makes
// the whole document unusable, and the page falls back to the secret as text.

export interface QrPath {
  d: string;
  fill?: string;
  stroke?: string;
  strokeWidth?: string;
}

export interface QrDrawing {
  viewBox: string;
  shapeRendering?: string;
  paths: QrPath[];
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const ATTRIBUTE = /\s*([A-Za-z][A-Za-z-]*)="([^"<>&]*)"/y;
const COLOUR = /^(#[0-9a-fA-F]{3,8}|none|transparent)$/;
const NUMBER_LIST = /^[\d.\s-]+$/;
// Path data: commands and numbers only (no url(), no entities, no quotes).
const PATH_DATA = /^[MmHhVvLlZz\d.,\s-]+$/;

/** Reads `name="value"` pairs; null when anything else is between them. */
export function readAttributes(text: string): Map<string, string> | null {
  const out = new Map<string, string>();
  ATTRIBUTE.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    ATTRIBUTE.lastIndex = at;
    const m = ATTRIBUTE.exec(text);
    if (!m) return null;
    const name = m[1]!;
    if (out.has(name)) return null;
    out.set(name, m[2]!);
    at = ATTRIBUTE.lastIndex;
  }
  return out;
}

function readPath(attributes: string): QrPath | null {
  const attrs = readAttributes(attributes);
  if (!attrs) return null;
  const path: QrPath = { d: '' };
  for (const [name, value] of attrs) {
    if (name === 'd' && PATH_DATA.test(value)) path.d = value;
    else if (name === 'fill' && COLOUR.test(value)) path.fill = value;
    else if (name === 'stroke' && COLOUR.test(value)) path.stroke = value;
    else if (name === 'stroke-width' && NUMBER_LIST.test(value)) path.strokeWidth = value;
    else return null;
  }
  return path.d ? path : null;
}

/** The QR drawing in an SVG string, or null when the string is anything but a plain QR code. */
export function parseQrSvg(svg: unknown): QrDrawing | null {
  if (typeof svg !== 'string' || svg.length > 200_000) return null;
  const whole = /^\s*(?:<\?xml[^<>?]*\?>\s*)?<svg(\s[^<>]*)?>([\s\S]*)<\/svg>\s*$/.exec(svg);
  if (!whole) return null;
  const rootAttrs = readAttributes(whole[1] ?? '');
  if (!rootAttrs) return null;
  const drawing: QrDrawing = { viewBox: '', paths: [] };
  for (const [name, value] of rootAttrs) {
    if (name === 'xmlns' && value === SVG_NS) continue;
    if ((name === 'width' || name === 'height' || name === 'version') && NUMBER_LIST.test(value)) continue;
    if (name === 'viewBox' && NUMBER_LIST.test(value) && value.trim().split(/\s+/).length === 4) drawing.viewBox = value.trim();
    else if (name === 'shape-rendering' && /^(crispEdges|auto|geometricPrecision|optimizeSpeed)$/.test(value)) drawing.shapeRendering = value;
    else return null;
  }
  if (!drawing.viewBox) return null;
  let rest = whole[2]!;
  const element = /^\s*<path(\s[^<>]*?)\s*\/>/;
  while (rest.trim() !== '') {
    const m = element.exec(rest);
    if (!m) return null;
    const path = readPath(m[1]!);
    if (!path) return null;
    drawing.paths.push(path);
    rest = rest.slice(m[0].length);
  }
  return drawing.paths.length > 0 ? drawing : null;
}
