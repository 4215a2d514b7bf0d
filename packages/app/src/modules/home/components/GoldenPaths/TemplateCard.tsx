import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';

export type TemplateCardProps = {
  title: string;
  description?: string;
  tags: string[];
  /** Where "Choose" leads; no button when the scaffolder is not mounted. */
  chooseHref?: string;
};

/** One software template, rendered as an item of a list. */
export function TemplateCard(props: TemplateCardProps) {
  const { title, description, tags, chooseHref } = props;
  return (
    <Card
      component="li"
      variant="outlined"
      sx={{ display: 'flex', flexDirection: 'column' }}
    >
      <CardContent sx={{ flexGrow: 1 }}>
        <Typography variant="h6" component="h3" gutterBottom>
          {title}
        </Typography>
        {description && (
          <Typography variant="body2" color="text.secondary">
            {description}
          </Typography>
        )}
        {tags.length > 0 && (
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, mt: 1.5 }}>
            {tags.map(tag => (
              <Chip key={tag} label={tag} size="small" />
            ))}
          </Box>
        )}
      </CardContent>
      {chooseHref && (
        <CardActions>
          {/* Every card has a "Choose"; the label says which template. */}
          <Button
            component={RouterLink}
            to={chooseHref}
            aria-label={`Choose ${title}`}
            variant="outlined"
            size="small"
          >
            Choose
          </Button>
        </CardActions>
      )}
    </Card>
  );
}
