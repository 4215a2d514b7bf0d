import { useCallback, useEffect } from 'react';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { useAsyncValue } from '../../../home/hooks/useAsyncValue';
import {
  DISPLAY_NAME_FIELDS,
  entityDisplayName,
} from '../OwnerGroup/ownerGroups';
import {
  entityRefOf,
  EntityTitles,
  servicePlan,
  ServicePlanOptions,
} from './servicePlan';

export const ServicePlanFieldSchema = makeFieldSchema({
  output: z => z.record(z.string()),
  uiOptions: z =>
    z.object({
      host: z.string().optional(),
      environment: z.string().optional(),
      environmentFrom: z.string().optional(),
      namespace: z.string().optional(),
      namespaceFrom: z.string().optional(),
      objects: z.array(z.string()).optional(),
      claims: z.record(z.string()).optional(),
      details: z.record(z.string()).optional(),
    }),
});

/**
 * Read-only: "What will be created", from the other values of the form. Its
 * own value is the same lines, so the Review step lists them too, and only
 * them: the templates hide the raw values (refs, keys) from Review.
 */
export const ServicePlan = (props: typeof ServicePlanFieldSchema.TProps) => {
  const {
    onChange,
    formData,
    formContext,
    name: ownKey,
    schema: { title = 'What will be created', description },
    uiSchema,
    idSchema,
  } = props;
  const options: ServicePlanOptions = uiSchema['ui:options'] ?? {};
  // The scaffolder passes the values of every step in formContext.formData.
  const values: Record<string, unknown> = formContext?.formData ?? {};

  // The owner and system by their display names, as the pickers show them.
  const catalogApi = useApi(catalogApiRef);
  const refs = [
    typeof values.owner === 'string' && entityRefOf(values.owner, 'group'),
    typeof values.system === 'string' && entityRefOf(values.system, 'system'),
  ].filter((ref): ref is string => Boolean(ref));
  const refsKey = refs.join(',');
  const loadTitles = useCallback(async (): Promise<EntityTitles> => {
    if (!refsKey) return {};
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: refsKey.split(','),
      fields: DISPLAY_NAME_FIELDS,
    });
    return Object.fromEntries(
      items.flatMap(entity => {
        const shown = entity && entityDisplayName(entity);
        return entity && shown ? [[stringifyEntityRef(entity), shown]] : [];
      }),
    );
  }, [catalogApi, refsKey]);
  const titles = useAsyncValue(loadTitles);

  const plan = servicePlan(
    { ...values, [ownKey]: undefined },
    options,
    titles.status === 'done' ? titles.value : {},
  );
  // Compare by content: formContext and the plan are new objects each render.
  const planJson = JSON.stringify(plan);
  useEffect(() => {
    if (planJson !== JSON.stringify(formData ?? {})) {
      onChange(JSON.parse(planJson));
    }
  }, [planJson, formData, onChange]);

  const headingId = `${idSchema?.$id ?? 'plan'}-title`;
  const helperText = uiSchema['ui:description'] ?? description;
  return (
    <Paper variant="outlined" sx={{ p: 2, my: 2 }}>
      <Typography id={headingId} variant="h6" component="h3">
        {title}
      </Typography>
      {helperText && (
        <Typography variant="body2" color="text.secondary">
          {helperText}
        </Typography>
      )}
      <Table size="small" aria-labelledby={headingId}>
        <TableBody>
          {Object.entries(plan).map(([label, value]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row">
                {label}
              </TableCell>
              <TableCell>{value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
};
