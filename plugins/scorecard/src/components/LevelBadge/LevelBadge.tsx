import Chip from '@mui/material/Chip';
import { EntityLevel } from '@causeway/plugin-scorecard-common';
import { LEVEL_COLORS, levelLabel } from '../../levels';

/** An entity's level as a coloured chip: "Gold", "No level". */
export function LevelBadge(props: {
  level: EntityLevel;
  size?: 'small' | 'medium';
}) {
  const { level, size = 'small' } = props;
  return (
    <Chip
      size={size}
      label={levelLabel(level)}
      aria-label={`Level: ${levelLabel(level)}`}
      sx={{
        bgcolor: LEVEL_COLORS[level],
        color: '#fff',
        fontWeight: 600,
      }}
    />
  );
}
