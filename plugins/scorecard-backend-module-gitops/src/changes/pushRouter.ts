import express from 'express';
import Router from 'express-promise-router';
import { AuthenticationError } from '@backstage/errors';
import { HOOK_SECRET_HEADER, isHookSecret } from '@causeway/plugin-gitops-node';
import { LocalPushReceiver } from './LocalPushReceiver';

/** Where the local repositories' hook reports pushes, under the plugin's URL. */
export const POST_RECEIVE_PATH = '/git-hooks/post-receive';

/**
 * The hook's endpoint. Backstage lets it through without a token (the hook
 * has none); the hook's own secret is required instead, so only the hook
 * principal can call it, and nothing a user token allows reaches it.
 */
export function createPushRouter(options: {
  receiver: LocalPushReceiver;
  /** The hook's secret; undefined where no local repository runs it. */
  secret: () => Promise<string | undefined>;
}): express.Router {
  const router = Router();
  router.post(
    POST_RECEIVE_PATH,
    async (req, _res, next) => {
      const secret = await options.secret();
      if (!secret || !isHookSecret(req.header(HOOK_SECRET_HEADER), secret)) {
        throw new AuthenticationError(
          'The git hook secret is missing or wrong',
        );
      }
      next();
    },
    express.json({ limit: '256kb' }),
    async (req, res) => {
      await options.receiver.received(req.body ?? {});
      res.status(202).json({ accepted: true });
    },
  );
  return router;
}
