import { useTheme } from '@mui/material/styles';
import { CheckStatus, EntityLevel } from '@causeway/plugin-scorecard-common';

/** The palette mode a colour is drawn for (MUI's theme.palette.mode). */
export type ColorMode = 'light' | 'dark';

/** A chip's background and its text, at least 4.5:1 apart (WCAG AA). */
export type ChipColors = { background: string; text: string };

/**
 * Each level's colours: the chip's, and the background's alone for bars,
 * areas and lines (and the level names beside LevelTrend's axis, so each
 * background is also at least 4.5:1 against the page: white, or Backstage's
 * dark #424242). Dark backgrounds under white text on light pages, light
 * ones under dark text on dark pages; LevelBadge's test measures each pair.
 */
export const LEVEL_COLORS: Record<
  ColorMode,
  Record<EntityLevel, ChipColors>
> = {
  light: {
    none: { background: '#616161', text: '#ffffff' },
    bronze: { background: '#8a5a2b', text: '#ffffff' },
    silver: { background: '#5c6b75', text: '#ffffff' },
    gold: { background: '#8a6400', text: '#ffffff' },
  },
  dark: {
    none: { background: '#bdbdbd', text: '#1a1a1a' },
    bronze: { background: '#e3ad7a', text: '#1a1a1a' },
    silver: { background: '#c5d0d8', text: '#1a1a1a' },
    gold: { background: '#f0c040', text: '#1a1a1a' },
  },
};

/**
 * A check result's status chip. MUI's own warning (white on #ed6c02, 3.1:1)
 * and dark-mode error (3.7:1) chips fall short of 4.5:1, so the scorecard
 * names its own; CheckResults' test measures each pair.
 */
export const STATUS_COLORS: Record<
  ColorMode,
  Record<CheckStatus, ChipColors>
> = {
  light: {
    pass: { background: '#2e7d32', text: '#ffffff' },
    fail: { background: '#c62828', text: '#ffffff' },
    waived: { background: '#b34700', text: '#ffffff' },
    'not-applicable': { background: '#e0e0e0', text: '#212121' },
  },
  dark: {
    pass: { background: '#81c784', text: '#1a1a1a' },
    fail: { background: '#ef9a9a', text: '#1a1a1a' },
    waived: { background: '#ffb74d', text: '#1a1a1a' },
    'not-applicable': { background: '#616161', text: '#ffffff' },
  },
};

/** The level and status colours for the page's palette mode. */
export function useChipColors() {
  const { mode } = useTheme().palette;
  return { levels: LEVEL_COLORS[mode], statuses: STATUS_COLORS[mode] };
}
