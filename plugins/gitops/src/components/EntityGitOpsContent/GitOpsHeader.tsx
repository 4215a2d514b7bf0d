import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { GitOpsView } from '@causeway/plugin-gitops-common';
import { CommitLink } from '../CommitLink/CommitLink';

/** "Folder apps/…/payments-api/ of the GitOps repository, at commit 3f9c2a1." */
export function GitOpsHeader(props: {
  path: string;
  commit: GitOpsView['commit'];
}) {
  const { path, commit } = props;
  return (
    <Typography variant="body2" color="text.secondary">
      Folder{' '}
      <Box component="code" sx={{ fontFamily: 'monospace' }}>
        {path}
      </Box>{' '}
      of the GitOps repository
      {commit && (
        <>
          , at commit <CommitLink sha={commit.sha} url={commit.url} />
        </>
      )}
    </Typography>
  );
}
