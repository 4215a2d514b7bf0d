import { useEffect } from 'react';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { PLAN_LINES, servicePlan, ServicePlanOptions } from './servicePlan';

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
    }),
});

/**
 * Read-only: "What will be created", from the other values of the form. Its
 * own value is the same lines, so the Review step lists them too.
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

  const plan = servicePlan({ ...values, [ownKey]: undefined }, options);
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
          {PLAN_LINES.filter(line => plan[line.key]).map(line => (
            <TableRow key={line.key}>
              <TableCell component="th" scope="row">
                {line.label}
              </TableCell>
              <TableCell>{plan[line.key]}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
};
