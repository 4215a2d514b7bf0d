export { GoldenPaths } from './GoldenPaths';
