import Box from '@mui/material/Box';
import Link from '@mui/material/Link';

/** A commit's short sha, linking to it when the repository has a web UI. */
export function CommitLink(props: { sha: string; url?: string }) {
  const { sha, url } = props;
  const short = (
    <Box component="code" title={sha} sx={{ fontFamily: 'monospace' }}>
      {sha.slice(0, 7)}
    </Box>
  );
  return url ? <Link href={url}>{short}</Link> : short;
}
