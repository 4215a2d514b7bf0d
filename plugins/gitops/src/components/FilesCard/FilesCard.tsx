import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import Link from '@mui/material/Link';
import { InfoCard } from '@backstage/core-components';
import { GitOpsFileView } from '@causeway/plugin-gitops-common';
import { objectName } from '../../objectName';

const list = { listStyle: 'none', p: 0, m: 0 };

function FileItem(props: { file: GitOpsFileView }) {
  const { path, url, objects, problems } = props.file;
  const pathText = (
    <Box component="code" sx={{ fontFamily: 'monospace' }}>
      {path}
    </Box>
  );
  return (
    <Box
      component="li"
      aria-label={path}
      sx={{ py: 1.5, borderTop: 1, borderColor: 'divider' }}
    >
      <Typography variant="subtitle1" component="h3">
        {url ? <Link href={url}>{pathText}</Link> : pathText}
      </Typography>
      <Box component="ul" sx={{ ...list, pl: 2 }}>
        {objects.map(object => (
          <Typography
            key={`${object.kind}/${object.namespace}/${object.name}`}
            component="li"
            variant="body2"
          >
            {object.kind} <code>{objectName(object)}</code>
            {!object.known && (
              <Typography
                component="span"
                variant="body2"
                color="text.secondary"
              >
                {' '}
                (not known to Causeway's parsers)
              </Typography>
            )}
          </Typography>
        ))}
      </Box>
      {problems.length > 0 && (
        <Box component="ul" aria-label="Problems" sx={{ ...list, pl: 2 }}>
          {problems.map(problem => (
            <Typography
              key={`${problem.line}:${problem.message}`}
              component="li"
              variant="body2"
              color="error"
            >
              Line {problem.line}: {problem.message}
            </Typography>
          ))}
        </Box>
      )}
    </Box>
  );
}

/** The service's files in the GitOps repository, their objects and problems. */
export function FilesCard(props: { files: GitOpsFileView[] }) {
  return (
    <InfoCard title="Files">
      <Box component="ul" sx={list}>
        {props.files.map(file => (
          <FileItem key={file.path} file={file} />
        ))}
      </Box>
    </InfoCard>
  );
}
