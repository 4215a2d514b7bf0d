import useAsync from 'react-use/esm/useAsync';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { EntityLevel } from '@causeway/plugin-scorecard-common';
import { ScorecardCheck } from '../../api/ScorecardClient';
import { ENTITY_LEVELS, levelLabel } from '../../levels';

/** The filters GET /overview takes, as entity refs and ids. */
export type OverviewFilterValues = {
  owner?: string;
  system?: string;
  level?: EntityLevel;
  failingCheck?: string;
};

type Option = { value: string; label: string };

const toOption = (entity: Entity): Option => ({
  value: stringifyEntityRef(entity),
  label: entity.metadata.title ?? entity.metadata.name,
});

/** One searchable pick list; clearing it removes the filter. */
function Picker(props: {
  label: string;
  options: Option[];
  value?: string;
  onChange: (value: string | undefined) => void;
}) {
  const { label, options, value, onChange } = props;
  return (
    <Autocomplete
      sx={{ minWidth: 220 }}
      size="small"
      options={options}
      value={options.find(o => o.value === value) ?? null}
      onChange={(_event, option) => onChange(option?.value)}
      isOptionEqualToValue={(option, selected) =>
        option.value === selected.value
      }
      renderInput={params => <TextField {...params} label={label} />}
    />
  );
}

/** Owner, system, level and failing check; the server applies them. */
export function OverviewFilters(props: {
  value: OverviewFilterValues;
  onChange: (value: OverviewFilterValues) => void;
  checks: ScorecardCheck[];
}) {
  const { value, onChange, checks } = props;
  const catalogApi = useApi(catalogApiRef);
  const { value: catalog } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: ['Group', 'System'] },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
      order: { field: 'metadata.name', order: 'asc' },
    });
    return {
      owners: items.filter(e => e.kind === 'Group').map(toOption),
      systems: items.filter(e => e.kind === 'System').map(toOption),
    };
  }, [catalogApi]);
  const set = (change: OverviewFilterValues) =>
    onChange({ ...value, ...change });

  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
      <Picker
        label="Owner"
        options={catalog?.owners ?? []}
        value={value.owner}
        onChange={owner => set({ owner })}
      />
      <Picker
        label="System"
        options={catalog?.systems ?? []}
        value={value.system}
        onChange={system => set({ system })}
      />
      <TextField
        select
        size="small"
        label="Level"
        sx={{ minWidth: 140 }}
        value={value.level ?? ''}
        onChange={e =>
          set({ level: (e.target.value || undefined) as EntityLevel })
        }
      >
        <MenuItem value="">Any</MenuItem>
        {ENTITY_LEVELS.map(level => (
          <MenuItem key={level} value={level}>
            {levelLabel(level)}
          </MenuItem>
        ))}
      </TextField>
      <Picker
        label="Failing check"
        options={checks.map(check => ({
          value: check.id,
          label: `${check.title} (${levelLabel(check.level)})`,
        }))}
        value={value.failingCheck}
        onChange={failingCheck => set({ failingCheck })}
      />
    </Box>
  );
}
