import { createApp } from '@backstage/frontend-defaults';
import { goldenPathsModule } from './modules/goldenPaths';
import { homeModule } from './modules/home';
import { kubernetesModule } from './modules/kubernetes';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// Plugins are discovered from package.json (app-config `app.packages: all`);
// only the app's own modules are listed here.
export default createApp({
  features: [
    signInModule,
    navModule,
    homeModule,
    goldenPathsModule,
    kubernetesModule,
  ],
});
