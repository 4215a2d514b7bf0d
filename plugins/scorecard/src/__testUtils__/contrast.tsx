import { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { createTheme, ThemeProvider } from '@mui/material/styles';
import { ColorMode } from '../chipColors';

/** [r, g, b] of "rgb(r, g, b)", "#rrggbb" or "#rgb". */
function channels(color: string): number[] {
  const rgb = color.match(/^rgba?\((\d+),\s*(\d+),\s*(\d+)/);
  if (rgb) return rgb.slice(1, 4).map(Number);
  const hex = color.match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
  if (hex) return hex.slice(1, 4).map(h => parseInt(h, 16));
  const short = color.match(/^#([0-9a-f])([0-9a-f])([0-9a-f])$/i);
  if (short) return short.slice(1, 4).map(h => parseInt(h + h, 16));
  throw new Error(`Not an opaque colour: "${color}"`);
}

/** WCAG 2 relative luminance. */
function luminance(color: string): number {
  const [r, g, b] = channels(color).map(c => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two opaque colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The text/background contrast of an element as the page styles it. */
export function renderedContrast(element: Element): number {
  const style = getComputedStyle(element);
  return contrastRatio(style.color, style.backgroundColor);
}

/** Renders under an MUI theme of the given palette mode. */
export function renderInMode(mode: ColorMode, element: ReactElement) {
  return render(
    <ThemeProvider theme={createTheme({ palette: { mode } })}>
      {element}
    </ThemeProvider>,
  );
}
