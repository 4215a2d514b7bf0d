import { useCallback, useEffect, useRef } from 'react';
import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { gitopsAnyTeamWritePermission } from '@causeway/plugin-gitops-common';
import { useAsyncValue } from '../../../home/hooks/useAsyncValue';
import {
  defaultOwnerGroup,
  DISPLAY_NAME_FIELDS,
  GroupOption,
  groupLabel,
  offeredGroups,
  toGroupOption,
} from './ownerGroups';

export const OwnerGroupFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      notDefault: z
        .array(z.string())
        .optional()
        .describe(
          'Groups never picked as the default owner while the user has another one, e.g. platform-admins',
        ),
    }),
});

/**
 * The owning team: a searchable list of the signed-in user's Groups (every
 * Group for platform admins), set at first to the user's own group.
 */
export const OwnerGroup = (props: typeof OwnerGroupFieldSchema.TProps) => {
  const {
    onChange,
    required,
    rawErrors = [],
    formData,
    schema: { title = 'Owner', description = 'The team that owns the service' },
    uiSchema,
    idSchema,
  } = props;
  const notDefault = uiSchema['ui:options']?.notDefault;
  const catalogApi = useApi(catalogApiRef);
  const identityApi = useApi(identityApiRef);
  const permissionApi = useApi(permissionApiRef);

  const load = useCallback(async () => {
    const [{ items }, identity, anyTeam] = await Promise.all([
      catalogApi.getEntities({
        filter: { kind: 'Group' },
        fields: DISPLAY_NAME_FIELDS,
        order: { field: 'metadata.name', order: 'asc' },
      }),
      identityApi.getBackstageIdentity(),
      permissionApi.authorize({ permission: gitopsAnyTeamWritePermission }),
    ]);
    return {
      groups: items.map(toGroupOption),
      ownershipEntityRefs: identity.ownershipEntityRefs,
      anyTeam: anyTeam.result === AuthorizeResult.ALLOW,
    };
  }, [catalogApi, identityApi, permissionApi]);
  const loaded = useAsyncValue(load);
  const groups = loaded.status === 'done' ? offeredGroups(loaded.value) : [];

  // Offer the user's group once; after that an empty field stays empty.
  const defaulted = useRef(Boolean(formData));
  useEffect(() => {
    if (defaulted.current || loaded.status !== 'done') return;
    defaulted.current = true;
    const ref = defaultOwnerGroup({ ...loaded.value, notDefault });
    if (ref) onChange(ref);
  }, [loaded, notDefault, onChange]);

  // A value from elsewhere (e.g. the URL) that is no catalog group still
  // shows, as an extra option, until validation refuses it.
  const selected: GroupOption | null = formData
    ? groups.find(group => group.ref === formData) ?? {
        ref: formData,
        name: formData,
      }
    : null;
  const options =
    selected && !groups.includes(selected) ? [...groups, selected] : groups;
  const loadError =
    loaded.status === 'error'
      ? `Could not load the groups: ${loaded.error.message}`
      : undefined;

  return (
    <Autocomplete
      id={idSchema?.$id}
      options={options}
      value={selected}
      loading={loaded.status === 'loading'}
      onChange={(_event, group) => onChange(group?.ref)}
      getOptionLabel={groupLabel}
      isOptionEqualToValue={(option, value) => option.ref === value.ref}
      renderInput={params => (
        <TextField
          {...params}
          label={title}
          required={required}
          error={rawErrors.length > 0 || Boolean(loadError)}
          helperText={loadError ?? uiSchema['ui:description'] ?? description}
          margin="normal"
        />
      )}
    />
  );
};
