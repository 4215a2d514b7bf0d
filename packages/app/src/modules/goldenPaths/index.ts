export { goldenPathsModule } from './goldenPathsModule';
