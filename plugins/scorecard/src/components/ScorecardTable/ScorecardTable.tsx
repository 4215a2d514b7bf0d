import { ReactNode } from 'react';
import Table from '@mui/material/Table';
import TableContainer from '@mui/material/TableContainer';
import { Theme, ThemeProvider } from '@mui/material/styles';

const WHOLE_WORDS = { wordBreak: 'normal', overflowWrap: 'normal' } as const;

type Override = unknown;

/** A theme's style override for a slot, resolved for the given props. */
function resolve(override: Override, props: object): Override {
  return typeof override === 'function' ? override(props) : override;
}

/**
 * Backstage's theme gives every table cell `word-break: break-word`, which
 * lets the browser squeeze a column below its longest word and split it
 * ("Entit/y", "Checko/ut"). Here text wraps between words only and headings
 * not at all. Set in the theme's own cell overrides, after Backstage's, so
 * they win in the cell's own class rather than by selector specificity.
 */
function wholeWords(outer: Theme): Theme {
  const cell = outer.components?.MuiTableCell;
  const overrides = cell?.styleOverrides ?? {};
  return {
    ...outer,
    components: {
      ...outer.components,
      MuiTableCell: {
        ...cell,
        styleOverrides: {
          ...overrides,
          root: props => [resolve(overrides.root, props), WHOLE_WORDS],
          head: props => [
            resolve(overrides.head, props),
            WHOLE_WORDS,
            { whiteSpace: 'nowrap' },
          ],
        },
      },
    },
  } as Theme;
}

/**
 * A dense scorecard table whose words never break mid-word; one wider than
 * its card scrolls inside the card instead of running past its edge.
 */
export function ScorecardTable(props: {
  'aria-label': string;
  children: ReactNode;
}) {
  return (
    <ThemeProvider theme={wholeWords}>
      <TableContainer sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label={props['aria-label']}>
          {props.children}
        </Table>
      </TableContainer>
    </ThemeProvider>
  );
}
