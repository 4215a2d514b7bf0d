import { render, screen } from '@testing-library/react';
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
});
