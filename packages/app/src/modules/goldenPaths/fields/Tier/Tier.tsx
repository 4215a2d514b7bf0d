import { useCallback } from 'react';
import Alert from '@mui/material/Alert';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { useAsyncValue } from '../../../home/hooks/useAsyncValue';
import { goldenPathsApiRef } from '../../api/GoldenPathsClient';

export const TierFieldSchema = makeFieldSchema({
  output: z => z.string(),
});

/**
 * The service tier, one radio each, with what the platform team says the
 * tier means (gitops.tiers.<tier>.description, served by the gitops backend).
 */
export const Tier = (props: typeof TierFieldSchema.TProps) => {
  const {
    onChange,
    required,
    rawErrors = [],
    formData,
    schema: { title = 'Tier', description },
    uiSchema,
    idSchema,
  } = props;
  const goldenPathsApi = useApi(goldenPathsApiRef);
  const loadTiers = useCallback(
    () => goldenPathsApi.getTiers(),
    [goldenPathsApi],
  );
  const tiers = useAsyncValue(loadTiers);
  const labelId = `${idSchema?.$id ?? 'tier'}-label`;
  const helperText = uiSchema['ui:description'] ?? description;

  return (
    <FormControl
      component="fieldset"
      margin="normal"
      required={required}
      error={rawErrors.length > 0}
      fullWidth
    >
      <FormLabel id={labelId}>{title}</FormLabel>
      {tiers.status === 'loading' && (
        <LinearProgress aria-label="Loading the service tiers" />
      )}
      {tiers.status === 'error' && (
        <Alert severity="error">
          Could not load the service tiers: {tiers.error.message}
        </Alert>
      )}
      {tiers.status === 'done' && (
        <RadioGroup
          aria-labelledby={labelId}
          name={idSchema?.$id}
          value={formData ?? ''}
          onChange={(_event, value) => onChange(value)}
        >
          {tiers.value.map(tier => (
            <FormControlLabel
              key={tier.id}
              value={tier.id}
              control={<Radio />}
              sx={{ alignItems: 'flex-start', mt: 1 }}
              label={
                <>
                  <Typography>{tier.id}</Typography>
                  <Typography variant="body2" color="text.secondary">
                    {tier.description}
                  </Typography>
                </>
              }
            />
          ))}
        </RadioGroup>
      )}
      {helperText && <FormHelperText>{helperText}</FormHelperText>}
    </FormControl>
  );
};
