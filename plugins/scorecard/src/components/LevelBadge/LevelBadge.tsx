import Chip from '@mui/material/Chip';
import { EntityLevel } from '@causeway/plugin-scorecard-common';
import { useChipColors } from '../../chipColors';
import { levelLabel } from '../../levels';

/** An entity's level as a coloured chip: "Gold", "No level". */
export function LevelBadge(props: {
  level: EntityLevel;
  size?: 'small' | 'medium';
}) {
  const { level, size = 'small' } = props;
  const colors = useChipColors().levels[level];
  return (
    <Chip
      size={size}
      label={levelLabel(level)}
      aria-label={`Level: ${levelLabel(level)}`}
      sx={{
        bgcolor: colors.background,
        color: colors.text,
        fontWeight: 600,
      }}
    />
  );
}
