import { useCallback } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import ListSubheader from '@mui/material/ListSubheader';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi, useApiHolder } from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  defaultEntityPresentation,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityLevel,
  Level,
  LEVELS,
  levelRank,
} from '@causeway/plugin-scorecard-common';
import { ScorecardCheck } from '../../api/ScorecardClient';
import { ENTITY_LEVELS, levelLabel } from '../../levels';

/** The filters GET /overview takes, as entity refs and ids. */
export type OverviewFilterValues = {
  owner?: string;
  system?: string;
  /** Exactly this level. */
  level?: EntityLevel;
  /** Any level below this one: below silver is no level or bronze. */
  below?: Level;
  failingCheck?: string;
};

type Option = { value: string; label: string; group?: string };

/*
 * The names the catalog's presentation API gives (the one EntityRefLink in
 * the table shows): a group's display name, else its title, else its name.
 * Without that API, its default rule, which is the same.
 */
type Presentation = (entity: Entity, defaultKind: string) => string;

function usePresentation(): Presentation {
  const presentationApi = useApiHolder().get(entityPresentationApiRef);
  return useCallback(
    (entity, defaultKind) =>
      (presentationApi
        ? presentationApi.forEntity(entity, { defaultKind }).snapshot
        : defaultEntityPresentation(entity, { defaultKind })
      ).primaryTitle,
    [presentationApi],
  );
}

/** One searchable pick list; clearing it removes the filter. */
function Picker(props: {
  label: string;
  options: Option[];
  value?: string;
  onChange: (value: string | undefined) => void;
}) {
  const { label, options, value, onChange } = props;
  // Refs from a shared URL may differ in case from the catalog's.
  const key = (ref?: string) => ref?.toLocaleLowerCase('en-US');
  return (
    <Autocomplete
      sx={{ minWidth: 220 }}
      size="small"
      options={options}
      groupBy={options.some(o => o.group) ? o => o.group ?? '' : undefined}
      value={options.find(o => key(o.value) === key(value)) ?? null}
      onChange={(_event, option) => onChange(option?.value)}
      isOptionEqualToValue={(option, selected) =>
        option.value === selected.value
      }
      renderInput={params => <TextField {...params} label={label} />}
    />
  );
}

/** The level menu's values: one level, or "below:LEVEL". */
const BELOW = 'below:';
const levelChoice = (value: OverviewFilterValues) =>
  value.below ? `${BELOW}${value.below}` : value.level ?? '';

/** Owner, system, level and failing check; the server applies them. */
export function OverviewFilters(props: {
  value: OverviewFilterValues;
  onChange: (value: OverviewFilterValues) => void;
  checks: ScorecardCheck[];
}) {
  const { value, onChange, checks } = props;
  const catalogApi = useApi(catalogApiRef);
  const present = usePresentation();
  const { value: catalog } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: ['Group', 'System'] },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    const options = (kind: string) =>
      items
        .filter(e => e.kind === kind)
        .map(e => ({
          value: stringifyEntityRef(e),
          label: present(e, kind.toLocaleLowerCase('en-US')),
        }))
        .sort((a, b) => a.label.localeCompare(b.label));
    return { owners: options('Group'), systems: options('System') };
  }, [catalogApi, present]);
  // By level, lowest first (what blocks bronze at the top), then by title.
  const checkOptions = [...checks]
    .sort(
      (a, b) =>
        levelRank(a.level) - levelRank(b.level) ||
        a.title.localeCompare(b.title),
    )
    .map(check => ({
      value: check.id,
      label: check.title,
      group: levelLabel(check.level),
    }));
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
        sx={{ minWidth: 160 }}
        value={levelChoice(value)}
        onChange={e => {
          const choice = e.target.value;
          set(
            choice.startsWith(BELOW)
              ? { level: undefined, below: choice.slice(BELOW.length) as Level }
              : {
                  level: (choice || undefined) as EntityLevel | undefined,
                  below: undefined,
                },
          );
        }}
      >
        <MenuItem value="">Any</MenuItem>
        {/* Below bronze is No level, offered below. */}
        {[...LEVELS]
          .reverse()
          .filter(level => level !== 'bronze')
          .map(level => (
            <MenuItem key={`${BELOW}${level}`} value={`${BELOW}${level}`}>
              Below {levelLabel(level).toLocaleLowerCase('en-US')}
            </MenuItem>
          ))}
        <ListSubheader>Exactly</ListSubheader>
        {[...ENTITY_LEVELS].reverse().map(level => (
          <MenuItem key={level} value={level}>
            {levelLabel(level)}
          </MenuItem>
        ))}
      </TextField>
      <Picker
        label="Failing check"
        options={checkOptions}
        value={value.failingCheck}
        onChange={failingCheck => set({ failingCheck })}
      />
    </Box>
  );
}
