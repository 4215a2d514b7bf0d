import { render, screen } from '@testing-library/react';
import { ENTITY_LEVELS, levelLabel } from '../../levels';
import { renderedContrast, renderInMode } from '../../__testUtils__/contrast';
import { LevelBadge } from './LevelBadge';

describe('LevelBadge', () => {
  it('names the level, and says "No level" below bronze', () => {
    const { rerender } = render(<LevelBadge level="silver" />);
    expect(screen.getByLabelText('Level: Silver')).toHaveTextContent('Silver');

    rerender(<LevelBadge level="none" />);
    expect(screen.getByLabelText('Level: No level')).toHaveTextContent(
      'No level',
    );
  });

  it.each(['light', 'dark'] as const)(
    'draws every level with text at least 4.5:1 against its chip (WCAG AA) in the %s theme',
    mode => {
      renderInMode(
        mode,
        <>
          {ENTITY_LEVELS.map(level => (
            <LevelBadge key={level} level={level} />
          ))}
        </>,
      );
      const ratios = ENTITY_LEVELS.map(level => {
        const chip = screen.getByLabelText(`Level: ${levelLabel(level)}`);
        return [levelLabel(level), renderedContrast(chip)] as const;
      });
      // Named, so a failure says which chip falls short.
      expect(ratios.filter(([, ratio]) => ratio < 4.5)).toEqual([]);
    },
  );
});
